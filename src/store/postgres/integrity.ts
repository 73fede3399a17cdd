/**
 * The PostgreSQL store's own consistency checks (the counterpart of SQLite's
 * `PRAGMA integrity_check`, which PostgreSQL has no equivalent of for an ordinary role): the format
 * marker and tables, then the per-shard invariants every backend checks (`../state/integrity.ts`:
 * updates below the upper, the cached update count, the state log's head and its gaps and frontier
 * regressions), read here with PostgreSQL's SQL. One read-only snapshot; an empty list means healthy.
 */
import { MAX_LOG_FINDINGS_PER_SHARD, type ShardIntegrityFacts, type StateLogStep, shardInvariantProblems } from '../state/integrity.js'
import type { PgContext } from './context.js'
import { PG_SCHEMA as S, checkPgStoreFormat } from './schema.js'

export function integrityCheck(ctx: PgContext): Promise<string[]> {
  return ctx.pool.read('integrity check', async (q) => {
    await checkPgStoreFormat(q, ctx.location)
    const shards = (
      await q<ShardIntegrityFacts>(
        `SELECT s.shard_id, s.seqno, s.upper, s.update_count,
           (SELECT COUNT(*) FROM ${S}.updates u WHERE u.shard_id = s.shard_id) AS rows,
           (SELECT COUNT(*) FROM ${S}.updates u WHERE u.shard_id = s.shard_id AND s.upper IS NOT NULL AND u.ts >= s.upper) AS beyond,
           (SELECT MAX(l.seqno) FROM ${S}.state_log l WHERE l.shard_id = s.shard_id) AS log_head
         FROM ${S}.shards s ORDER BY s.shard_id`,
      )
    ).rows
    const steps: StateLogStep[] = []
    for (const s of shards) {
      // Biased u64s keep order; NULL is the empty antichain, after every time.
      steps.push(
        ...(
          await q<StateLogStep>(
            `SELECT shard_id, seqno, prev_seqno, since, prev_since, upper, prev_upper FROM (
           SELECT shard_id, seqno, since, upper, LAG(seqno) OVER w AS prev_seqno, LAG(since) OVER w AS prev_since, LAG(upper) OVER w AS prev_upper
           FROM ${S}.state_log WHERE shard_id = $1 WINDOW w AS (ORDER BY seqno)) AS l
         WHERE prev_seqno IS NOT NULL AND (seqno <> prev_seqno + 1
           OR (prev_since IS NULL AND since IS NOT NULL) OR since < prev_since
           OR (prev_upper IS NULL AND upper IS NOT NULL) OR upper < prev_upper)
         ORDER BY seqno LIMIT ${MAX_LOG_FINDINGS_PER_SHARD}`,
            [s.shard_id],
          )
        ).rows,
      )
    }
    return shardInvariantProblems(shards, steps)
  })
}
