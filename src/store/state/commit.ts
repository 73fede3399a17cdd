/**
 * The bookkeeping of one state transition (persist's `apply_unbatched_cmd` + `clone_apply`),
 * shared by every backend; each backend runs it inside its own write transaction and writes the
 * record with its own SQL.
 *
 * A transition loads the state, runs the data-version gate (so an old build never rewrites newer
 * state), and lets the operation decide. A decision without `commit` writes nothing and consumes no
 * seqno (an upper mismatch, an idempotent retry). A committed decision gets `seqno + 1`,
 * `walltime_ms = max(now, previous + 1)` (strictly increasing even if the clock steps back),
 * `applier_version = max(stored, build)`, drops expired leases and appends a `state_log` row
 * recording the frontiers after the change.
 */
import type { Frontier } from '../shard-store.js'
import { encodeFrontier, encodeU64 } from '../u64.js'
import { checkDataVersion, maxVersion } from '../version-gate.js'
import { logJson } from './log-json.js'
import { absentShard, type ShardRow } from './shard-row.js'

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

/**
 * What an operation decided after seeing the state: a result without a write, or a commit. `C` is
 * what `commit` returns: `T`, or for an asynchronous driver `T | Promise<T>`.
 */
export type Decision<T, C = T> = { readonly result: T } | { readonly commit: (c: Commit) => C }

/**
 * Runs the data-version gate on the stored state (throws `IncompatibleVersionError`) and returns
 * what an operation decides on: the stored state, or the virtual initial state of an absent shard
 * (created only if the decision commits), and whether the shard exists.
 */
export function gatedState(stored: ShardRow | undefined, shardId: string, buildVersion: string): [shard: ShardRow, exists: boolean] {
  if (stored === undefined) return [absentShard(shardId, buildVersion), false]
  checkDataVersion(buildVersion, stored.applierVersion)
  return [stored, true]
}

/** A commit on top of `base`: the next seqno, frontiers as they are until the operation moves them. */
export function beginCommit(base: ShardRow, now: bigint): Commit {
  return {
    seqno: base.seqno + 1n,
    now,
    shard: base,
    since: base.since,
    upper: base.upper,
    updateCountDelta: 0n,
    compactedSince: base.compactedSince,
    detail: {},
  }
}

/** The columns a committed transition writes to `shards` and `state_log`, as stored. */
export interface CommitRecord {
  readonly seqno: bigint
  readonly walltimeMs: bigint
  readonly applierVersion: string
  readonly since: bigint | null
  readonly upper: bigint | null
  readonly updateCountDelta: bigint
  readonly compactedSince: bigint | null
  /** The state log's detail: the operation's, plus the leases that expired. */
  readonly detail: string
}

/** Leases dropped by a transition (`last_heartbeat + lease < now`). */
export interface ExpiredLeases {
  readonly readers: number
  readonly writers: number
}

/** The record of a committed transition (see the module comment for the stamping rules). */
export function commitRecord(c: Commit, buildVersion: string, expired: ExpiredLeases): CommitRecord {
  const base = c.shard
  const expiredDetail: Record<string, number> = {}
  if (expired.readers > 0) expiredDetail.expired_leased_readers = expired.readers
  if (expired.writers > 0) expiredDetail.expired_writers = expired.writers
  return {
    seqno: c.seqno,
    walltimeMs: c.now > base.walltimeMs ? c.now : base.walltimeMs + 1n,
    applierVersion: maxVersion(base.applierVersion, buildVersion),
    since: encodeFrontier(c.since),
    upper: encodeFrontier(c.upper),
    updateCountDelta: c.updateCountDelta,
    compactedSince: c.compactedSince === undefined ? null : encodeU64(c.compactedSince),
    detail: logJson({ ...c.detail, ...expiredDetail }),
  }
}
