/**
 * A shard's state row, decoded (biased integers back to u64, NULL frontiers to `null`).
 * Mirrors `../sqlite/shard-row.ts`.
 */
import type { Frontier, ShardDiagnostics } from '../shard-store.js'
import { decodeFrontier, encodeU64 } from '../u64.js'
import { type PgContext, logJson } from './context.js'
import type { Query } from './pool.js'
import { PG_SCHEMA as S } from './schema.js'

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
  tombstone: boolean
  update_count: bigint
  compacted_since: bigint | null
}

const COLUMNS = `shard_id, shard_name, labels, seqno, applier_version, walltime_ms, hostname, since, upper, tombstone,
  update_count, compacted_since`

/**
 * The shard's row, or `undefined` if the store has no such shard. `forUpdate` locks the row for the
 * rest of the transaction: every state change takes this lock first, so changes to one shard are
 * serialized and the compare-and-set reads the upper no one else is about to change.
 */
export async function loadShard(q: Query, shardId: string, forUpdate = false): Promise<ShardRow | undefined> {
  const res = await q<RawShard>(`SELECT ${COLUMNS} FROM ${S}.shards WHERE shard_id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [shardId])
  const raw = res.rows[0]
  return raw === undefined ? undefined : decodeShard(raw)
}

/** Every shard's row, in shard-id order (ids are `s` + lower-case hex, so every collation agrees). */
export async function loadAllShards(q: Query): Promise<ShardRow[]> {
  return (await q<RawShard>(`SELECT ${COLUMNS} FROM ${S}.shards ORDER BY shard_id`)).rows.map(decodeShard)
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
    tombstone: raw.tombstone,
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
 * it. Must run inside a write transaction. A concurrent creator makes this INSERT fail on the
 * primary key; the pool re-runs the whole transaction, which then finds the shard.
 */
export async function insertShard(ctx: PgContext, q: Query, shardId: string, diagnostics: ShardDiagnostics, nowMs: bigint): Promise<ShardRow> {
  const labels = JSON.stringify(diagnostics.labels ?? {})
  const zero = encodeU64(0n)
  await q(
    `INSERT INTO ${S}.shards (shard_id, shard_name, labels, seqno, applier_version, walltime_ms, hostname, since, upper)
     VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8)`,
    [shardId, diagnostics.shardName, labels, ctx.buildVersion, nowMs, ctx.hostname, zero, zero],
  )
  await q(
    `INSERT INTO ${S}.state_log (shard_id, seqno, walltime_ms, applier_version, hostname, cmd, since, upper, detail)
     VALUES ($1, 1, $2, $3, $4, 'create', $5, $6, $7)`,
    [shardId, nowMs, ctx.buildVersion, ctx.hostname, zero, zero, logJson({ shard_name: diagnostics.shardName, labels: diagnostics.labels ?? {} })],
  )
  return (await loadShard(q, shardId, true))!
}
