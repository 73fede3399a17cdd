/** `item-sql`: every item's `create_sql` as Materialize would read it (see `src/catalog/sql/`). */

import { checkItemSql } from '../sql/index.js'
import { finding, type Finding } from './findings.js'
import type { DecodedCatalog } from './row-checks.js'

export function checkItemSqlRows(c: DecodedCatalog): Finding[] {
  const rows = (name: 'item' | 'schema' | 'database' | 'compute_instance' | 'comments') => c.byCollection.get(name) ?? []
  return checkItemSql({
    items: rows('item'),
    schemas: rows('schema'),
    databases: rows('database'),
    clusters: rows('compute_instance'),
    comments: rows('comments'),
  }).map((f) => finding('item-sql', 'error', f.message, f.raw === undefined ? [] : [f.raw]))
}
