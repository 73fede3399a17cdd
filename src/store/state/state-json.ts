/**
 * Persist's `inspect_shard` JSON, built from the rows every backend stores (tables `shards`,
 * `leased_readers`, `critical_readers`, `writers`, the same columns). The SQL stays in each backend.
 */
import { NotFoundError } from '../../errors.js'
import { frontierToArray } from '../frontier.js'
import type { ShardStateJson } from '../shard-store.js'
import { decodeFrontier } from '../u64.js'
import type { ShardRow } from './shard-row.js'

/** A `leased_readers` row as a driver returns it. */
export interface StoredLeasedReader {
  reader_id: string
  since: bigint | null
  seqno: bigint
  last_heartbeat_ms: bigint
  lease_duration_ms: bigint
  hostname: string
  purpose: string
}

/** A `critical_readers` row as a driver returns it. */
export interface StoredCriticalReader {
  reader_id: string
  since: bigint | null
  opaque: bigint
  opaque_codec: string
  hostname: string
  purpose: string
}

/** A `writers` row (the columns `inspect` shows) as a driver returns it. */
export interface StoredWriter {
  writer_id: string
  last_heartbeat_ms: bigint
  lease_duration_ms: bigint
  most_recent_write_token: string
  most_recent_write_upper: bigint | null
  hostname: string
  purpose: string
}

/** The handles of one shard, each list in id order. */
export interface StoredHandles {
  readonly leasedReaders: readonly StoredLeasedReader[]
  readonly criticalReaders: readonly StoredCriticalReader[]
  readonly writers: readonly StoredWriter[]
}

/** `inspect` of a shard the store does not have: `NotFoundError` "{id} does not exist". */
export function shardNotFound(shardId: string): NotFoundError {
  return new NotFoundError(`${shardId} does not exist`, { code: 'shard-not-found' })
}

const asArray = (stored: bigint | null): bigint[] => frontierToArray(decodeFrontier(stored))

/** The shard's state with persist's field names. */
export function shardStateJson(shard: ShardRow, handles: StoredHandles): ShardStateJson {
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
    leased_readers: Object.fromEntries(
      handles.leasedReaders.map((r) => [
        r.reader_id,
        {
          seqno: r.seqno,
          since: asArray(r.since),
          last_heartbeat_timestamp_ms: r.last_heartbeat_ms,
          lease_duration_ms: r.lease_duration_ms,
          debug: { hostname: r.hostname, purpose: r.purpose },
        },
      ]),
    ),
    critical_readers: Object.fromEntries(
      handles.criticalReaders.map((r) => [
        r.reader_id,
        {
          since: asArray(r.since),
          opaque: r.opaque,
          opaque_codec: r.opaque_codec,
          debug: { hostname: r.hostname, purpose: r.purpose },
        },
      ]),
    ),
    writers: Object.fromEntries(
      handles.writers.map((r) => [
        r.writer_id,
        {
          last_heartbeat_timestamp_ms: r.last_heartbeat_ms,
          lease_duration_ms: r.lease_duration_ms,
          most_recent_write_token: r.most_recent_write_token,
          most_recent_write_upper: asArray(r.most_recent_write_upper),
          debug: { hostname: r.hostname, purpose: r.purpose },
        },
      ]),
    ),
    tombstone: shard.tombstone,
    update_count: shard.updateCount,
  }
}
