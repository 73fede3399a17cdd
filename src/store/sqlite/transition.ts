/**
 * The one way shard state changes (persist's `apply_unbatched_cmd` + `clone_apply`).
 *
 * In one IMMEDIATE transaction: load the state, run the data-version gate (so an old build never
 * rewrites newer state), let the operation decide. A decision without `commit` writes nothing and
 * consumes no seqno (an upper mismatch, an idempotent retry). A committed decision gets
 * `seqno + 1`, `walltime_ms = max(now, previous + 1)`, `applier_version = max(stored, build)`,
 * drops expired leases (lazily, as persist does on every transition) and appends a `state_log`
 * row recording the frontiers after the change.
 */
import type { Frontier, ShardDiagnostics } from '../shard-store.js'
import { encodeFrontier, encodeU64 } from '../u64.js'
import { checkDataVersion, maxVersion } from '../version-gate.js'
import { type SqliteContext, logJson, writeTx } from './context.js'
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
export type Decision<T> = { readonly result: T } | { readonly commit: (c: Commit) => T }

/**
 * Runs one state transition of `shardId`. `decide` sees the current state (a virtual initial
 * state if the shard does not exist; it is created only if the decision commits). Throws
 * `IncompatibleVersionError` from the gate, whatever `decide`/`commit` throw (rolling back), and
 * mapped SQLite errors.
 */
export function transition<T>(
  ctx: SqliteContext,
  shardId: string,
  cmd: string,
  decide: (shard: ShardRow, exists: boolean) => Decision<T>,
  diagnostics: ShardDiagnostics = { shardName: '' },
): T {
  return writeTx(ctx, () => {
    const now = ctx.now()
    const stored = loadShard(ctx, shardId)
    if (stored !== undefined) checkDataVersion(ctx.buildVersion, stored.applierVersion)
    const decision = decide(stored ?? absentShard(shardId, ctx.buildVersion), stored !== undefined)
    if (!('commit' in decision)) return decision.result
    const base = stored ?? insertShard(ctx, shardId, diagnostics, now)
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
    const result = decision.commit(c)
    const walltimeMs = now > base.walltimeMs ? now : base.walltimeMs + 1n
    const applierVersion = maxVersion(base.applierVersion, ctx.buildVersion)
    const expired = expireLeases(ctx, shardId, now)
    ctx
      .stmt(
        `UPDATE shards SET seqno = ?, walltime_ms = ?, applier_version = ?, hostname = ?, since = ?, upper = ?,
           update_count = update_count + ?, compacted_since = ?
         WHERE shard_id = ?`,
      )
      .run(c.seqno, walltimeMs, applierVersion, ctx.hostname, encodeFrontier(c.since), encodeFrontier(c.upper),
        c.updateCountDelta, c.compactedSince === undefined ? null : encodeU64(c.compactedSince), shardId)
    ctx
      .stmt(
        `INSERT INTO state_log (shard_id, seqno, walltime_ms, applier_version, hostname, cmd, since, upper, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(shardId, c.seqno, walltimeMs, applierVersion, ctx.hostname, cmd, encodeFrontier(c.since), encodeFrontier(c.upper),
        logJson({ ...c.detail, ...expired }))
    return result
  })
}

/** Drops leased readers and writers whose lease ran out (`last_heartbeat + lease < now`). */
function expireLeases(ctx: SqliteContext, shardId: string, now: bigint): Record<string, number> {
  const readers = ctx.stmt('DELETE FROM leased_readers WHERE shard_id = ? AND last_heartbeat_ms + lease_duration_ms < ?').run(shardId, now).changes
  const writers = ctx.stmt('DELETE FROM writers WHERE shard_id = ? AND last_heartbeat_ms + lease_duration_ms < ?').run(shardId, now).changes
  const out: Record<string, number> = {}
  if (readers > 0) out.expired_leased_readers = readers
  if (writers > 0) out.expired_writers = writers
  return out
}
