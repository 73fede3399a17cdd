/** `item-sql`: every item's `create_sql` as Materialize would read it (see `src/catalog/sql/`). */

import { checkItemSqlOf } from '../sql/index.js'
import { finding, type Finding } from './findings.js'
import type { ItemFacts } from './item-facts.js'
import type { ItemRows } from './item-rows.js'
import type { CatalogIndex } from './row-checks.js'

export function checkItemSqlRows(c: CatalogIndex, rows: ItemRows): Finding[] {
  const { items } = c
  // The items' SQL facts are read from disk one at a time (`item-table.ts`), as are the ones they name.
  const source = {
    entries: (parsed: boolean) => items.sqlEntries(parsed),
    get: (id: string) => items.sqlTarget(id),
    entry: (id: string) => items.sqlEntry(id),
  }
  return checkItemSqlOf(source, {
    schemas: c.rows('schema'),
    databases: c.rows('database'),
    clusters: c.rows('compute_instance'),
    comments: c.rows('comments'),
  }).map((f) => finding('item-sql', 'error', f.message, [rows.row(items.bySqlId(f.itemId) as ItemFacts).raw]))
}
