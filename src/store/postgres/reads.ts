/**
 * Reads at an as-of in PostgreSQL: frontiers, consolidated snapshots and counts. None of them
 * writes. The since check and the wait for the upper are `../state/as-of.ts`; each probe is one
 * REPEATABLE READ, READ ONLY transaction, so the check and the read see the same state.
 */
import { filterShape } from '../lookup-filter.js'
import type { LookupFilter, SnapshotOptions, Update, UpdateCounts } from '../shard-store.js'
import { type ShardFrontiers, type StoredFrontiers, decodeFrontiers, readAtAsOf } from '../state/as-of.js'
import { decodeU64, encodeU64 } from '../u64.js'
import { type PgContext, decodeData } from './context.js'
import type { Query } from './pool.js'
import { COUNT_BY_A_SQL, countSql, filterParams, snapshotSql } from './queries.js'
import { PG_SCHEMA as S } from './schema.js'

/** A shard's frontiers as stored; an absent shard reads as since = upper = [0]. */
export async function readFrontiers(q: Query, shardId: string): Promise<ShardFrontiers> {
  return decodeFrontiers(
    (await q<StoredFrontiers>(`SELECT since, upper, compacted_since FROM ${S}.shards WHERE shard_id = $1`, [shardId])).rows[0],
  )
}

/**
 * Waits until `asOf` can be read, then runs `read` in the same read transaction as the final
 * check. Throws `SinceError` or `AsOfNotYetAvailableError`.
 */
export function readShardAtAsOf<T>(
  ctx: PgContext,
  shardId: string,
  asOf: bigint,
  what: string,
  read: (q: Query) => Promise<T>,
): Promise<T> {
  return readAtAsOf(
    what,
    asOf,
    ctx.waitTimeoutMs,
    (admit) =>
      ctx.pool.read(`${what} of ${shardId}`, async (q) => (admit(await readFrontiers(q, shardId)) ? { value: await read(q) } : undefined)),
    ctx.historyReads,
  )
}

/** Consolidated contents at `asOf` (see `ShardStore.snapshot`), ordered by data (then ts). */
export async function snapshotRows(q: Query, shardId: string, asOf: bigint, options: SnapshotOptions): Promise<Update[]> {
  const keep = options.keepTimestamps === true
  const rows = (
    await q<{ data: Buffer; ts?: bigint; diff: bigint }>(snapshotSql(filterShape(options.where), keep), [
      shardId,
      ...filterParams(options.where),
      encodeU64(asOf),
    ])
  ).rows
  return rows.map((r) => ({ data: decodeData(r.data), ts: keep ? decodeU64(r.ts!) : asOf, diff: r.diff }))
}

/** Row counts at `asOf`: rows, rows with a positive diff, rows with a negative diff. */
export async function countRows(q: Query, shardId: string, asOf: bigint, where: LookupFilter | undefined): Promise<UpdateCounts> {
  const row = (await q<UpdateCounts>(countSql(filterShape(where)), [shardId, ...filterParams(where), encodeU64(asOf)])).rows[0]!
  return { total: row.total, additions: row.additions, retractions: row.retractions }
}

/** {@link countRows} of every lookup a value (`null`: rows without one) at `asOf`, in one pass. */
export async function countRowsByA(q: Query, shardId: string, asOf: bigint): Promise<Map<string | null, UpdateCounts>> {
  const rows = (await q<UpdateCounts & { lookup_a: Buffer | null }>(COUNT_BY_A_SQL, [shardId, encodeU64(asOf)])).rows
  return new Map(
    rows.map((r) => [
      r.lookup_a === null ? null : decodeData(r.lookup_a),
      { total: r.total, additions: r.additions, retractions: r.retractions },
    ]),
  )
}
