/**
 * The general way shard state changes, in PostgreSQL: one SERIALIZABLE transaction locks and
 * loads the shard row (`SELECT … FOR UPDATE`) and runs the shared transition bookkeeping
 * (`../state/commit.ts`: gate, decide, stamp, expire leases, log). (A common compare-and-append
 * takes a one-statement shortcut that writes the same rows: `append.ts`.)
 *
 * The row lock serializes transitions of one shard; SERIALIZABLE isolation makes the whole
 * transition one atomic step even where a lock alone would not (creating an absent shard). A
 * conflict aborts the transaction with 40001 (or 23505 for two creators), and the pool re-runs it
 * from the start, so `decide` and `commit` must depend only on what they read through `q`.
 */
import type { ShardDiagnostics } from '../shard-store.js'
import { type Commit, type Decision as StateDecision, beginCommit, commitRecord, gatedState } from '../state/commit.js'
import type { ShardRow } from '../state/shard-row.js'
import type { PgContext } from './context.js'
import type { Query } from './pool.js'
import { PG_SCHEMA as S } from './schema.js'
import { insertShard, loadShard } from './shard-row.js'

export type { Commit } from '../state/commit.js'

/** What an operation decided after seeing the state: a result without a write, or a (possibly asynchronous) commit. */
export type Decision<T> = StateDecision<T, T | Promise<T>>

/**
 * Runs one state transition of `shardId`. `decide` sees the current state (a virtual initial
 * state if the shard does not exist; it is created only if the decision commits). Throws
 * `IncompatibleVersionError` from the gate, whatever `decide`/`commit` throw (rolling back), and
 * mapped PostgreSQL errors.
 */
export function transition<T>(
  ctx: PgContext,
  shardId: string,
  cmd: string,
  decide: (q: Query, shard: ShardRow, exists: boolean) => Decision<T> | Promise<Decision<T>>,
  diagnostics: ShardDiagnostics = { shardName: '' },
): Promise<T> {
  return ctx.pool.write(`${cmd} on ${shardId}`, async (q) => {
    const now = ctx.now()
    const stored = await loadShard(q, shardId, true)
    const decision = await decide(q, ...gatedState(stored, shardId, ctx.buildVersion))
    if (!('commit' in decision)) return decision.result
    const c: Commit = beginCommit(stored ?? (await insertShard(ctx, q, shardId, diagnostics, now)), now)
    const result = await decision.commit(c)
    const r = commitRecord(c, ctx.buildVersion, { readers: 0, writers: 0 })
    // One statement drops the expired leases, writes the new state and its log entry (whose
    // detail gains the expiry counts).
    await q(
      `WITH ${expiryCtes('$1', '$12')},
       s AS (
         UPDATE ${S}.shards SET seqno = $2, walltime_ms = $3, applier_version = $4, hostname = $5, since = $6, upper = $7,
           update_count = update_count + $8, compacted_since = $9
         WHERE shard_id = $1 RETURNING shard_id)
       INSERT INTO ${S}.state_log (shard_id, seqno, walltime_ms, applier_version, hostname, cmd, since, upper, detail)
       SELECT s.shard_id, $2, $3, $4, $5, CAST($10 AS TEXT), $6, $7, ${detailWithExpiry('$11')} FROM s`,
      [
        shardId,
        r.seqno,
        r.walltimeMs,
        r.applierVersion,
        ctx.hostname,
        r.since,
        r.upper,
        r.updateCountDelta,
        r.compactedSince,
        cmd,
        r.detail,
        now,
      ],
    )
    return result
  })
}

/**
 * Two data-modifying CTEs, `expired_readers` and `expired_writers`, that drop the shard's leased
 * readers and writers whose lease ran out (`last_heartbeat + lease < now`, written as
 * `last_heartbeat < now - lease` so a far-future heartbeat cannot overflow BIGINT). `shard` and
 * `now` are the placeholders of the shard id and the clock; `extra` further restricts both
 * deletes (for example to run only if the statement commits a change).
 */
export function expiryCtes(shard: string, now: string, extra = '', extraWriters = ''): string {
  const where = `shard_id = ${shard} AND last_heartbeat_ms < CAST(${now} AS BIGINT) - lease_duration_ms${extra}`
  return `expired_readers AS (DELETE FROM ${S}.leased_readers WHERE ${where} RETURNING 1),
       expired_writers AS (DELETE FROM ${S}.writers WHERE ${where}${extraWriters} RETURNING 1)`
}

/**
 * The state log's detail: the JSON object in placeholder `detail` (`commitRecord` without
 * expired leases) with `expired_leased_readers` and `expired_writers` added when the
 * {@link expiryCtes} dropped any, as `commitRecord` would have added them.
 */
export function detailWithExpiry(detail: string): string {
  const d = `CAST(${detail} AS TEXT)`
  const readers = '(SELECT COUNT(*) FROM expired_readers)'
  const writers = '(SELECT COUNT(*) FROM expired_writers)'
  return `CASE WHEN ${readers} = 0 AND ${writers} = 0 THEN ${d}
    ELSE CASE WHEN ${d} = '{}' THEN '{' ELSE left(${d}, -1) || ',' END
      || concat_ws(',', CASE WHEN ${readers} > 0 THEN '"expired_leased_readers":' || ${readers} END,
                        CASE WHEN ${writers} > 0 THEN '"expired_writers":' || ${writers} END) || '}' END`
}
