/**
 * Physical compaction in PostgreSQL: the SQL around the shared bookkeeping of
 * `../state/compaction.ts`.
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
import type { PgContext } from './context.js'
import { PG_SCHEMA as S } from './schema.js'
import { transition } from './transition.js'

/** Compacts one shard; returns its row counts before and after. No write when there is nothing to do. */
export function compact(ctx: PgContext, shardId: string): Promise<CompactionResult> {
  return transition<CompactionResult>(ctx, shardId, 'compact', async (q, shard, exists) => {
    const to = compactionSince(shard, exists)
    if (to === undefined) return { result: compactionSkipped(shard) }
    const since = encodeU64(to)
    const stats = (
      await q<CompactionStats>(
        `SELECT COUNT(*) AS n_rows, COUNT(CASE WHEN ts < $1 THEN 1 END) AS n_older,
           (SELECT COUNT(*) FROM (SELECT 1 FROM ${S}.updates WHERE shard_id = $2 AND ts <= $1 GROUP BY data HAVING SUM(diff) <> 0) AS g) AS n_groups
         FROM ${S}.updates WHERE shard_id = $2 AND ts <= $1`,
        [since, shardId],
      )
    ).rows[0]!
    if (!compactionNeeded(stats)) return { result: compactionSkipped(shard) }
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
        return recordCompaction(c, stats)
      },
    }
  })
}
