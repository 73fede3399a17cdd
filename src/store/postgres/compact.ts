/**
 * Physical compaction: updates at times before the since are forwarded to the since and
 * consolidated (persist's logical compaction, done in place; mirrors `../sqlite/compact.ts`).
 * Reads at any as-of >= since see the same contents before and after; times at or beyond the
 * since are never touched.
 */
import { encodeU64 } from '../u64.js'
import type { PgContext } from './context.js'
import { PG_SCHEMA as S } from './schema.js'
import { transition } from './transition.js'

/** Compacts one shard; returns its row counts before and after. No write when there is nothing to do. */
export function compact(ctx: PgContext, shardId: string): Promise<{ before: bigint; after: bigint }> {
  return transition(ctx, shardId, 'compact', async (q, shard, exists) => {
    const unchanged = { result: { before: shard.updateCount, after: shard.updateCount } }
    // An empty since means no read will ever happen again; there is no time to forward to.
    if (!exists || shard.since === null) return unchanged
    const since = encodeU64(shard.since)
    const stats = (
      await q<{ n_rows: bigint; n_older: bigint; n_groups: bigint }>(
        `SELECT COUNT(*) AS n_rows, COUNT(CASE WHEN ts < $1 THEN 1 END) AS n_older,
           (SELECT COUNT(*) FROM (SELECT 1 FROM ${S}.updates WHERE shard_id = $2 AND ts <= $1 GROUP BY data HAVING SUM(diff) <> 0) AS g) AS n_groups
         FROM ${S}.updates WHERE shard_id = $2 AND ts <= $1`,
        [since, shardId],
      )
    ).rows[0]!
    if (stats.n_older === 0n && stats.n_groups === stats.n_rows) return unchanged
    return {
      commit: async (c) => {
        // Every row already stored has a seqno below this commit's, every row written here has this
        // commit's: the DELETE removes exactly the rows the INSERT consolidated.
        // Rows of one data normally share their lookup values (the extractor is pure); if not, keep
        // the least, as the SQLite store does. There is no MIN(bytea): hex text orders like the bytes.
        await q(
          `INSERT INTO ${S}.updates (shard_id, ts, data, diff, seqno, lookup_a, lookup_b)
           SELECT shard_id, $1, data, CAST(SUM(diff) AS BIGINT), $2,
             decode(MIN(encode(lookup_a, 'hex')), 'hex'), decode(MIN(encode(lookup_b, 'hex')), 'hex') FROM ${S}.updates
           WHERE shard_id = $3 AND ts <= $1 GROUP BY shard_id, data HAVING SUM(diff) <> 0`,
          [since, c.seqno, shardId],
        )
        await q(`DELETE FROM ${S}.updates WHERE shard_id = $1 AND ts <= $2 AND seqno < $3`, [shardId, since, c.seqno])
        c.updateCountDelta = stats.n_groups - stats.n_rows
        c.compactedSince = c.since ?? undefined
        c.detail = { since: c.since, rows_before: stats.n_rows, rows_after: stats.n_groups }
        return { before: shard.updateCount, after: shard.updateCount + c.updateCountDelta }
      },
    }
  })
}
