/**
 * The bookkeeping of compare-and-append (persist `compare_and_append` with an idempotency token),
 * shared by every backend; each runs it inside its transition and writes the rows with its own SQL.
 * (The client-side argument checks are `../append-validation.ts`.)
 */
import { InvalidUsageError } from '../../errors.js'
import { formatFrontier, frontierEquals } from '../frontier.js'
import type { CompareAndAppendResult, Frontier, LookupExtractor, LookupValues, Update, WriterIdentity } from '../shard-store.js'
import { decodeFrontier } from '../u64.js'
import type { Commit } from './commit.js'
import type { ShardRow } from './shard-row.js'

/** A writer's stored record of its latest committed write. */
export interface StoredWriterRecord {
  last_heartbeat_ms: bigint
  most_recent_write_token: string
  most_recent_write_upper: bigint | null
  most_recent_write_seqno: bigint
}

/**
 * Every update's lookup values. Runs before the store is touched, so an extractor that throws
 * writes nothing.
 */
export function lookupValues(lookup: LookupExtractor | undefined, updates: readonly Update[]): LookupValues[] {
  return updates.map((u) => lookup?.(u.data) ?? [null, null])
}

/**
 * What a compare-and-append does given the shard's state and the writer's record: a result
 * without a write, or `undefined` to commit. A finished shard mismatches with the empty upper; a
 * retry carrying the writer's last committed token reports `alreadyCommitted` with that write's
 * seqno (reusing a token with another upper is an `InvalidUsageError`); an upper other than
 * `expectedUpper` (behind or ahead) mismatches with the current upper.
 */
export function decideAppend(
  shard: ShardRow,
  record: StoredWriterRecord | undefined,
  writer: WriterIdentity | undefined,
  expectedUpper: Frontier,
  newUpper: Frontier,
): CompareAndAppendResult | undefined {
  if (shard.tombstone) return { ok: false, expected: expectedUpper, current: null }
  if (writer !== undefined && record !== undefined && record.most_recent_write_token === writer.idempotencyToken) {
    const recorded = decodeFrontier(record.most_recent_write_upper)
    if (!frontierEquals(recorded, newUpper)) {
      throw new InvalidUsageError(
        'InvalidValue',
        `idempotency token ${writer.idempotencyToken} was committed with upper ${formatFrontier(recorded)}, not ${formatFrontier(newUpper)}`,
      )
    }
    return { ok: true, seqno: record.most_recent_write_seqno, alreadyCommitted: true }
  }
  if (!frontierEquals(shard.upper, expectedUpper)) return { ok: false, expected: expectedUpper, current: shard.upper }
  return undefined
}

/**
 * Records a committed append in the commit (new upper, row count, detail) and returns its result.
 * The backend has inserted the rows and upserted the writer's record (persist registers writers
 * lazily, on their first successful write), with {@link writerHeartbeat}.
 */
export function recordAppend(
  c: Commit,
  updates: { readonly length: number },
  expectedUpper: Frontier,
  newUpper: Frontier,
  writer: WriterIdentity | undefined,
): CompareAndAppendResult {
  c.upper = newUpper
  c.updateCountDelta = BigInt(updates.length)
  c.detail = appendDetail(updates.length, expectedUpper, newUpper, writer)
  return { ok: true, seqno: c.seqno, alreadyCommitted: false }
}

/** The state log detail of a committed append (before expired leases are added to it). */
export function appendDetail(
  count: number,
  expectedUpper: Frontier,
  newUpper: Frontier,
  writer: WriterIdentity | undefined,
): Record<string, unknown> {
  return {
    expected_upper: expectedUpper,
    new_upper: newUpper,
    updates: count,
    writer_id: writer?.writerId,
    idempotency_token: writer?.idempotencyToken,
  }
}

/** The heartbeat stored with a writer after a write at `now`: never moves a recorded one back. */
export function writerHeartbeat(record: StoredWriterRecord | undefined, now: bigint): bigint {
  return record === undefined || record.last_heartbeat_ms < now ? now : record.last_heartbeat_ms
}
