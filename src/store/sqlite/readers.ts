/**
 * Leased readers and critical since handles, and the shard since they hold back.
 *
 * The shard's since is the meet of every reader's since, recomputed when a reader moves; with no
 * readers it stays where it is, and it never regresses. Expiring a reader does not advance it
 * (persist TODO #22789, kept for fidelity).
 */
import { LeaseExpiredError, NotFoundError } from '../../errors.js'
import { joinFrontiers, frontierLessEqual } from '../frontier.js'
import { newLeasedReaderId } from '../ids.js'
import { READER_LEASE_DURATION_MS } from '../leases.js'
import type { CriticalReader, DowngradeSinceResult, Frontier, LeasedReader } from '../shard-store.js'
import { I64_MIN, decodeFrontier, encodeFrontier } from '../u64.js'
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
      .get(shardId, readerId) as { since: bigint | null; last_heartbeat_ms: bigint } | undefined
    if (row === undefined) {
      throw new LeaseExpiredError(`LeasedReaderId(${readerId}) was expired due to inactivity. Did the machine go to sleep?`)
    }
    return {
      commit: (c) => {
        const newSince = joinFrontiers(decodeFrontier(row.since), since)
        const heartbeat = row.last_heartbeat_ms > c.now ? row.last_heartbeat_ms : c.now
        ctx
          .stmt('UPDATE leased_readers SET since = ?, seqno = ?, last_heartbeat_ms = ? WHERE shard_id = ? AND reader_id = ?')
          .run(encodeFrontier(newSince), c.seqno, heartbeat, shardId, readerId)
        recomputeSince(ctx, c)
        c.detail = { reader_id: readerId, since: newSince }
        return newSince
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

interface CriticalRow {
  since: bigint | null
  opaque: bigint
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
        ctx.stmt('UPDATE critical_readers SET hostname = ?, purpose = ? WHERE shard_id = ? AND reader_id = ?').run(ctx.hostname, purpose, shardId, readerId)
      }
      c.detail = { reader_id: readerId, purpose, new: row === undefined }
      return row === undefined
        ? { readerId, since: c.since, opaque: I64_MIN }
        : { readerId, since: decodeFrontier(row.since), opaque: row.opaque }
    },
  }))
}

/**
 * Persist's `compare_and_downgrade_since`. A wrong opaque commits a no-op state change (so the
 * conflict is linearized) and returns the actual opaque and since; a since that would regress
 * keeps the reader's since and opaque. An unknown handle is a `NotFoundError` (persist panics).
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
    if (row === undefined) {
      throw new NotFoundError(`Unknown CriticalReaderId(${readerId}). It was either never registered, or has been manually expired.`, {
        code: 'unknown-critical-reader',
      })
    }
    const current = decodeFrontier(row.since)
    return {
      commit: (c): DowngradeSinceResult => {
        c.detail = { reader_id: readerId, expected_opaque: expectedOpaque, new_opaque: newOpaque, new_since: newSince }
        if (row.opaque !== expectedOpaque) {
          c.detail.outcome = 'opaque_mismatch'
          return { ok: false, opaque: row.opaque, since: current }
        }
        if (!frontierLessEqual(current, newSince)) {
          c.detail.outcome = 'would_regress'
          return { ok: true, since: current }
        }
        ctx
          .stmt('UPDATE critical_readers SET since = ?, opaque = ? WHERE shard_id = ? AND reader_id = ?')
          .run(encodeFrontier(newSince), newOpaque, shardId, readerId)
        recomputeSince(ctx, c)
        c.detail.outcome = 'downgraded'
        return { ok: true, since: newSince }
      },
    }
  })
}

function loadCritical(ctx: SqliteContext, shardId: string, readerId: string): CriticalRow | undefined {
  return ctx.stmt('SELECT since, opaque FROM critical_readers WHERE shard_id = ? AND reader_id = ?').get(shardId, readerId) as CriticalRow | undefined
}

/** Sets the commit's since to the meet of all readers' sinces, never moving it back. */
function recomputeSince(ctx: SqliteContext, c: Commit): void {
  const agg = ctx
    .stmt(
      `SELECT COUNT(*) AS n, COUNT(since) AS bounded, MIN(since) AS least FROM (
         SELECT since FROM leased_readers WHERE shard_id = ?
         UNION ALL SELECT since FROM critical_readers WHERE shard_id = ?)`,
    )
    .get(c.shard.shardId, c.shard.shardId) as { n: bigint; bounded: bigint; least: bigint | null }
  if (agg.n === 0n) return
  // MIN skips NULLs; NULL (the empty antichain) is the greatest since, so the meet is NULL only if all are.
  const meet = agg.bounded === 0n ? null : decodeFrontier(agg.least)
  c.since = joinFrontiers(c.since, meet)
}
