/**
 * `inspect` (persist's `inspect_shard`) and `listShards` in PostgreSQL: state as data, never
 * gated, never written. One read-only snapshot per call; the JSON is built in
 * `../state/state-json.ts`.
 */
import type { ShardListing, ShardStateJson } from '../shard-store.js'
import { shardListing } from '../state/shard-row.js'
import {
  type StoredCriticalReader,
  type StoredLeasedReader,
  type StoredWriter,
  shardNotFound,
  shardStateJson,
} from '../state/state-json.js'
import type { PgContext } from './context.js'
import { PG_SCHEMA as S } from './schema.js'
import { loadAllShards, loadShard } from './shard-row.js'

/** The shard's state with persist's field names. Absent shard → `NotFoundError` "{id} does not exist". */
export function inspectShard(ctx: PgContext, shardId: string): Promise<ShardStateJson> {
  return ctx.pool.read(`inspect ${shardId}`, async (q) => {
    const shard = await loadShard(q, shardId)
    if (shard === undefined) throw shardNotFound(shardId)
    const leasedReaders = (
      await q<StoredLeasedReader>(
        `SELECT reader_id, since, seqno, last_heartbeat_ms, lease_duration_ms, hostname, purpose
       FROM ${S}.leased_readers WHERE shard_id = $1 ORDER BY reader_id`,
        [shardId],
      )
    ).rows
    const criticalReaders = (
      await q<StoredCriticalReader>(
        `SELECT reader_id, since, opaque, opaque_codec, hostname, purpose FROM ${S}.critical_readers WHERE shard_id = $1 ORDER BY reader_id`,
        [shardId],
      )
    ).rows
    const writers = (
      await q<StoredWriter>(
        `SELECT writer_id, last_heartbeat_ms, lease_duration_ms, most_recent_write_token, most_recent_write_upper, hostname, purpose
       FROM ${S}.writers WHERE shard_id = $1 ORDER BY writer_id`,
        [shardId],
      )
    ).rows
    return shardStateJson(shard, { leasedReaders, criticalReaders, writers })
  })
}

/** Every shard, in shard-id order. */
export function listShards(ctx: PgContext): Promise<ShardListing[]> {
  return ctx.pool.read('list shards', async (q) => (await loadAllShards(q)).map(shardListing))
}
