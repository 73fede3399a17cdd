/**
 * The one way shard state changes, in SQLite: one IMMEDIATE transaction runs the shared transition
 * bookkeeping (`../state/commit.ts`: gate, decide, stamp, expire leases, log).
 */
import type { ShardDiagnostics } from '../shard-store.js'
import { type Commit, type Decision, beginCommit, commitRecord, gatedState } from '../state/commit.js'
import type { ShardRow } from '../state/shard-row.js'
import { type SqliteContext, writeTx } from './context.js'
import { insertShard, loadShard } from './shard-row.js'

export type { Commit, Decision } from '../state/commit.js'

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
    const decision = decide(...gatedState(stored, shardId, ctx.buildVersion))
    if (!('commit' in decision)) return decision.result
    const c: Commit = beginCommit(stored ?? insertShard(ctx, shardId, diagnostics, now), now)
    const result = decision.commit(c)
    writeCommit(ctx, shardId, cmd, c)
    return result
  })
}

/** Writes a committed transition's new state and its state-log entry (inside the write transaction). */
export function writeCommit(ctx: SqliteContext, shardId: string, cmd: string, c: Commit): void {
  const r = commitRecord(c, ctx.buildVersion, expireLeases(ctx, shardId, c.now))
  ctx
    .stmt(
      `UPDATE shards SET seqno = ?, walltime_ms = ?, applier_version = ?, hostname = ?, since = ?, upper = ?,
         update_count = update_count + ?, compacted_since = ?
       WHERE shard_id = ?`,
    )
    .run(r.seqno, r.walltimeMs, r.applierVersion, ctx.hostname, r.since, r.upper, r.updateCountDelta, r.compactedSince, shardId)
  ctx
    .stmt(
      `INSERT INTO state_log (shard_id, seqno, walltime_ms, applier_version, hostname, cmd, since, upper, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(shardId, r.seqno, r.walltimeMs, r.applierVersion, ctx.hostname, cmd, r.since, r.upper, r.detail)
}

/** Drops leased readers and writers whose lease ran out (`last_heartbeat + lease < now`). */
function expireLeases(ctx: SqliteContext, shardId: string, now: bigint): { readers: number; writers: number } {
  return {
    readers: ctx.stmt('DELETE FROM leased_readers WHERE shard_id = ? AND last_heartbeat_ms + lease_duration_ms < ?').run(shardId, now)
      .changes,
    writers: ctx.stmt('DELETE FROM writers WHERE shard_id = ? AND last_heartbeat_ms + lease_duration_ms < ?').run(shardId, now).changes,
  }
}
