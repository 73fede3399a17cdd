/**
 * compare-and-append in PostgreSQL: the rows and the writer record around the shared bookkeeping
 * of `../state/append-decision.ts`. The compare-and-set is enforced by the database: the shard row
 * is locked and its upper checked inside the transaction that inserts the updates and moves the
 * upper, so of any number of concurrent appends at one upper exactly one commits.
 */
import { StoreBusyError } from '../../errors.js'
import { validateCompareAndAppend } from '../append-validation.js'
import { WRITER_LEASE_DURATION_MS } from '../leases.js'
import type { CompareAndAppendResult, Frontier, ShardDiagnostics, Update, WriteRecord, WriterIdentity } from '../shard-store.js'
import { type StoredWriterRecord, decideAppend, lookupValues, recordAppend, writerHeartbeat } from '../state/append-decision.js'
import { encodeFrontier, encodeU64 } from '../u64.js'
import { type PgContext, encodeData, encodeLookup } from './context.js'
import type { Query } from './pool.js'
import { PG_SCHEMA as S } from './schema.js'
import { transition } from './transition.js'
import { insertWriteRecord } from './write-records.js'

/** Rows per INSERT statement (7 parameters each, well below the protocol's 65535). */
const INSERT_CHUNK = 1000

/**
 * Appends `updates` and moves the upper from `expectedUpper` to `newUpper` iff the shard's upper
 * is exactly `expectedUpper` (behind or ahead both mismatch). A mismatch returns the current upper
 * and writes nothing; a retry carrying the writer's last committed token reports
 * `alreadyCommitted` without appending again. Validation errors (`InvalidUsageError`) are thrown
 * before the store is touched; the lookup extractor runs then too, so its errors write nothing.
 */
export function compareAndAppend(
  ctx: PgContext,
  shardId: string,
  updates: readonly Update[],
  expectedUpper: Frontier,
  newUpper: Frontier,
  writer: WriterIdentity | undefined,
  record: WriteRecord | undefined,
): Promise<CompareAndAppendResult> {
  validateCompareAndAppend(updates, expectedUpper, newUpper, writer)
  const rows = storedRows(ctx, updates)
  return transition<CompareAndAppendResult>(ctx, shardId, 'compare_and_append', async (q, shard) => {
    const stored = writer === undefined ? undefined : await loadWriter(q, shardId, writer.writerId)
    const decided = decideAppend(shard, stored, writer, expectedUpper, newUpper)
    if (decided !== undefined) return { result: decided }
    return {
      commit: async (c) => {
        await insertRows(q, shardId, c.seqno, rows)
        if (writer !== undefined) await upsertWriter(ctx, q, shardId, writer, newUpper, c.seqno, writerHeartbeat(stored, c.now))
        if (record !== undefined) await insertWriteRecord(ctx, q, shardId, c.seqno, expectedUpper, newUpper, record)
        return recordAppend(c, updates, expectedUpper, newUpper, writer)
      },
    }
  })
}

/**
 * {@link compareAndAppend} of a stream of batches in one transaction (`ShardStore.compareAndAppendBatches`).
 * The batches can be read once only, so a serialization conflict after they were read is not
 * re-run by the pool but reported as the transient `StoreBusyError` (the caller retries the
 * whole operation, reading its source again).
 */
export function compareAndAppendBatches(
  ctx: PgContext,
  shardId: string,
  batches: AsyncIterable<readonly Update[]>,
  expectedUpper: Frontier,
  newUpper: Frontier,
  diagnostics: ShardDiagnostics,
  record: WriteRecord | undefined,
): Promise<CompareAndAppendResult> {
  validateCompareAndAppend([], expectedUpper, newUpper)
  let consumed = false
  return transition<CompareAndAppendResult>(
    ctx,
    shardId,
    'compare_and_append',
    async (_q, shard) => {
      const decided = decideAppend(shard, undefined, undefined, expectedUpper, newUpper)
      if (decided !== undefined) return { result: decided }
      return {
        commit: async (c) => {
          if (consumed) {
            throw new StoreBusyError(`a concurrent change to shard ${shardId} aborted a streamed append after its updates were read`, {
              hint: 'run the command again',
            })
          }
          consumed = true
          let count = 0
          for await (const batch of batches) {
            validateCompareAndAppend(batch, expectedUpper, newUpper)
            await insertRows(_q, shardId, c.seqno, storedRows(ctx, batch))
            count += batch.length
          }
          if (record !== undefined) await insertWriteRecord(ctx, _q, shardId, c.seqno, expectedUpper, newUpper, record)
          return recordAppend(c, { length: count }, expectedUpper, newUpper, undefined)
        },
      }
    },
    diagnostics,
  )
}

type StoredRow = readonly [ts: bigint, data: Buffer, diff: bigint, a: Buffer | null, b: Buffer | null]

/** Updates as their column values (the lookup extractor runs here, before anything is written). */
function storedRows(ctx: PgContext, updates: readonly Update[]): StoredRow[] {
  const lookups = lookupValues(ctx.lookup, updates)
  return updates.map(
    (u, i) => [encodeU64(u.ts), encodeData(u.data), u.diff, encodeLookup(lookups[i]![0]), encodeLookup(lookups[i]![1])] as const,
  )
}

/** Inserts rows in multi-row INSERTs of {@link INSERT_CHUNK}. */
async function insertRows(q: Query, shardId: string, seqno: bigint, rows: readonly StoredRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    const chunk = rows.slice(start, start + INSERT_CHUNK)
    const params: unknown[] = [shardId, seqno]
    const values = chunk.map((r) => {
      const n = params.length
      params.push(...r)
      return `($1, $${n + 1}, $${n + 2}, $${n + 3}, $2, $${n + 4}, $${n + 5})`
    })
    await q(`INSERT INTO ${S}.updates (shard_id, ts, data, diff, seqno, lookup_a, lookup_b) VALUES ${values.join(', ')}`, params)
  }
}

async function loadWriter(q: Query, shardId: string, writerId: string): Promise<StoredWriterRecord | undefined> {
  const res = await q<StoredWriterRecord>(
    `SELECT last_heartbeat_ms, most_recent_write_token, most_recent_write_upper, most_recent_write_seqno
     FROM ${S}.writers WHERE shard_id = $1 AND writer_id = $2`,
    [shardId, writerId],
  )
  return res.rows[0]
}

/**
 * Registers the writer on its first successful write (persist registers writers lazily), else
 * heartbeats it. A plain `ON CONFLICT … DO UPDATE` (no `WHERE`), which CockroachDB accepts too;
 * the shard row lock already excludes a concurrent upsert of the same writer.
 */
async function upsertWriter(
  ctx: PgContext,
  q: Query,
  shardId: string,
  writer: WriterIdentity,
  upper: Frontier,
  seqno: bigint,
  heartbeat: bigint,
): Promise<void> {
  await q(
    `INSERT INTO ${S}.writers (shard_id, writer_id, last_heartbeat_ms, lease_duration_ms, most_recent_write_token,
       most_recent_write_upper, most_recent_write_seqno, hostname, purpose)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '')
     ON CONFLICT (shard_id, writer_id) DO UPDATE SET last_heartbeat_ms = excluded.last_heartbeat_ms,
       most_recent_write_token = excluded.most_recent_write_token, most_recent_write_upper = excluded.most_recent_write_upper,
       most_recent_write_seqno = excluded.most_recent_write_seqno, hostname = excluded.hostname`,
    [shardId, writer.writerId, heartbeat, WRITER_LEASE_DURATION_MS, writer.idempotencyToken, encodeFrontier(upper), seqno, ctx.hostname],
  )
}
