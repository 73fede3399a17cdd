/**
 * The PostgreSQL store's own consistency checks (the counterpart of SQLite's
 * `PRAGMA integrity_check`, which PostgreSQL has no equivalent of for an ordinary role): the format
 * marker and tables, and per shard the invariants the store maintains (spec S-6): every stored
 * update lies below the upper, the cached update count matches the rows, the state log's head is
 * the shard's seqno, and since and upper never regressed across the log. One read-only snapshot;
 * an empty list means healthy.
 */
import { formatFrontier, frontierLessThan } from '../frontier.js'
import { decodeFrontier } from '../u64.js'
import type { PgContext } from './context.js'
import type { Query } from './pool.js'
import { PG_SCHEMA as S, checkPgStoreFormat } from './schema.js'

export function integrityCheck(ctx: PgContext): Promise<string[]> {
  return ctx.pool.read('integrity check', async (q) => {
    await checkPgStoreFormat(q, ctx.location)
    const problems: string[] = []
    const shards = (
      await q<{ shard_id: string; seqno: bigint; upper: bigint | null; update_count: bigint; rows: bigint; beyond: bigint; log_head: bigint | null }>(
        `SELECT s.shard_id, s.seqno, s.upper, s.update_count,
           (SELECT COUNT(*) FROM ${S}.updates u WHERE u.shard_id = s.shard_id) AS rows,
           (SELECT COUNT(*) FROM ${S}.updates u WHERE u.shard_id = s.shard_id AND s.upper IS NOT NULL AND u.ts >= s.upper) AS beyond,
           (SELECT MAX(l.seqno) FROM ${S}.state_log l WHERE l.shard_id = s.shard_id) AS log_head
         FROM ${S}.shards s ORDER BY s.shard_id`,
      )
    ).rows
    for (const s of shards) {
      if (s.rows !== s.update_count) problems.push(`${s.shard_id}: update_count is ${s.update_count} but ${s.rows} update rows are stored`)
      if (s.beyond > 0n) problems.push(`${s.shard_id}: ${s.beyond} update(s) at or beyond the upper ${formatFrontier(decodeFrontier(s.upper))}`)
      if (s.log_head !== s.seqno) problems.push(`${s.shard_id}: seqno is ${s.seqno} but the state log ends at ${s.log_head ?? 'nothing'}`)
      problems.push(...(await frontierRegressions(q, s.shard_id)))
    }
    return problems
  })
}

/** Log entries that skip a seqno or whose since or upper is before the previous entry's (at most 20). */
async function frontierRegressions(q: Query, shardId: string): Promise<string[]> {
  // Biased u64s keep order; NULL is the empty antichain, after every time.
  const rows = (await q<{ seqno: bigint; prev_seqno: bigint; since: bigint | null; prev_since: bigint | null; upper: bigint | null; prev_upper: bigint | null }>(
    `SELECT seqno, prev_seqno, since, prev_since, upper, prev_upper FROM (
       SELECT seqno, since, upper, LAG(seqno) OVER w AS prev_seqno, LAG(since) OVER w AS prev_since, LAG(upper) OVER w AS prev_upper
       FROM ${S}.state_log WHERE shard_id = $1 WINDOW w AS (ORDER BY seqno)) AS l
     WHERE prev_seqno IS NOT NULL AND (seqno <> prev_seqno + 1
       OR (prev_since IS NULL AND since IS NOT NULL) OR since < prev_since
       OR (prev_upper IS NULL AND upper IS NOT NULL) OR upper < prev_upper)
     ORDER BY seqno LIMIT 20`,
    [shardId],
  )).rows
  const out: string[] = []
  for (const r of rows) {
    if (r.seqno !== r.prev_seqno + 1n) out.push(`${shardId}: state log jumps from seqno ${r.prev_seqno} to ${r.seqno}`)
    for (const [f, prev, cur] of [['since', r.prev_since, r.since], ['upper', r.prev_upper, r.upper]] as const) {
      if (frontierLessThan(decodeFrontier(cur), decodeFrontier(prev))) {
        out.push(`${shardId}: ${f} regressed at seqno ${r.seqno}: ${formatFrontier(decodeFrontier(prev))} → ${formatFrontier(decodeFrontier(cur))}`)
      }
    }
  }
  return out
}
