/**
 * Who changed the catalog, and why: the write records the store keeps beside the catalog shard
 * (`WriteRecord` in `../store/shard-store.ts`), read back per command run (`log`) and per
 * timestamp (`history`). Catalogs written before records existed, or by tools that leave none,
 * simply have fewer records; nothing here fails for their absence.
 */
import type { Frontier, ShardStore, StoredWriteRecord, WriteRecord } from '../store/shard-store.js'
import { catalogShardIds } from './catalog-shards.js'

/**
 * One command run that wrote the catalog: its records' common fields (`walltimeMs` is that of its
 * first record) and the span it wrote.
 */
export interface CatalogWrite extends WriteRecord {
  /** The upper before its first append and after its last: it wrote the timestamps in between. */
  readonly fromUpper: Frontier
  readonly toUpper: Frontier
  /** How many appends (state changes) it committed; 0 for a write that appended nothing (a restore). */
  readonly appends: number
}

export interface CatalogWriteFilter {
  /** At most this many command runs, the newest. */
  readonly limit?: number
  /** Only runs with a record at or after this wall-clock time (ms since the epoch). */
  readonly sinceMs?: bigint
}

/** Every write record of the catalog shard of `organizationId`, newest first. Never writes. */
export function catalogWriteRecords(store: ShardStore, organizationId: string, sinceMs?: bigint): Promise<StoredWriteRecord[]> {
  return store.listWriteRecords(catalogShardIds(organizationId).catalog, sinceMs === undefined ? {} : { sinceMs })
}

/** The catalog's writes, one per command run, newest first. Never writes. */
export async function catalogWrites(store: ShardStore, organizationId: string, filter: CatalogWriteFilter = {}): Promise<CatalogWrite[]> {
  const runs = new Map<string, StoredWriteRecord[]>()
  for (const r of await catalogWriteRecords(store, organizationId, filter.sinceMs)) {
    const list = runs.get(r.operationId) ?? []
    list.push(r)
    runs.set(r.operationId, list)
  }
  const writes = [...runs.values()].map((records) => {
    const newest = records[0] as StoredWriteRecord
    const oldest = records.at(-1) as StoredWriteRecord
    const { shardId: _s, seqno: _n, expectedUpper: _e, newUpper: _u, ...fields } = oldest
    return {
      ...fields,
      fromUpper: oldest.expectedUpper,
      toUpper: newest.newUpper,
      appends: records.filter((r) => !sameFrontier(r.expectedUpper, r.newUpper)).length,
    }
  })
  return filter.limit === undefined ? writes : writes.slice(0, filter.limit)
}

/**
 * A lookup of the record of the append that wrote timestamp `ts` (its uppers span it), if there
 * is one; `records` newest first, as {@link catalogWriteRecords} lists them. Appends follow one
 * another, so their spans are disjoint and a lookup is a binary search; should two spans overlap
 * (records of writes that were later undone by a restore), the newest record wins, found by a scan.
 */
export function writeRecordLookup(records: readonly StoredWriteRecord[]): (ts: bigint) => StoredWriteRecord | undefined {
  const scan = (ts: bigint) =>
    records.find((r) => r.expectedUpper !== null && r.expectedUpper <= ts && (r.newUpper === null || ts < r.newUpper))
  const spans = records
    .filter((r) => r.expectedUpper !== null && (r.newUpper === null || r.expectedUpper < r.newUpper))
    .sort((a, b) => ((a.expectedUpper as bigint) < (b.expectedUpper as bigint) ? -1 : 1))
  for (let i = 1; i < spans.length; i++) {
    const before = (spans[i - 1] as StoredWriteRecord).newUpper
    if (before === null || before > ((spans[i] as StoredWriteRecord).expectedUpper as bigint)) return scan
  }
  return (ts) => {
    let lo = 0
    let hi = spans.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (((spans[mid] as StoredWriteRecord).expectedUpper as bigint) <= ts) lo = mid + 1
      else hi = mid
    }
    const r = spans[lo - 1]
    return r !== undefined && (r.newUpper === null || ts < r.newUpper) ? r : undefined
  }
}

function sameFrontier(a: Frontier, b: Frontier): boolean {
  return a === b
}
