/**
 * One consolidated state of a catalog, as the checks read it: the Config rows first (the version
 * chooses the schemas), then every row in data order, streamed, and any one key's rows again on
 * request. `verify` checks the state a store holds at upper − 1; `repair` checks the states its
 * plan leads to, the same store state with the plan's updates laid over it.
 */

import type { ShardStore } from '../../store/shard-store.js'
import { semanticChecksReading } from './semantic-checks.js'
import type { KeyReader } from './item-rows.js'
import { RowChecker, type CatalogIndex, type RowCount } from './row-checks.js'
import type { Finding } from './findings.js'
import { statedVersion } from './stated-version.js'

export interface CatalogState {
  /** Rows that state the catalog version: the Config rows (more rows do no harm). */
  configRows(): Promise<readonly RowCount[]>
  /** Every row with its multiplicity (zeros dropped), in data order (by code point), in batches. */
  rows(): AsyncIterable<readonly RowCount[]>
  /** The rows of one lookup key (kind and canonical key text), with their multiplicities. */
  readonly readKey: KeyReader
}

/** The state of `shard` in `store` at `asOf`, read by snapshots at that as-of. */
export function storeState(store: ShardStore, shard: string, asOf: bigint): CatalogState {
  return {
    configRows: () => store.snapshot(shard, asOf, { where: { a: 'Config' } }),
    rows: () => store.snapshotConsolidated(shard, asOf),
    readKey: (a, b) => store.snapshot(shard, asOf, { where: b === null ? { a } : { a, b } }),
  }
}

export interface StateCheck {
  /** Every finding of the row checks and the semantic checks, unsorted. */
  readonly findings: Finding[]
  /** What the checks kept of the state: its caller closes it. */
  readonly index: CatalogIndex
  /** Rows checked. */
  readonly rows: number
}

/** Runs every check of a catalog's rows on `state`; `progress` hears of the rows checked so far. */
export async function checkState(state: CatalogState, progress?: (done: number) => void): Promise<StateCheck> {
  const checker = new RowChecker(statedVersion(await state.configRows()))
  try {
    for await (const batch of state.rows()) {
      for (const r of batch) checker.add(r)
      progress?.(checker.rows)
    }
  } catch (err) {
    checker.discard()
    throw err
  }
  const { findings, index } = checker.finish()
  try {
    findings.push(...(await semanticChecksReading(index, state.readKey)))
  } catch (err) {
    index.close()
    throw err
  }
  return { findings, index, rows: checker.rows }
}
