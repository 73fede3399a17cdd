/** `item-sql`: every item's `create_sql` as Materialize would read it (see `src/catalog/sql/`). */

import { checkItemSqlEntries, type ItemSqlEntry } from '../sql/index.js'
import { finding, type Finding } from './findings.js'
import type { ItemFacts } from './item-facts.js'
import type { ItemRows } from './item-rows.js'
import type { CatalogIndex } from './row-checks.js'

export function checkItemSqlRows(c: CatalogIndex, rows: ItemRows): Finding[] {
  const collection = (name: 'schema' | 'database' | 'compute_instance' | 'comments') => c.byCollection.get(name) ?? []
  const entries: ItemSqlEntry[] = []
  // The item a finding names by id: the last with that id, as the checks themselves keep.
  const byId = new Map<string, ItemFacts>()
  for (const item of c.items) {
    if (item.sql === undefined) continue
    entries.push(item.sql)
    byId.set(item.sql.id, item)
  }
  return checkItemSqlEntries(entries, {
    schemas: collection('schema'),
    databases: collection('database'),
    clusters: collection('compute_instance'),
    comments: collection('comments'),
  }).map((f) => finding('item-sql', 'error', f.message, [rows.row(byId.get(f.itemId) as ItemFacts).raw]))
}
