/**
 * Reading, locking and creating a shard's state row in PostgreSQL (the row itself:
 * `../state/shard-row.ts`).
 */
import type { ShardDiagnostics } from '../shard-store.js'
import { type ShardRow, type StoredShardRow, decodeShardRow, newShardValues } from '../state/shard-row.js'
import type { PgContext } from './context.js'
import type { Query } from './pool.js'
import { PG_SCHEMA as S } from './schema.js'

const COLUMNS = `shard_id, shard_name, labels, seqno, applier_version, walltime_ms, hostname, since, upper, tombstone,
  update_count, compacted_since`

/**
 * The shard's row, or `undefined` if the store has no such shard. `forUpdate` locks the row for the
 * rest of the transaction: every state change takes this lock first, so changes to one shard are
 * serialized and the compare-and-set reads the upper no one else is about to change.
 */
export async function loadShard(q: Query, shardId: string, forUpdate = false): Promise<ShardRow | undefined> {
  const res = await q<StoredShardRow>(`SELECT ${COLUMNS} FROM ${S}.shards WHERE shard_id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [shardId])
  const raw = res.rows[0]
  return raw === undefined ? undefined : decodeShardRow(raw)
}

/** Every shard's row, in shard-id order (ids are `s` + lower-case hex, so every collation agrees). */
export async function loadAllShards(q: Query): Promise<ShardRow[]> {
  return (await q<StoredShardRow>(`SELECT ${COLUMNS} FROM ${S}.shards ORDER BY shard_id`)).rows.map(decodeShardRow)
}

/**
 * Creates a shard with since = upper = [0] at seqno 1 (persist initialises state at v1), and logs
 * it. Must run inside a write transaction. A concurrent creator makes this INSERT fail on the
 * primary key; the pool re-runs the whole transaction, which then finds the shard.
 */
export async function insertShard(
  ctx: PgContext,
  q: Query,
  shardId: string,
  diagnostics: ShardDiagnostics,
  nowMs: bigint,
): Promise<ShardRow> {
  const v = newShardValues(diagnostics)
  await q(
    `INSERT INTO ${S}.shards (shard_id, shard_name, labels, seqno, applier_version, walltime_ms, hostname, since, upper)
     VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8)`,
    [shardId, diagnostics.shardName, v.labels, ctx.buildVersion, nowMs, ctx.hostname, v.zero, v.zero],
  )
  await q(
    `INSERT INTO ${S}.state_log (shard_id, seqno, walltime_ms, applier_version, hostname, cmd, since, upper, detail)
     VALUES ($1, 1, $2, $3, $4, 'create', $5, $6, $7)`,
    [shardId, nowMs, ctx.buildVersion, ctx.hostname, v.zero, v.zero, v.logDetail],
  )
  return (await loadShard(q, shardId, true))!
}
