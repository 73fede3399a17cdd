/**
 * The checks across rows, on what the row checks kept (`row-checks.ts`, {@link CatalogIndex}):
 * references point at existing objects (`reference-checks.ts`), names are unique where
 * Materialize's transaction makes them unique (`unique-name-checks.ts`), every id allocator is
 * above the ids in use (`id-allocator-checks.ts`), and every item's SQL reads as Materialize
 * reads it (`item-sql-checks.ts`). Items are held as facts on disk (`item-table.ts`); a finding
 * about an item reads its row again (`item-rows.ts`).
 */

import type { Finding } from './findings.js'
import { checkIdAllocators } from './id-allocator-checks.js'
import type { ItemFacts } from './item-facts.js'
import { collectingItemRows, itemRowsOf, readItemTexts, type ItemRows, type KeyReader } from './item-rows.js'
import { checkItemSqlRows } from './item-sql-checks.js'
import { checkReferences } from './reference-checks.js'
import type { CatalogIndex } from './row-checks.js'
import { checkUniqueNames } from './unique-name-checks.js'

/** Every semantic check, with item rows from `rows`. */
export function semanticChecks(index: CatalogIndex, rows: ItemRows = itemRowsOf(index.version)): Finding[] {
  return [
    ...checkReferences(index, rows),
    ...checkUniqueNames(index, rows),
    ...checkIdAllocators(index, rows),
    ...checkItemSqlRows(index, rows),
  ]
}

/**
 * Every semantic check, reading again with `read` the rows of the items the findings name: a
 * first run notes them (its findings are dropped), the second words the findings from the rows.
 * When no finding names an item, the first run is the answer and nothing is read.
 */
export async function semanticChecksReading(index: CatalogIndex, read: KeyReader): Promise<Finding[]> {
  const wanted = new Map<number, ItemFacts>()
  const first = semanticChecks(index, collectingItemRows(index.version, wanted))
  if (wanted.size === 0) return first
  return semanticChecks(index, itemRowsOf(index.version, await readItemTexts(wanted.values(), read)))
}
