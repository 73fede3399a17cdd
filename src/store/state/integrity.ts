/**
 * The per-shard invariants every backend's `integrityCheck` verifies (spec S-6), shared by every
 * backend; each backend reads the facts below with its own SQL, in one read snapshot, and these
 * functions turn them into findings:
 * - every stored update lies below the upper;
 * - the cached update count (`update_count`) matches the update rows;
 * - the state log's head is the shard's seqno;
 * - the state log has no gaps, and since and upper never regressed across it.
 *
 * Frontier values are as stored (biased u64s, NULL = the empty antichain; see `../u64.ts`).
 */
import { formatFrontier, frontierLessThan } from '../frontier.js'
import { decodeFrontier } from '../u64.js'

/** Most log anomalies reported per shard. */
export const MAX_LOG_FINDINGS_PER_SHARD = 20

/**
 * One shard's facts, in shard-id order. A backend computes them with one query, e.g.
 * `SELECT s.shard_id, s.seqno, s.upper, s.update_count, (COUNT of its updates) AS rows,
 * (COUNT of its updates with s.upper IS NOT NULL AND ts >= s.upper) AS beyond,
 * (MAX seqno of its state log) AS log_head FROM shards s ORDER BY s.shard_id`.
 */
export interface ShardIntegrityFacts {
  readonly shard_id: string
  readonly seqno: bigint
  /** Stored (biased) upper; NULL is the empty antichain. */
  readonly upper: bigint | null
  readonly update_count: bigint
  /** Update rows stored for the shard. */
  readonly rows: bigint
  /** Update rows at or beyond the upper. */
  readonly beyond: bigint
  /** The highest seqno in the shard's state log, NULL when the log is empty. */
  readonly log_head: bigint | null
}

/**
 * One state-log entry with its predecessor (by seqno, per shard) where the pair is anomalous: a
 * backend selects them per shard with `LAG(…) OVER (ORDER BY seqno)` and keeps rows where
 * `seqno <> prev_seqno + 1` or since/upper went backwards (NULL → non-NULL, or smaller), ordered
 * by seqno, at most {@link MAX_LOG_FINDINGS_PER_SHARD}. Extra rows are harmless (only real
 * anomalies are reported).
 */
export interface StateLogStep {
  readonly shard_id: string
  readonly seqno: bigint
  readonly prev_seqno: bigint
  readonly since: bigint | null
  readonly prev_since: bigint | null
  readonly upper: bigint | null
  readonly prev_upper: bigint | null
}

/** The findings for the facts of every shard and the log steps a backend selected; empty when healthy. */
export function shardInvariantProblems(shards: readonly ShardIntegrityFacts[], steps: readonly StateLogStep[]): string[] {
  const stepsByShard = new Map<string, StateLogStep[]>()
  for (const step of steps) {
    const list = stepsByShard.get(step.shard_id)
    if (list === undefined) stepsByShard.set(step.shard_id, [step])
    else list.push(step)
  }
  const problems: string[] = []
  for (const s of shards) {
    problems.push(...shardProblems(s))
    problems.push(...stateLogProblems(s.shard_id, stepsByShard.get(s.shard_id) ?? []))
  }
  return problems
}

/** The row-count, upper and log-head invariants of one shard. */
export function shardProblems(s: ShardIntegrityFacts): string[] {
  const out: string[] = []
  if (s.rows !== s.update_count) out.push(`${s.shard_id}: update_count is ${s.update_count} but ${s.rows} update rows are stored`)
  if (s.beyond > 0n) out.push(`${s.shard_id}: ${s.beyond} update(s) at or beyond the upper ${formatFrontier(decodeFrontier(s.upper))}`)
  if (s.log_head !== s.seqno) out.push(`${s.shard_id}: seqno is ${s.seqno} but the state log ends at ${s.log_head ?? 'nothing'}`)
  return out
}

/** Log entries of one shard that skip a seqno or whose since or upper is before the previous entry's (at most 20). */
export function stateLogProblems(shardId: string, steps: readonly StateLogStep[]): string[] {
  const out: string[] = []
  for (const r of steps) {
    if (out.length >= MAX_LOG_FINDINGS_PER_SHARD) break
    if (r.seqno !== r.prev_seqno + 1n) out.push(`${shardId}: state log jumps from seqno ${r.prev_seqno} to ${r.seqno}`)
    for (const [f, prev, cur] of [
      ['since', r.prev_since, r.since],
      ['upper', r.prev_upper, r.upper],
    ] as const) {
      if (frontierLessThan(decodeFrontier(cur), decodeFrontier(prev))) {
        out.push(
          `${shardId}: ${f} regressed at seqno ${r.seqno}: ${formatFrontier(decodeFrontier(prev))} → ${formatFrontier(decodeFrontier(cur))}`,
        )
      }
    }
  }
  return out.slice(0, MAX_LOG_FINDINGS_PER_SHARD)
}
