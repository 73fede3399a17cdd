/**
 * Leased readers and critical since handles in SQLite: the SQL around the shared rules of
 * `../state/reader-rules.ts`.
 */
import { newLeasedReaderId } from '../ids.js'
import { READER_LEASE_DURATION_MS } from '../leases.js'
import type { CriticalReader, DowngradeSinceResult, Frontier, LeasedReader } from '../shard-store.js'
import {
  type ReaderSinceAggregate,
  type StoredCriticalHold,
  type StoredLeasedHold,
  criticalDowngrade,
  criticalReaderOpened,
  leasedDowngrade,
  leasedReaderExpired,
  sinceHeldByReaders,
  unknownCriticalReader,
} from '../state/reader-rules.js'
import { I64_MIN, encodeFrontier } from '../u64.js'
import type { SqliteContext } from './context.js'
import { type Commit, transition } from './transition.js'

/** Registers a leased reader at the shard's since (a state change; creates the shard if absent). */
export function openLeasedReader(ctx: SqliteContext, shardId: string, purpose: string): LeasedReader {
  return transition(ctx, shardId, 'register_leased_reader', () => ({
    commit: (c) => {
      const readerId = newLeasedReaderId()
      ctx
        .stmt(
          `INSERT INTO leased_readers (shard_id, reader_id, since, seqno, last_heartbeat_ms, lease_duration_ms, hostname, purpose)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(shardId, readerId, encodeFrontier(c.since), c.seqno, c.now, READER_LEASE_DURATION_MS, ctx.hostname, purpose)
      c.detail = { reader_id: readerId, purpose }
      return { readerId, since: c.since }
    },
  }))
}

/**
 * Moves a leased reader's since forward to `since` (never back) and heartbeats it; returns the
 * reader's since. An unknown or lazily expired reader is a `LeaseExpiredError` (persist panics).
 */
export function downgradeSince(ctx: SqliteContext, shardId: string, readerId: string, since: Frontier): Frontier {
  return transition(ctx, shardId, 'downgrade_since', () => {
    const row = ctx
      .stmt('SELECT since, last_heartbeat_ms FROM leased_readers WHERE shard_id = ? AND reader_id = ?')
      .get(shardId, readerId) as StoredLeasedHold | undefined
    if (row === undefined) throw leasedReaderExpired(readerId)
    return {
      commit: (c) => {
        const moved = leasedDowngrade(c, readerId, row, since)
        ctx
          .stmt('UPDATE leased_readers SET since = ?, seqno = ?, last_heartbeat_ms = ? WHERE shard_id = ? AND reader_id = ?')
          .run(encodeFrontier(moved.since), c.seqno, moved.heartbeat, shardId, readerId)
        recomputeSince(ctx, c)
        return moved.since
      },
    }
  })
}

/** Removes a leased reader (a state change even if it was already gone; nothing for an absent shard). */
export function expireLeasedReader(ctx: SqliteContext, shardId: string, readerId: string): void {
  transition<void>(ctx, shardId, 'expire_leased_reader', (_shard, exists) =>
    exists
      ? {
          commit: (c) => {
            const existed = ctx.stmt('DELETE FROM leased_readers WHERE shard_id = ? AND reader_id = ?').run(shardId, readerId).changes > 0
            c.detail = { reader_id: readerId, existed }
          },
        }
      : { result: undefined },
  )
}

/** Registers a critical since handle (new: shard since, opaque i64::MIN) or re-opens it keeping since and opaque. */
export function openCriticalReader(ctx: SqliteContext, shardId: string, readerId: string, purpose: string): CriticalReader {
  return transition(ctx, shardId, 'register_critical_reader', () => ({
    commit: (c) => {
      const row = loadCritical(ctx, shardId, readerId)
      if (row === undefined) {
        ctx
          .stmt(
            `INSERT INTO critical_readers (shard_id, reader_id, since, opaque, opaque_codec, hostname, purpose)
             VALUES (?, ?, ?, ?, 'i64', ?, ?)`,
          )
          .run(shardId, readerId, encodeFrontier(c.since), I64_MIN, ctx.hostname, purpose)
      } else {
        ctx
          .stmt('UPDATE critical_readers SET hostname = ?, purpose = ? WHERE shard_id = ? AND reader_id = ?')
          .run(ctx.hostname, purpose, shardId, readerId)
      }
      return criticalReaderOpened(c, readerId, purpose, row)
    },
  }))
}

/**
 * Persist's `compare_and_downgrade_since` (outcomes: `criticalDowngrade`). An unknown handle is a
 * `NotFoundError` (persist panics); a finished shard reports the empty since.
 */
export function compareAndDowngradeSince(
  ctx: SqliteContext,
  shardId: string,
  readerId: string,
  expectedOpaque: bigint,
  newOpaque: bigint,
  newSince: Frontier,
): DowngradeSinceResult {
  return transition<DowngradeSinceResult>(ctx, shardId, 'compare_and_downgrade_since', (shard, exists) => {
    if (exists && shard.tombstone) return { result: { ok: true, since: null } }
    const row = exists ? loadCritical(ctx, shardId, readerId) : undefined
    if (row === undefined) throw unknownCriticalReader(readerId)
    return {
      commit: (c) => {
        const { result, write } = criticalDowngrade(c, readerId, row, expectedOpaque, newOpaque, newSince)
        if (write) {
          ctx
            .stmt('UPDATE critical_readers SET since = ?, opaque = ? WHERE shard_id = ? AND reader_id = ?')
            .run(encodeFrontier(newSince), newOpaque, shardId, readerId)
          recomputeSince(ctx, c)
        }
        return result
      },
    }
  })
}

function loadCritical(ctx: SqliteContext, shardId: string, readerId: string): StoredCriticalHold | undefined {
  return ctx.stmt('SELECT since, opaque FROM critical_readers WHERE shard_id = ? AND reader_id = ?').get(shardId, readerId) as
    | StoredCriticalHold
    | undefined
}

/** Sets the commit's since to the meet of all readers' sinces, never moving it back. */
function recomputeSince(ctx: SqliteContext, c: Commit): void {
  const agg = ctx
    .stmt(
      `SELECT COUNT(*) AS n, COUNT(since) AS bounded, MIN(since) AS least FROM (
         SELECT since FROM leased_readers WHERE shard_id = ?
         UNION ALL SELECT since FROM critical_readers WHERE shard_id = ?)`,
    )
    .get(c.shard.shardId, c.shard.shardId) as ReaderSinceAggregate
  c.since = sinceHeldByReaders(c.since, agg)
}
