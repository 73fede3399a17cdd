/**
 * Reading and creating a shard's state row in SQLite (the row itself: `../state/shard-row.ts`).
 */
import type { ShardDiagnostics } from '../shard-store.js'
import { type ShardRow, type StoredShardRow, decodeShardRow, newShardValues } from '../state/shard-row.js'
import type { SqliteContext } from './context.js'

/** The shard's row, or `undefined` if the store has no such shard. */
export function loadShard(ctx: SqliteContext, shardId: string): ShardRow | undefined {
  const raw = ctx.stmt('SELECT * FROM shards WHERE shard_id = ?').get(shardId) as StoredShardRow | undefined
  return raw === undefined ? undefined : decodeShardRow(raw)
}

/** Every shard's row, in shard-id order. */
export function loadAllShards(ctx: SqliteContext): ShardRow[] {
  return (ctx.stmt('SELECT * FROM shards ORDER BY shard_id').all() as StoredShardRow[]).map(decodeShardRow)
}

/**
 * Creates a shard with since = upper = [0] at seqno 1 (persist initialises state at v1), and logs
 * it. Must run inside a write transaction.
 */
export function insertShard(ctx: SqliteContext, shardId: string, diagnostics: ShardDiagnostics, nowMs: bigint): ShardRow {
  const v = newShardValues(diagnostics)
  ctx
    .stmt(
      `INSERT INTO shards (shard_id, shard_name, labels, seqno, applier_version, walltime_ms, hostname, since, upper)
       VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)`,
    )
    .run(shardId, diagnostics.shardName, v.labels, ctx.buildVersion, nowMs, ctx.hostname, v.zero, v.zero)
  ctx
    .stmt(
      `INSERT INTO state_log (shard_id, seqno, walltime_ms, applier_version, hostname, cmd, since, upper, detail)
       VALUES (?, 1, ?, ?, ?, 'create', ?, ?, ?)`,
    )
    .run(shardId, nowMs, ctx.buildVersion, ctx.hostname, v.zero, v.zero, v.logDetail)
  return loadShard(ctx, shardId)!
}
