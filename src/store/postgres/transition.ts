/**
 * The one way shard state changes (persist's `apply_unbatched_cmd` + `clone_apply`); mirrors
 * `../sqlite/transition.ts`.
 *
 * In one SERIALIZABLE transaction: lock and load the shard row (`SELECT … FOR UPDATE`), run the
 * data-version gate (so an old build never rewrites newer state), let the operation decide. A
 * decision without `commit` writes nothing and consumes no seqno (an upper mismatch, an idempotent
 * retry). A committed decision gets `seqno + 1`, `walltime_ms = max(now, previous + 1)`,
 * `applier_version = max(stored, build)`, drops expired leases (lazily, as persist does on every
 * transition) and appends a `state_log` row recording the frontiers after the change.
 *
 * The row lock serializes transitions of one shard; SERIALIZABLE isolation makes the whole
 * transition one atomic step even where a lock alone would not (creating an absent shard). A
 * conflict aborts the transaction with 40001 (or 23505 for two creators), and the pool re-runs it
 * from the start, so `decide` and `commit` must depend only on what they read through `q`.
 */
import type { Frontier, ShardDiagnostics } from '../shard-store.js'
import { encodeFrontier, encodeU64 } from '../u64.js'
import { checkDataVersion, maxVersion } from '../version-gate.js'
import { type PgContext, logJson } from './context.js'
import type { Query } from './pool.js'
import { PG_SCHEMA as S } from './schema.js'
import { absentShard, insertShard, loadShard, type ShardRow } from './shard-row.js'

/** The state change being committed; the operation's `commit` sets frontiers and detail. */
export interface Commit {
  /** The seqno this change commits at. */
  readonly seqno: bigint
  /** The clock reading of this transition (heartbeats use it). */
  readonly now: bigint
  /** State before the change (after creating the shard, if it was absent). */
  readonly shard: ShardRow
  since: Frontier
  upper: Frontier
  updateCountDelta: bigint
  compactedSince: bigint | undefined
  detail: Record<string, unknown>
}

/** What an operation decided after seeing the state: a result without a write, or a commit. */
export type Decision<T> = { readonly result: T } | { readonly commit: (c: Commit) => T | Promise<T> }

/**
 * Runs one state transition of `shardId`. `decide` sees the current state (a virtual initial
 * state if the shard does not exist; it is created only if the decision commits). Throws
 * `IncompatibleVersionError` from the gate, whatever `decide`/`commit` throw (rolling back), and
 * mapped PostgreSQL errors.
 */
export function transition<T>(
  ctx: PgContext,
  shardId: string,
  cmd: string,
  decide: (q: Query, shard: ShardRow, exists: boolean) => Decision<T> | Promise<Decision<T>>,
  diagnostics: ShardDiagnostics = { shardName: '' },
): Promise<T> {
  return ctx.pool.write(`${cmd} on ${shardId}`, async (q) => {
    const now = ctx.now()
    const stored = await loadShard(q, shardId, true)
    if (stored !== undefined) checkDataVersion(ctx.buildVersion, stored.applierVersion)
    const decision = await decide(q, stored ?? absentShard(shardId, ctx.buildVersion), stored !== undefined)
    if (!('commit' in decision)) return decision.result
    const base = stored ?? (await insertShard(ctx, q, shardId, diagnostics, now))
    const c: Commit = {
      seqno: base.seqno + 1n,
      now,
      shard: base,
      since: base.since,
      upper: base.upper,
      updateCountDelta: 0n,
      compactedSince: base.compactedSince,
      detail: {},
    }
    const result = await decision.commit(c)
    const walltimeMs = now > base.walltimeMs ? now : base.walltimeMs + 1n
    const applierVersion = maxVersion(base.applierVersion, ctx.buildVersion)
    const expired = await expireLeases(q, shardId, now)
    // One statement for the new state and its log entry (a round trip saved on every transition).
    await q(
      `WITH s AS (
         UPDATE ${S}.shards SET seqno = $2, walltime_ms = $3, applier_version = $4, hostname = $5, since = $6, upper = $7,
           update_count = update_count + $8, compacted_since = $9
         WHERE shard_id = $1 RETURNING shard_id)
       INSERT INTO ${S}.state_log (shard_id, seqno, walltime_ms, applier_version, hostname, cmd, since, upper, detail)
       SELECT s.shard_id, $2, $3, $4, $5, CAST($10 AS TEXT), $6, $7, CAST($11 AS TEXT) FROM s`,
      [shardId, c.seqno, walltimeMs, applierVersion, ctx.hostname, encodeFrontier(c.since), encodeFrontier(c.upper),
        c.updateCountDelta, c.compactedSince === undefined ? null : encodeU64(c.compactedSince), cmd, logJson({ ...c.detail, ...expired })],
    )
    return result
  })
}

/**
 * Drops leased readers and writers whose lease ran out (`last_heartbeat + lease < now`, written as
 * `last_heartbeat < now - lease` so a far-future heartbeat cannot overflow BIGINT). One statement.
 */
async function expireLeases(q: Query, shardId: string, now: bigint): Promise<Record<string, number>> {
  const row = (
    await q<{ readers: bigint; writers: bigint }>(
      `WITH r AS (DELETE FROM ${S}.leased_readers WHERE shard_id = $1 AND last_heartbeat_ms < $2 - lease_duration_ms RETURNING 1),
         w AS (DELETE FROM ${S}.writers WHERE shard_id = $1 AND last_heartbeat_ms < $2 - lease_duration_ms RETURNING 1)
       SELECT (SELECT COUNT(*) FROM r) AS readers, (SELECT COUNT(*) FROM w) AS writers`,
      [shardId, now],
    )
  ).rows[0]!
  const out: Record<string, number> = {}
  if (row.readers > 0n) out.expired_leased_readers = Number(row.readers)
  if (row.writers > 0n) out.expired_writers = Number(row.writers)
  return out
}
