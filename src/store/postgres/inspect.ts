/**
 * `inspect` (persist's `inspect_shard`) and `listShards`: state as data, never gated, never
 * written (mirrors `../sqlite/inspect.ts`). One read-only snapshot per call.
 */
import { NotFoundError } from '../../errors.js'
import { frontierToArray } from '../frontier.js'
import type { ShardListing, ShardStateJson } from '../shard-store.js'
import { decodeFrontier } from '../u64.js'
import type { PgContext } from './context.js'
import type { Query } from './pool.js'
import { PG_SCHEMA as S } from './schema.js'
import { loadAllShards, loadShard, type ShardRow } from './shard-row.js'

/** The shard's state with persist's field names. Absent shard → `NotFoundError` "{id} does not exist". */
export function inspectShard(ctx: PgContext, shardId: string): Promise<ShardStateJson> {
  return ctx.pool.read(`inspect ${shardId}`, async (q) => {
    const shard = await loadShard(q, shardId)
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
      leased_readers: await leasedReaders(q, shardId),
      critical_readers: await criticalReaders(q, shardId),
      writers: await writers(q, shardId),
      tombstone: shard.tombstone,
      update_count: shard.updateCount,
    }
  })
}

/** Every shard, in shard-id order. */
export function listShards(ctx: PgContext): Promise<ShardListing[]> {
  return ctx.pool.read('list shards', async (q) => (await loadAllShards(q)).map(toListing))
}

function toListing(s: ShardRow): ShardListing {
  return { shardId: s.shardId, shardName: s.shardName, labels: s.labels, upper: s.upper, since: s.since, seqno: s.seqno, updates: s.updateCount }
}

const asArray = (v: bigint | null): bigint[] => frontierToArray(decodeFrontier(v))

async function leasedReaders(q: Query, shardId: string): Promise<ShardStateJson['leased_readers']> {
  const rows = (
    await q<{
      reader_id: string; since: bigint | null; seqno: bigint; last_heartbeat_ms: bigint; lease_duration_ms: bigint; hostname: string; purpose: string
    }>(
      `SELECT reader_id, since, seqno, last_heartbeat_ms, lease_duration_ms, hostname, purpose
       FROM ${S}.leased_readers WHERE shard_id = $1 ORDER BY reader_id`,
      [shardId],
    )
  ).rows
  return Object.fromEntries(rows.map((r) => [r.reader_id, {
    seqno: r.seqno,
    since: asArray(r.since),
    last_heartbeat_timestamp_ms: r.last_heartbeat_ms,
    lease_duration_ms: r.lease_duration_ms,
    debug: { hostname: r.hostname, purpose: r.purpose },
  }]))
}

async function criticalReaders(q: Query, shardId: string): Promise<ShardStateJson['critical_readers']> {
  const rows = (
    await q<{ reader_id: string; since: bigint | null; opaque: bigint; opaque_codec: string; hostname: string; purpose: string }>(
      `SELECT reader_id, since, opaque, opaque_codec, hostname, purpose FROM ${S}.critical_readers WHERE shard_id = $1 ORDER BY reader_id`,
      [shardId],
    )
  ).rows
  return Object.fromEntries(rows.map((r) => [r.reader_id, {
    since: asArray(r.since),
    opaque: r.opaque,
    opaque_codec: r.opaque_codec,
    debug: { hostname: r.hostname, purpose: r.purpose },
  }]))
}

async function writers(q: Query, shardId: string): Promise<ShardStateJson['writers']> {
  const rows = (
    await q<{
      writer_id: string; last_heartbeat_ms: bigint; lease_duration_ms: bigint; most_recent_write_token: string
      most_recent_write_upper: bigint | null; hostname: string; purpose: string
    }>(
      `SELECT writer_id, last_heartbeat_ms, lease_duration_ms, most_recent_write_token, most_recent_write_upper, hostname, purpose
       FROM ${S}.writers WHERE shard_id = $1 ORDER BY writer_id`,
      [shardId],
    )
  ).rows
  return Object.fromEntries(rows.map((r) => [r.writer_id, {
    last_heartbeat_timestamp_ms: r.last_heartbeat_ms,
    lease_duration_ms: r.lease_duration_ms,
    most_recent_write_token: r.most_recent_write_token,
    most_recent_write_upper: asArray(r.most_recent_write_upper),
    debug: { hostname: r.hostname, purpose: r.purpose },
  }]))
}
