/**
 * A shard's state row, as every backend stores it (table `shards`, the same columns) and decodes
 * it: biased integers back to u64, NULL frontiers to `null`. The SQL that reads and writes the row
 * stays in each backend.
 */
import type { Frontier, ShardDiagnostics, ShardListing } from '../shard-store.js'
import { decodeFrontier, decodeU64, encodeU64 } from '../u64.js'
import { logJson } from './log-json.js'

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

/**
 * One row of `shards` as a driver returns it (int8 as `bigint`). `tombstone` is an INTEGER 0/1 in
 * SQLite and a BOOLEAN in PostgreSQL.
 */
export interface StoredShardRow {
  shard_id: string
  shard_name: string
  labels: string
  seqno: bigint
  applier_version: string
  walltime_ms: bigint
  hostname: string
  since: bigint | null
  upper: bigint | null
  tombstone: bigint | boolean
  update_count: bigint
  compacted_since: bigint | null
}

/** Decodes a stored `shards` row. */
export function decodeShardRow(raw: StoredShardRow): ShardRow {
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
    tombstone: typeof raw.tombstone === 'bigint' ? raw.tombstone !== 0n : raw.tombstone,
    updateCount: raw.update_count,
    compactedSince: raw.compacted_since === null ? undefined : decodeU64(raw.compacted_since),
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

/** The column values of a new shard (seqno 1, since = upper = [0]) and the detail of its `create` log entry. */
export interface NewShardValues {
  readonly labels: string
  /** Since and upper as stored: the biased `0`. */
  readonly zero: bigint
  readonly logDetail: string
}

/** What a backend writes when it creates a shard (persist initialises state at v1). */
export function newShardValues(diagnostics: ShardDiagnostics): NewShardValues {
  const labels = diagnostics.labels ?? {}
  return {
    labels: JSON.stringify(labels),
    zero: encodeU64(0n),
    logDetail: logJson({ shard_name: diagnostics.shardName, labels }),
  }
}

/** A shard as `listShards` reports it. */
export function shardListing(s: ShardRow): ShardListing {
  return {
    shardId: s.shardId,
    shardName: s.shardName,
    labels: s.labels,
    upper: s.upper,
    since: s.since,
    seqno: s.seqno,
    updates: s.updateCount,
  }
}
