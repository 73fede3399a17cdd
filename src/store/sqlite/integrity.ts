/**
 * The SQLite store's own consistency checks: `PRAGMA integrity_check` first (the file's b-trees,
 * indexes and constraints), then the per-shard invariants every backend checks
 * (`../state/integrity.ts`: updates below the upper, the cached update count, the state log's head
 * and its gaps and frontier regressions), read here with SQLite's SQL in one read transaction.
 * An empty list means healthy. The shard checks run only on a file whose structure is sound.
 */
import { MAX_LOG_FINDINGS_PER_SHARD, type ShardIntegrityFacts, type StateLogStep, shardInvariantProblems } from '../state/integrity.js'
import type { IntegrityCheckOptions } from '../shard-store.js'
import { type SqliteContext, readTx } from './context.js'
import { mapSqliteError } from './sqlite-errors.js'

export function integrityCheck(ctx: SqliteContext, options: IntegrityCheckOptions = {}): string[] {
  let structural: string[]
  try {
    // quick_check: every b-tree and record, but not that each index matches its table (O(N), not O(N log N)).
    const pragma = options.quick === true ? 'quick_check' : 'integrity_check'
    const rows = ctx.db.pragma(pragma) as Record<string, string>[]
    structural = rows.map((r) => r[pragma] as string).filter((msg) => msg !== 'ok')
  } catch (err) {
    throw mapSqliteError(err, ctx)
  }
  // On a damaged file the queries below could fail or mislead; the structural findings come first.
  if (structural.length > 0) return structural
  return readTx(ctx, () => {
    const shards = ctx
      .stmt(
        `SELECT s.shard_id, s.seqno, s.upper, s.update_count,
         (SELECT COUNT(*) FROM updates u WHERE u.shard_id = s.shard_id) AS rows,
         (SELECT COUNT(*) FROM updates u WHERE u.shard_id = s.shard_id AND s.upper IS NOT NULL AND u.ts >= s.upper) AS beyond,
         (SELECT MAX(l.seqno) FROM state_log l WHERE l.shard_id = s.shard_id) AS log_head
       FROM shards s ORDER BY s.shard_id`,
      )
      .all() as ShardIntegrityFacts[]
    const steps: StateLogStep[] = []
    const log = ctx.stmt(
      // Biased u64s keep order; NULL is the empty antichain, after every time.
      `SELECT shard_id, seqno, prev_seqno, since, prev_since, upper, prev_upper FROM (
         SELECT shard_id, seqno, since, upper, LAG(seqno) OVER w AS prev_seqno, LAG(since) OVER w AS prev_since, LAG(upper) OVER w AS prev_upper
         FROM state_log WHERE shard_id = ? WINDOW w AS (ORDER BY seqno)) AS l
       WHERE prev_seqno IS NOT NULL AND (seqno <> prev_seqno + 1
         OR (prev_since IS NULL AND since IS NOT NULL) OR since < prev_since
         OR (prev_upper IS NULL AND upper IS NOT NULL) OR upper < prev_upper)
       ORDER BY seqno LIMIT ${MAX_LOG_FINDINGS_PER_SHARD}`,
    )
    for (const s of shards) steps.push(...(log.all(s.shard_id) as StateLogStep[]))
    return shardInvariantProblems(shards, steps)
  })
}
