/**
 * Physical compaction in SQLite: the SQL around the shared bookkeeping of `../state/compaction.ts`.
 */
import {
  type CompactionResult,
  type CompactionStats,
  compactionNeeded,
  compactionSince,
  compactionSkipped,
  recordCompaction,
} from '../state/compaction.js'
import { encodeU64 } from '../u64.js'
import type { SqliteContext } from './context.js'
import { transition } from './transition.js'

/** Compacts one shard; returns its row counts before and after. No write when there is nothing to do. */
export function compact(ctx: SqliteContext, shardId: string): CompactionResult {
  return transition<CompactionResult>(ctx, shardId, 'compact', (shard, exists) => {
    const to = compactionSince(shard, exists)
    if (to === undefined) return { result: compactionSkipped(shard) }
    const since = encodeU64(to)
    const stats = ctx
      .stmt(
        `SELECT COUNT(*) AS n_rows, COALESCE(SUM(ts < ?), 0) AS n_older,
           (SELECT COUNT(*) FROM (SELECT 1 FROM updates WHERE shard_id = ? AND ts <= ? GROUP BY data HAVING SUM(diff) <> 0)) AS n_groups
         FROM updates WHERE shard_id = ? AND ts <= ?`,
      )
      .get(since, shardId, since, shardId, since) as CompactionStats
    if (!compactionNeeded(stats)) return { result: compactionSkipped(shard) }
    return {
      commit: (c) => {
        const lastId = ctx.stmt('SELECT COALESCE(MAX(id), 0) FROM updates').pluck().get() as bigint
        // INSERT … SELECT from the same table materialises the SELECT first; new rows get ids above lastId.
        ctx
          .stmt(
            `INSERT INTO updates (shard_id, ts, data, diff, seqno, lookup_a, lookup_b)
             SELECT shard_id, ?, data, SUM(diff), ?, MIN(lookup_a), MIN(lookup_b) FROM updates
             WHERE shard_id = ? AND ts <= ? GROUP BY data HAVING SUM(diff) <> 0`,
          )
          .run(since, c.seqno, shardId, since)
        ctx.stmt('DELETE FROM updates WHERE shard_id = ? AND ts <= ? AND id <= ?').run(shardId, since, lastId)
        return recordCompaction(c, stats)
      },
    }
  })
}
