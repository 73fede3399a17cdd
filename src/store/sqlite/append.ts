/**
 * compare-and-append in SQLite: the rows and the writer record around the shared bookkeeping of
 * `../state/append-decision.ts`. The IMMEDIATE transaction of the transition holds the write lock
 * from the read of the upper to the commit, so of any number of appends at one upper one commits.
 */
import { validateCompareAndAppend } from '../append-validation.js'
import { WRITER_LEASE_DURATION_MS } from '../leases.js'
import type { CompareAndAppendResult, Frontier, Update, WriteRecord, WriterIdentity } from '../shard-store.js'
import { type StoredWriterRecord, decideAppend, lookupValues, recordAppend, writerHeartbeat } from '../state/append-decision.js'
import { encodeFrontier, encodeU64 } from '../u64.js'
import type { SqliteContext } from './context.js'
import { transition } from './transition.js'
import { insertWriteRecord } from './write-records.js'

/**
 * Appends `updates` and moves the upper from `expectedUpper` to `newUpper` iff the shard's upper
 * is exactly `expectedUpper` (behind or ahead both mismatch). A mismatch returns the current upper
 * and writes nothing; a retry carrying the writer's last committed token reports
 * `alreadyCommitted` without appending again. Validation errors (`InvalidUsageError`) are thrown
 * before the store is touched; the lookup extractor runs then too, so its errors write nothing.
 */
export function compareAndAppend(
  ctx: SqliteContext,
  shardId: string,
  updates: readonly Update[],
  expectedUpper: Frontier,
  newUpper: Frontier,
  writer: WriterIdentity | undefined,
  record: WriteRecord | undefined,
): CompareAndAppendResult {
  validateCompareAndAppend(updates, expectedUpper, newUpper, writer)
  const lookups = lookupValues(ctx.lookup, updates)
  return transition<CompareAndAppendResult>(ctx, shardId, 'compare_and_append', (shard) => {
    const stored = writer === undefined ? undefined : loadWriter(ctx, shardId, writer.writerId)
    const decided = decideAppend(shard, stored, writer, expectedUpper, newUpper)
    if (decided !== undefined) return { result: decided }
    return {
      commit: (c) => {
        const insert = ctx.stmt('INSERT INTO updates (shard_id, ts, data, diff, seqno, lookup_a, lookup_b) VALUES (?, ?, ?, ?, ?, ?, ?)')
        for (const [i, u] of updates.entries()) {
          insert.run(shardId, encodeU64(u.ts), u.data, u.diff, c.seqno, lookups[i]![0], lookups[i]![1])
        }
        if (writer !== undefined) upsertWriter(ctx, shardId, writer, newUpper, c.seqno, writerHeartbeat(stored, c.now))
        if (record !== undefined) insertWriteRecord(ctx, shardId, c.seqno, expectedUpper, newUpper, record)
        return recordAppend(c, updates, expectedUpper, newUpper, writer)
      },
    }
  })
}

export function loadWriter(ctx: SqliteContext, shardId: string, writerId: string): StoredWriterRecord | undefined {
  return ctx
    .stmt(
      'SELECT last_heartbeat_ms, most_recent_write_token, most_recent_write_upper, most_recent_write_seqno FROM writers WHERE shard_id = ? AND writer_id = ?',
    )
    .get(shardId, writerId) as StoredWriterRecord | undefined
}

/** Registers the writer on its first successful write (persist registers writers lazily), else heartbeats it. */
export function upsertWriter(
  ctx: SqliteContext,
  shardId: string,
  writer: WriterIdentity,
  upper: Frontier,
  seqno: bigint,
  heartbeat: bigint,
): void {
  ctx
    .stmt(
      `INSERT INTO writers (shard_id, writer_id, last_heartbeat_ms, lease_duration_ms, most_recent_write_token,
         most_recent_write_upper, most_recent_write_seqno, hostname, purpose)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, '')
       ON CONFLICT (shard_id, writer_id) DO UPDATE SET last_heartbeat_ms = excluded.last_heartbeat_ms,
         most_recent_write_token = excluded.most_recent_write_token, most_recent_write_upper = excluded.most_recent_write_upper,
         most_recent_write_seqno = excluded.most_recent_write_seqno, hostname = excluded.hostname`,
    )
    .run(shardId, writer.writerId, heartbeat, WRITER_LEASE_DURATION_MS, writer.idempotencyToken, encodeFrontier(upper), seqno, ctx.hostname)
}
