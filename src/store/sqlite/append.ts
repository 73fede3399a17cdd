/**
 * compare-and-append (persist `compare_and_append` with an idempotency token).
 */
import { InvalidUsageError } from '../../errors.js'
import { validateCompareAndAppend } from '../append-validation.js'
import { formatFrontier, frontierEquals } from '../frontier.js'
import { WRITER_LEASE_DURATION_MS } from '../leases.js'
import type { CompareAndAppendResult, Frontier, LookupValues, Update, WriterIdentity } from '../shard-store.js'
import { decodeFrontier, encodeFrontier, encodeU64 } from '../u64.js'
import type { SqliteContext } from './context.js'
import { transition } from './transition.js'

interface WriterRow {
  last_heartbeat_ms: bigint
  most_recent_write_token: string
  most_recent_write_upper: bigint | null
  most_recent_write_seqno: bigint
}

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
): CompareAndAppendResult {
  validateCompareAndAppend(updates, expectedUpper, newUpper, writer)
  const lookups: LookupValues[] = updates.map((u) => ctx.lookup?.(u.data) ?? [null, null])
  return transition<CompareAndAppendResult>(ctx, shardId, 'compare_and_append', (shard) => {
    if (shard.tombstone) return { result: { ok: false, expected: expectedUpper, current: null } }
    const w = writer === undefined ? undefined : loadWriter(ctx, shardId, writer.writerId)
    if (writer !== undefined && w !== undefined && w.most_recent_write_token === writer.idempotencyToken) {
      const recorded = decodeFrontier(w.most_recent_write_upper)
      if (!frontierEquals(recorded, newUpper)) {
        throw new InvalidUsageError(
          'InvalidValue',
          `idempotency token ${writer.idempotencyToken} was committed with upper ${formatFrontier(recorded)}, not ${formatFrontier(newUpper)}`,
        )
      }
      return { result: { ok: true, seqno: w.most_recent_write_seqno, alreadyCommitted: true } }
    }
    if (!frontierEquals(shard.upper, expectedUpper)) {
      return { result: { ok: false, expected: expectedUpper, current: shard.upper } }
    }
    return {
      commit: (c) => {
        const insert = ctx.stmt('INSERT INTO updates (shard_id, ts, data, diff, seqno, lookup_a, lookup_b) VALUES (?, ?, ?, ?, ?, ?, ?)')
        updates.forEach((u, i) => insert.run(shardId, encodeU64(u.ts), u.data, u.diff, c.seqno, lookups[i]![0], lookups[i]![1]))
        c.upper = newUpper
        c.updateCountDelta = BigInt(updates.length)
        if (writer !== undefined) upsertWriter(ctx, shardId, writer, newUpper, c.seqno, w === undefined || w.last_heartbeat_ms < c.now ? c.now : w.last_heartbeat_ms)
        c.detail = { expected_upper: expectedUpper, new_upper: newUpper, updates: updates.length, writer_id: writer?.writerId, idempotency_token: writer?.idempotencyToken }
        return { ok: true, seqno: c.seqno, alreadyCommitted: false }
      },
    }
  })
}

function loadWriter(ctx: SqliteContext, shardId: string, writerId: string): WriterRow | undefined {
  return ctx
    .stmt('SELECT last_heartbeat_ms, most_recent_write_token, most_recent_write_upper, most_recent_write_seqno FROM writers WHERE shard_id = ? AND writer_id = ?')
    .get(shardId, writerId) as WriterRow | undefined
}

/** Registers the writer on its first successful write (persist registers writers lazily), else heartbeats it. */
function upsertWriter(ctx: SqliteContext, shardId: string, writer: WriterIdentity, upper: Frontier, seqno: bigint, heartbeat: bigint): void {
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
