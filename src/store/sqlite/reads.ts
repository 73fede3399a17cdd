/**
 * Reads at an as-of in SQLite: frontiers, consolidated snapshots and counts. None of them writes.
 * The since check and the wait for the upper are `../state/as-of.ts`; each probe is one deferred
 * read transaction (one WAL snapshot), so the check and the read see the same state.
 */
import { filterShape } from '../lookup-filter.js'
import type { LookupFilter, SnapshotOptions, Update, UpdateCounts } from '../shard-store.js'
import { type ShardFrontiers, type StoredFrontiers, decodeFrontiers, readAtAsOf } from '../state/as-of.js'
import { decodeU64, encodeU64 } from '../u64.js'
import { type SqliteContext, readTx } from './context.js'
import { countByASql, countSql, filterParams, snapshotSql } from './queries.js'
import { hasCoveringIndex } from './schema.js'

/** A shard's frontiers as stored; an absent shard reads as since = upper = [0]. */
export function readFrontiers(ctx: SqliteContext, shardId: string): ShardFrontiers {
  return decodeFrontiers(
    ctx.stmt('SELECT since, upper, compacted_since FROM shards WHERE shard_id = ?').get(shardId) as StoredFrontiers | undefined,
  )
}

/**
 * Waits until `asOf` can be read, then runs `read` in the same read transaction as the final
 * check. Throws `SinceError` or `AsOfNotYetAvailableError`.
 */
export function readShardAtAsOf<T>(
  ctx: SqliteContext,
  waitTimeoutMs: number,
  shardId: string,
  asOf: bigint,
  what: string,
  read: () => T,
): Promise<T> {
  return readAtAsOf(
    what,
    asOf,
    waitTimeoutMs,
    (admit) => readTx(ctx, () => (admit(readFrontiers(ctx, shardId)) ? { value: read() } : undefined)),
    ctx.historyReads,
  )
}

/** Consolidated contents at `asOf` (see `ShardStore.snapshot`), ordered by data (then ts). */
export function snapshotRows(ctx: SqliteContext, shardId: string, asOf: bigint, options: SnapshotOptions): Update[] {
  const keep = options.keepTimestamps === true
  const rows = ctx.stmt(snapshotSql(filterShape(options.where), keep)).all(shardId, ...filterParams(options.where), encodeU64(asOf)) as {
    data: string
    ts?: bigint
    diff: bigint
  }[]
  return rows.map((r) => ({ data: r.data, ts: keep ? decodeU64(r.ts!) : asOf, diff: r.diff }))
}

/** Row counts at `asOf`: rows, rows with a positive diff, rows with a negative diff. */
export function countRows(ctx: SqliteContext, shardId: string, asOf: bigint, where: LookupFilter | undefined): UpdateCounts {
  const shape = filterShape(where)
  const sql = countSql(shape, shape === 'all' && hasCoveringIndex(ctx.db))
  const row = ctx.stmt(sql).get(shardId, ...filterParams(where), encodeU64(asOf)) as UpdateCounts
  return { total: row.total, additions: row.additions, retractions: row.retractions }
}

/** {@link countRows} of every lookup a value (`null`: rows without one) at `asOf`, in one pass. */
export function countRowsByA(ctx: SqliteContext, shardId: string, asOf: bigint): Map<string | null, UpdateCounts> {
  const rows = ctx.stmt(countByASql(hasCoveringIndex(ctx.db))).all(shardId, encodeU64(asOf)) as (UpdateCounts & {
    lookup_a: string | null
  })[]
  return new Map(rows.map((r) => [r.lookup_a, { total: r.total, additions: r.additions, retractions: r.retractions }]))
}
