/** `item-sql`: every item's `create_sql` as Materialize would read it (see `src/catalog/sql/`). */

import { checkItemSqlEntries, type ItemSqlEntry } from '../sql/index.js'
import { finding, type Finding } from './findings.js'
import type { CatalogIndex } from './row-checks.js'

export function checkItemSqlRows(c: CatalogIndex): Finding[] {
  const rows = (name: 'schema' | 'database' | 'compute_instance' | 'comments') => c.byCollection.get(name) ?? []
  const items: ItemSqlEntry[] = []
  for (const item of c.items) if (item.sql !== undefined) items.push(item.sql)
  return checkItemSqlEntries(items, {
    schemas: rows('schema'),
    databases: rows('database'),
    clusters: rows('compute_instance'),
    comments: rows('comments'),
  }).map((f) => finding('item-sql', 'error', f.message, f.raw === undefined ? [] : [f.raw]))
}
