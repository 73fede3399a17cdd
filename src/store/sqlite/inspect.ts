/**
 * `inspect` (persist's `inspect_shard`) and `listShards`: state as data, never gated, never written.
 */
import { NotFoundError } from '../../errors.js'
import { frontierToArray } from '../frontier.js'
import type { ShardListing, ShardStateJson } from '../shard-store.js'
import { decodeFrontier } from '../u64.js'
import { type SqliteContext, readTx } from './context.js'
import { loadAllShards, loadShard, type ShardRow } from './shard-row.js'

/** The shard's state with persist's field names. Absent shard → `NotFoundError` "{id} does not exist". */
export function inspectShard(ctx: SqliteContext, shardId: string): ShardStateJson {
  return readTx(ctx, () => {
    const shard = loadShard(ctx, shardId)
    if (shard === undefined) throw new NotFoundError(`${shardId} does not exist`, { code: 'shard-not-found' })
    return {
      applier_version: shard.applierVersion,
      shard_id: shard.shardId,
      shard_name: shard.shardName,
      labels: shard.labels,
      seqno: shard.seqno,
      walltime_ms: shard.walltimeMs,
      hostname: shard.hostname,
      since: frontierToArray(shard.since),
      upper: frontierToArray(shard.upper),
      leased_readers: leasedReaders(ctx, shardId),
      critical_readers: criticalReaders(ctx, shardId),
      writers: writers(ctx, shardId),
      tombstone: shard.tombstone,
      update_count: shard.updateCount,
    }
  })
}

/** Every shard, in shard-id order. */
export function listShards(ctx: SqliteContext): ShardListing[] {
  return readTx(ctx, () => loadAllShards(ctx).map(toListing))
}

function toListing(s: ShardRow): ShardListing {
  return { shardId: s.shardId, shardName: s.shardName, labels: s.labels, upper: s.upper, since: s.since, seqno: s.seqno, updates: s.updateCount }
}

const asArray = (v: bigint | null): bigint[] => frontierToArray(decodeFrontier(v))

function leasedReaders(ctx: SqliteContext, shardId: string): ShardStateJson['leased_readers'] {
  const rows = ctx.stmt('SELECT * FROM leased_readers WHERE shard_id = ? ORDER BY reader_id').all(shardId) as {
    reader_id: string; since: bigint | null; seqno: bigint; last_heartbeat_ms: bigint; lease_duration_ms: bigint; hostname: string; purpose: string
  }[]
  return Object.fromEntries(rows.map((r) => [r.reader_id, {
    seqno: r.seqno,
    since: asArray(r.since),
    last_heartbeat_timestamp_ms: r.last_heartbeat_ms,
    lease_duration_ms: r.lease_duration_ms,
    debug: { hostname: r.hostname, purpose: r.purpose },
  }]))
}

function criticalReaders(ctx: SqliteContext, shardId: string): ShardStateJson['critical_readers'] {
  const rows = ctx.stmt('SELECT * FROM critical_readers WHERE shard_id = ? ORDER BY reader_id').all(shardId) as {
    reader_id: string; since: bigint | null; opaque: bigint; opaque_codec: string; hostname: string; purpose: string
  }[]
  return Object.fromEntries(rows.map((r) => [r.reader_id, {
    since: asArray(r.since),
    opaque: r.opaque,
    opaque_codec: r.opaque_codec,
    debug: { hostname: r.hostname, purpose: r.purpose },
  }]))
}

function writers(ctx: SqliteContext, shardId: string): ShardStateJson['writers'] {
  const rows = ctx.stmt('SELECT * FROM writers WHERE shard_id = ? ORDER BY writer_id').all(shardId) as {
    writer_id: string; last_heartbeat_ms: bigint; lease_duration_ms: bigint; most_recent_write_token: string
    most_recent_write_upper: bigint | null; hostname: string; purpose: string
  }[]
  return Object.fromEntries(rows.map((r) => [r.writer_id, {
    last_heartbeat_timestamp_ms: r.last_heartbeat_ms,
    lease_duration_ms: r.lease_duration_ms,
    most_recent_write_token: r.most_recent_write_token,
    most_recent_write_upper: asArray(r.most_recent_write_upper),
    debug: { hostname: r.hostname, purpose: r.purpose },
  }]))
}
