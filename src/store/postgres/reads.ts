/**
 * Reads at an as-of: frontiers, consolidated snapshots and counts (mirrors `../sqlite/reads.ts`).
 * None of them writes.
 *
 * A read at `asOf` below the shard's since is a `SinceError` (the history it asks for may have
 * been compacted away); at `asOf >= upper` it waits (polling, each probe its own short read-only
 * transaction) until the upper passes `asOf`, or fails with `AsOfNotYetAvailableError` after the
 * store's wait deadline. Check and read happen in one REPEATABLE READ transaction, so the rows
 * returned are exactly the shard's contents at `asOf`.
 */
import { AsOfNotYetAvailableError, SinceError } from '../../errors.js'
import { formatFrontier, frontierLessThan, isBefore } from '../frontier.js'
import type { Frontier, LookupFilter, SnapshotOptions, Update, UpdateCounts } from '../shard-store.js'
import { assertU64, decodeU64, encodeU64 } from '../u64.js'
import { pollUntil } from '../wait-for.js'
import { type PgContext, decodeData } from './context.js'
import type { Query } from './pool.js'
import { countSql, filterParams, filterShape, snapshotSql } from './queries.js'
import { PG_SCHEMA as S } from './schema.js'

/** A shard's frontiers as stored; an absent shard reads as since = upper = [0]. */
export async function readFrontiers(q: Query, shardId: string): Promise<{ since: Frontier; upper: Frontier; compactedSince: bigint | undefined }> {
  const row = (
    await q<{ since: bigint | null; upper: bigint | null; compacted_since: bigint | null }>(
      `SELECT since, upper, compacted_since FROM ${S}.shards WHERE shard_id = $1`,
      [shardId],
    )
  ).rows[0]
  if (row === undefined) return { since: 0n, upper: 0n, compactedSince: undefined }
  return {
    since: row.since === null ? null : decodeU64(row.since),
    upper: row.upper === null ? null : decodeU64(row.upper),
    compactedSince: row.compacted_since === null ? undefined : decodeU64(row.compacted_since),
  }
}

/** Throws `SinceError` if `asOf` is before the shard's since. */
export function checkSince(what: string, asOf: bigint, since: Frontier): void {
  if (frontierLessThan(asOf, since)) {
    throw new SinceError(`${what} as of ${asOf} is not available: the shard's since is ${formatFrontier(since)}`, since)
  }
}

/**
 * Waits until `asOf` can be read, then runs `read` in the same read transaction as the final
 * check. Throws `SinceError` or `AsOfNotYetAvailableError`.
 */
export async function readAtAsOf<T>(
  ctx: PgContext,
  shardId: string,
  asOf: bigint,
  what: string,
  read: (q: Query) => Promise<T>,
): Promise<T> {
  assertU64(asOf, 'as_of')
  let lastUpper: Frontier = 0n
  const box = await pollUntil(
    () =>
      ctx.pool.read(`${what} of ${shardId}`, async (q) => {
        const { since, upper } = await readFrontiers(q, shardId)
        checkSince(what, asOf, since)
        lastUpper = upper
        return isBefore(asOf, upper) ? { value: await read(q) } : undefined
      }),
    ctx.waitTimeoutMs,
    (waited) =>
      new AsOfNotYetAvailableError(
        `${what} as of ${asOf} is not yet available: the shard's upper is ${formatFrontier(lastUpper)} (waited ${waited} ms)`,
      ),
  )
  return box.value
}

/** Consolidated contents at `asOf` (see `ShardStore.snapshot`), ordered by data (then ts). */
export async function snapshotRows(q: Query, shardId: string, asOf: bigint, options: SnapshotOptions): Promise<Update[]> {
  const keep = options.keepTimestamps === true
  const rows = (
    await q<{ data: Buffer; ts?: bigint; diff: bigint }>(snapshotSql(filterShape(options.where), keep), [
      shardId, ...filterParams(options.where), encodeU64(asOf),
    ])
  ).rows
  return rows.map((r) => ({ data: decodeData(r.data), ts: keep ? decodeU64(r.ts!) : asOf, diff: r.diff }))
}

/** Row counts at `asOf`: rows, rows with a positive diff, rows with a negative diff. */
export async function countRows(q: Query, shardId: string, asOf: bigint, where: LookupFilter | undefined): Promise<UpdateCounts> {
  const row = (await q<UpdateCounts>(countSql(filterShape(where)), [shardId, ...filterParams(where), encodeU64(asOf)])).rows[0]!
  return { total: row.total, additions: row.additions, retractions: row.retractions }
}
