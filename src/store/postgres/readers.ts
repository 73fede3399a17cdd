/**
 * Leased readers and critical since handles in PostgreSQL: the SQL around the shared rules of
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
import type { PgContext } from './context.js'
import type { Query } from './pool.js'
import { PG_SCHEMA as S } from './schema.js'
import { type Commit, transition } from './transition.js'

/** Registers a leased reader at the shard's since (a state change; creates the shard if absent). */
export function openLeasedReader(ctx: PgContext, shardId: string, purpose: string): Promise<LeasedReader> {
  return transition(ctx, shardId, 'register_leased_reader', (q) => ({
    commit: async (c) => {
      const readerId = newLeasedReaderId()
      await q(
        `INSERT INTO ${S}.leased_readers (shard_id, reader_id, since, seqno, last_heartbeat_ms, lease_duration_ms, hostname, purpose)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [shardId, readerId, encodeFrontier(c.since), c.seqno, c.now, READER_LEASE_DURATION_MS, ctx.hostname, purpose],
      )
      c.detail = { reader_id: readerId, purpose }
      return { readerId, since: c.since }
    },
  }))
}

/**
 * Moves a leased reader's since forward to `since` (never back) and heartbeats it; returns the
 * reader's since. An unknown or lazily expired reader is a `LeaseExpiredError` (persist panics).
 */
export function downgradeSince(ctx: PgContext, shardId: string, readerId: string, since: Frontier): Promise<Frontier> {
  return transition(ctx, shardId, 'downgrade_since', async (q) => {
    const row = (
      await q<StoredLeasedHold>(`SELECT since, last_heartbeat_ms FROM ${S}.leased_readers WHERE shard_id = $1 AND reader_id = $2`, [
        shardId,
        readerId,
      ])
    ).rows[0]
    if (row === undefined) throw leasedReaderExpired(readerId)
    return {
      commit: async (c) => {
        const moved = leasedDowngrade(c, readerId, row, since)
        await q(`UPDATE ${S}.leased_readers SET since = $1, seqno = $2, last_heartbeat_ms = $3 WHERE shard_id = $4 AND reader_id = $5`, [
          encodeFrontier(moved.since),
          c.seqno,
          moved.heartbeat,
          shardId,
          readerId,
        ])
        await recomputeSince(q, c)
        return moved.since
      },
    }
  })
}

/** Removes a leased reader (a state change even if it was already gone; nothing for an absent shard). */
export async function expireLeasedReader(ctx: PgContext, shardId: string, readerId: string): Promise<void> {
  await transition<void>(ctx, shardId, 'expire_leased_reader', (q, _shard, exists) =>
    exists
      ? {
          commit: async (c) => {
            const existed =
              ((await q(`DELETE FROM ${S}.leased_readers WHERE shard_id = $1 AND reader_id = $2`, [shardId, readerId])).rowCount ?? 0) > 0
            c.detail = { reader_id: readerId, existed }
          },
        }
      : { result: undefined },
  )
}

/** Registers a critical since handle (new: shard since, opaque i64::MIN) or re-opens it keeping since and opaque. */
export function openCriticalReader(ctx: PgContext, shardId: string, readerId: string, purpose: string): Promise<CriticalReader> {
  return transition(ctx, shardId, 'register_critical_reader', (q) => ({
    commit: async (c) => {
      const row = await loadCritical(q, shardId, readerId)
      if (row === undefined) {
        await q(
          `INSERT INTO ${S}.critical_readers (shard_id, reader_id, since, opaque, opaque_codec, hostname, purpose)
           VALUES ($1, $2, $3, $4, 'i64', $5, $6)`,
          [shardId, readerId, encodeFrontier(c.since), I64_MIN, ctx.hostname, purpose],
        )
      } else {
        await q(`UPDATE ${S}.critical_readers SET hostname = $1, purpose = $2 WHERE shard_id = $3 AND reader_id = $4`, [
          ctx.hostname,
          purpose,
          shardId,
          readerId,
        ])
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
  ctx: PgContext,
  shardId: string,
  readerId: string,
  expectedOpaque: bigint,
  newOpaque: bigint,
  newSince: Frontier,
): Promise<DowngradeSinceResult> {
  return transition<DowngradeSinceResult>(ctx, shardId, 'compare_and_downgrade_since', async (q, shard, exists) => {
    if (exists && shard.tombstone) return { result: { ok: true, since: null } }
    const row = exists ? await loadCritical(q, shardId, readerId) : undefined
    if (row === undefined) throw unknownCriticalReader(readerId)
    return {
      commit: async (c) => {
        const { result, write } = criticalDowngrade(c, readerId, row, expectedOpaque, newOpaque, newSince)
        if (write) {
          await q(`UPDATE ${S}.critical_readers SET since = $1, opaque = $2 WHERE shard_id = $3 AND reader_id = $4`, [
            encodeFrontier(newSince),
            newOpaque,
            shardId,
            readerId,
          ])
          await recomputeSince(q, c)
        }
        return result
      },
    }
  })
}

async function loadCritical(q: Query, shardId: string, readerId: string): Promise<StoredCriticalHold | undefined> {
  return (
    await q<StoredCriticalHold>(`SELECT since, opaque FROM ${S}.critical_readers WHERE shard_id = $1 AND reader_id = $2`, [
      shardId,
      readerId,
    ])
  ).rows[0]
}

/** Sets the commit's since to the meet of all readers' sinces, never moving it back. */
async function recomputeSince(q: Query, c: Commit): Promise<void> {
  const agg = (
    await q<ReaderSinceAggregate>(
      `SELECT COUNT(*) AS n, COUNT(since) AS bounded, MIN(since) AS least FROM (
         SELECT since FROM ${S}.leased_readers WHERE shard_id = $1
         UNION ALL SELECT since FROM ${S}.critical_readers WHERE shard_id = $1) AS r`,
      [c.shard.shardId],
    )
  ).rows[0]!
  c.since = sinceHeldByReaders(c.since, agg)
}
