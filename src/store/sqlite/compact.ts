/**
 * Physical compaction: updates at times before the since are forwarded to the since and
 * consolidated (persist's logical compaction, done in place). Reads at any as-of >= since see the
 * same contents before and after; times at or beyond the since are never touched.
 */
import type { SqliteContext } from './context.js'
import { encodeU64 } from '../u64.js'
import { transition } from './transition.js'

/** Compacts one shard; returns its row counts before and after. No write when there is nothing to do. */
export function compact(ctx: SqliteContext, shardId: string): { before: bigint; after: bigint } {
  return transition(ctx, shardId, 'compact', (shard, exists) => {
    const unchanged = { result: { before: shard.updateCount, after: shard.updateCount } }
    // An empty since means no read will ever happen again; there is no time to forward to.
    if (!exists || shard.since === null) return unchanged
    const since = encodeU64(shard.since)
    const stats = ctx
      .stmt(
        `SELECT COUNT(*) AS n_rows, COALESCE(SUM(ts < ?), 0) AS n_older,
           (SELECT COUNT(*) FROM (SELECT 1 FROM updates WHERE shard_id = ? AND ts <= ? GROUP BY data HAVING SUM(diff) <> 0)) AS n_groups
         FROM updates WHERE shard_id = ? AND ts <= ?`,
      )
      .get(since, shardId, since, shardId, since) as { n_rows: bigint; n_older: bigint; n_groups: bigint }
    if (stats.n_older === 0n && stats.n_groups === stats.n_rows) return unchanged
    return {
      commit: (c) => {
        const lastId = (ctx.stmt('SELECT COALESCE(MAX(id), 0) FROM updates').pluck().get() as bigint)
        // INSERT … SELECT from the same table materialises the SELECT first; new rows get ids above lastId.
        ctx
          .stmt(
            `INSERT INTO updates (shard_id, ts, data, diff, seqno, lookup_a, lookup_b)
             SELECT shard_id, ?, data, SUM(diff), ?, MIN(lookup_a), MIN(lookup_b) FROM updates
             WHERE shard_id = ? AND ts <= ? GROUP BY data HAVING SUM(diff) <> 0`,
          )
          .run(since, c.seqno, shardId, since)
        ctx.stmt('DELETE FROM updates WHERE shard_id = ? AND ts <= ? AND id <= ?').run(shardId, since, lastId)
        c.updateCountDelta = stats.n_groups - stats.n_rows
        c.compactedSince = c.since ?? undefined
        c.detail = { since: c.since, rows_before: stats.n_rows, rows_after: stats.n_groups }
        return { before: shard.updateCount, after: shard.updateCount + c.updateCountDelta }
      },
    }
  })
}
