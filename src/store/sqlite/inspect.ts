/**
 * `inspect` (persist's `inspect_shard`) and `listShards` in SQLite: state as data, never gated,
 * never written. One read transaction per call; the JSON is built in `../state/state-json.ts`.
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
import { type SqliteContext, readTx } from './context.js'
import { loadAllShards, loadShard } from './shard-row.js'

/** The shard's state with persist's field names. Absent shard → `NotFoundError` "{id} does not exist". */
export function inspectShard(ctx: SqliteContext, shardId: string): ShardStateJson {
  return readTx(ctx, () => {
    const shard = loadShard(ctx, shardId)
    if (shard === undefined) throw shardNotFound(shardId)
    return shardStateJson(shard, {
      leasedReaders: ctx.stmt('SELECT * FROM leased_readers WHERE shard_id = ? ORDER BY reader_id').all(shardId) as StoredLeasedReader[],
      criticalReaders: ctx
        .stmt('SELECT * FROM critical_readers WHERE shard_id = ? ORDER BY reader_id')
        .all(shardId) as StoredCriticalReader[],
      writers: ctx.stmt('SELECT * FROM writers WHERE shard_id = ? ORDER BY writer_id').all(shardId) as StoredWriter[],
    })
  })
}

/** Every shard, in shard-id order. */
export function listShards(ctx: SqliteContext): ShardListing[] {
  return readTx(ctx, () => loadAllShards(ctx).map(shardListing))
}
