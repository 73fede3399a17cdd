/**
 * A shard's state row, decoded (biased integers back to u64, NULL frontiers to `null`).
 */
import type { Frontier, ShardDiagnostics } from '../shard-store.js'
import { decodeFrontier, encodeU64 } from '../u64.js'
import { type SqliteContext, logJson } from './context.js'

/** One row of `shards`, decoded. */
export interface ShardRow {
  readonly shardId: string
  readonly shardName: string
  readonly labels: Readonly<Record<string, string>>
  readonly seqno: bigint
  readonly applierVersion: string
  readonly walltimeMs: bigint
  readonly hostname: string
  readonly since: Frontier
  readonly upper: Frontier
  readonly tombstone: boolean
  readonly updateCount: bigint
  /** The since of the latest compaction; `undefined` if the shard was never compacted. */
  readonly compactedSince: bigint | undefined
}

interface RawShard {
  shard_id: string
  shard_name: string
  labels: string
  seqno: bigint
  applier_version: string
  walltime_ms: bigint
  hostname: string
  since: bigint | null
  upper: bigint | null
  tombstone: bigint
  update_count: bigint
  compacted_since: bigint | null
}

/** The shard's row, or `undefined` if the store has no such shard. */
export function loadShard(ctx: SqliteContext, shardId: string): ShardRow | undefined {
  const raw = ctx.stmt('SELECT * FROM shards WHERE shard_id = ?').get(shardId) as RawShard | undefined
  return raw === undefined ? undefined : decodeShard(raw)
}

/** Every shard's row, in shard-id order. */
export function loadAllShards(ctx: SqliteContext): ShardRow[] {
  return (ctx.stmt('SELECT * FROM shards ORDER BY shard_id').all() as RawShard[]).map(decodeShard)
}

function decodeShard(raw: RawShard): ShardRow {
  return {
    shardId: raw.shard_id,
    shardName: raw.shard_name,
    labels: JSON.parse(raw.labels) as Record<string, string>,
    seqno: raw.seqno,
    applierVersion: raw.applier_version,
    walltimeMs: raw.walltime_ms,
    hostname: raw.hostname,
    since: decodeFrontier(raw.since),
    upper: decodeFrontier(raw.upper),
    tombstone: raw.tombstone !== 0n,
    updateCount: raw.update_count,
    compactedSince: raw.compacted_since === null ? undefined : decodeFrontier(raw.compacted_since) ?? undefined,
  }
}

/** The state a shard that does not exist yet is treated as having (persist's initial state, before v1). */
export function absentShard(shardId: string, buildVersion: string): ShardRow {
  return {
    shardId,
    shardName: '',
    labels: {},
    seqno: 0n,
    applierVersion: buildVersion,
    walltimeMs: 0n,
    hostname: '',
    since: 0n,
    upper: 0n,
    tombstone: false,
    updateCount: 0n,
    compactedSince: undefined,
  }
}

/**
 * Creates a shard with since = upper = [0] at seqno 1 (persist initialises state at v1), and logs
 * it. Must run inside a write transaction.
 */
export function insertShard(ctx: SqliteContext, shardId: string, diagnostics: ShardDiagnostics, nowMs: bigint): ShardRow {
  const labels = JSON.stringify(diagnostics.labels ?? {})
  const zero = encodeU64(0n)
  ctx
    .stmt(
      `INSERT INTO shards (shard_id, shard_name, labels, seqno, applier_version, walltime_ms, hostname, since, upper)
       VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)`,
    )
    .run(shardId, diagnostics.shardName, labels, ctx.buildVersion, nowMs, ctx.hostname, zero, zero)
  ctx
    .stmt(
      `INSERT INTO state_log (shard_id, seqno, walltime_ms, applier_version, hostname, cmd, since, upper, detail)
       VALUES (?, 1, ?, ?, ?, 'create', ?, ?, ?)`,
    )
    .run(shardId, nowMs, ctx.buildVersion, ctx.hostname, zero, zero, logJson({ shard_name: diagnostics.shardName, labels: diagnostics.labels ?? {} }))
  return loadShard(ctx, shardId)!
}
