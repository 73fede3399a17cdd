/**
 * The rules of leased readers and critical since handles, shared by every backend (each keeps its
 * own SQL): how a reader's since and heartbeat move, the outcome of persist's
 * `compare_and_downgrade_since`, and the shard since the readers hold back.
 *
 * The shard's since is the meet of every reader's since, recomputed when a reader moves; with no
 * readers it stays where it is, and it never regresses. Expiring a reader does not advance it
 * (persist TODO #22789, kept for fidelity).
 */
import { LeaseExpiredError, NotFoundError } from '../../errors.js'
import { frontierLessEqual, joinFrontiers } from '../frontier.js'
import type { CriticalReader, DowngradeSinceResult, Frontier } from '../shard-store.js'
import { I64_MIN, decodeFrontier } from '../u64.js'
import type { Commit } from './commit.js'

/** A leased reader that is unknown or was lazily expired (persist panics). */
export function leasedReaderExpired(readerId: string): LeaseExpiredError {
  return new LeaseExpiredError(`LeasedReaderId(${readerId}) was expired due to inactivity. Did the machine go to sleep?`)
}

/** A critical since handle that was never registered (persist panics). */
export function unknownCriticalReader(readerId: string): NotFoundError {
  return new NotFoundError(`Unknown CriticalReaderId(${readerId}). It was either never registered, or has been manually expired.`, {
    code: 'unknown-critical-reader',
  })
}

/** A heartbeat at `now` that never moves a recorded one back. */
export function heartbeat(previous: bigint, now: bigint): bigint {
  return previous > now ? previous : now
}

/** A leased reader's stored since and heartbeat. */
export interface StoredLeasedHold {
  since: bigint | null
  last_heartbeat_ms: bigint
}

/** `downgrade_since`: the reader's since moves forward to `since` (never back) and it heartbeats. Sets the commit's detail. */
export function leasedDowngrade(
  c: Commit,
  readerId: string,
  row: StoredLeasedHold,
  since: Frontier,
): { since: Frontier; heartbeat: bigint } {
  const newSince = joinFrontiers(decodeFrontier(row.since), since)
  c.detail = { reader_id: readerId, since: newSince }
  return { since: newSince, heartbeat: heartbeat(row.last_heartbeat_ms, c.now) }
}

/** A critical since handle's stored since and opaque. */
export interface StoredCriticalHold {
  since: bigint | null
  opaque: bigint
}

/**
 * `register_critical_reader`: a new handle starts at the shard's since with opaque i64::MIN; a
 * re-opened one keeps its since and opaque. Sets the commit's detail.
 */
export function criticalReaderOpened(c: Commit, readerId: string, purpose: string, row: StoredCriticalHold | undefined): CriticalReader {
  c.detail = { reader_id: readerId, purpose, new: row === undefined }
  return row === undefined
    ? { readerId, since: c.since, opaque: I64_MIN }
    : { readerId, since: decodeFrontier(row.since), opaque: row.opaque }
}

/**
 * Persist's `compare_and_downgrade_since` on a handle's stored hold. A wrong opaque returns the
 * actual opaque and since; a since that would regress keeps the reader's since and opaque; else
 * the handle moves to `newSince` and `newOpaque` (`write`: the backend updates the handle and
 * recomputes the shard's since). Every outcome commits (so a conflict is linearized) and is
 * recorded in the commit's detail.
 */
export function criticalDowngrade(
  c: Commit,
  readerId: string,
  row: StoredCriticalHold,
  expectedOpaque: bigint,
  newOpaque: bigint,
  newSince: Frontier,
): { result: DowngradeSinceResult; write: boolean } {
  const current = decodeFrontier(row.since)
  const detail: Record<string, unknown> = {
    reader_id: readerId,
    expected_opaque: expectedOpaque,
    new_opaque: newOpaque,
    new_since: newSince,
  }
  c.detail = detail
  if (row.opaque !== expectedOpaque) {
    detail.outcome = 'opaque_mismatch'
    return { result: { ok: false, opaque: row.opaque, since: current }, write: false }
  }
  if (!frontierLessEqual(current, newSince)) {
    detail.outcome = 'would_regress'
    return { result: { ok: true, since: current }, write: false }
  }
  detail.outcome = 'downgraded'
  return { result: { ok: true, since: newSince }, write: true }
}

/** An aggregate over every reader's stored since: how many, how many bounded (non-NULL), the least. */
export interface ReaderSinceAggregate {
  n: bigint
  bounded: bigint
  least: bigint | null
}

/** The shard's since after a reader moved: the meet of all readers' sinces, never moving `current` back. */
export function sinceHeldByReaders(current: Frontier, agg: ReaderSinceAggregate): Frontier {
  if (agg.n === 0n) return current
  // MIN skips NULLs; NULL (the empty antichain) is the greatest since, so the meet is NULL only if all are.
  const meet = agg.bounded === 0n ? null : decodeFrontier(agg.least)
  return joinFrontiers(current, meet)
}
