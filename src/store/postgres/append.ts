/**
 * compare-and-append in PostgreSQL: the rows and the writer record around the shared bookkeeping
 * of `../state/append-decision.ts`. The compare-and-set is enforced by the database: the upper is
 * checked inside the transaction that inserts the updates and moves it (in one statement, or with
 * the shard row locked), so of any number of concurrent appends at one upper exactly one commits.
 */
import { StoreBusyError } from '../../errors.js'
import { validateCompareAndAppend } from '../append-validation.js'
import { WRITER_LEASE_DURATION_MS } from '../leases.js'
import type { CompareAndAppendResult, Frontier, ShardDiagnostics, Update, WriteRecord, WriterIdentity } from '../shard-store.js'
import {
  type StoredWriterRecord,
  appendDetail,
  decideAppend,
  lookupValues,
  recordAppend,
  writerHeartbeat,
} from '../state/append-decision.js'
import { logJson } from '../state/log-json.js'
import { RECORD_COLUMNS, recordValues } from '../state/write-records.js'
import { decodeFrontier, encodeFrontier, encodeU64 } from '../u64.js'
import { type PgContext, encodeData, encodeLookup } from './context.js'
import type { Query } from './pool.js'
import { PG_SCHEMA as S } from './schema.js'
import { detailWithExpiry, expiryCtes, transition } from './transition.js'
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
export async function compareAndAppend(
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
  if (rows.length <= ONE_STATEMENT_MAX_ROWS) {
    const fast = await appendInOneStatement(ctx, shardId, rows, expectedUpper, newUpper, writer, record)
    if (fast !== undefined) return fast
  }
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

/** Appends of at most this many rows try {@link appendInOneStatement} first (its rows travel as array parameters). */
const ONE_STATEMENT_MAX_ROWS = INSERT_CHUNK

interface OneStatementRow {
  /** The seqno committed, or null when the statement wrote nothing. */
  seqno: bigint | null
  /** The shard as the statement found it (all null: no such shard). */
  upper: bigint | null
  tombstone: boolean | null
  applier_version: string | null
  /** Whether the writer's stored token is this call's (an idempotent retry). */
  token_seen: boolean
}

/**
 * Compare-and-append in one statement and one round trip: a transaction of its own (SERIALIZABLE,
 * checked in the statement) whose data-modifying CTEs move the upper iff it is `expectedUpper`,
 * and in the same step insert the rows, upsert the writer, drop expired leases, add the write
 * record and the state log entry, stamping exactly what {@link transition} would. It applies only
 * in the common case: the shard exists, is not finished, is stamped by this very build (so the
 * data-version gate passes and the stamp stays), the writer's token is new, and the upper
 * matches. A plain mismatch is answered from the shard row the statement read (no write). Every
 * other case returns `undefined`, having written nothing, and the caller runs the general
 * transition, which decides it (creation, gate, idempotent retry, finished shard).
 *
 * The writer is kept out of the lease expiry: the general path heartbeats it before expiring
 * leases, so it never expires itself there either.
 */
async function appendInOneStatement(
  ctx: PgContext,
  shardId: string,
  rows: readonly StoredRow[],
  expectedUpper: Frontier,
  newUpper: Frontier,
  writer: WriterIdentity | undefined,
  record: WriteRecord | undefined,
): Promise<CompareAndAppendResult | undefined> {
  const expected = encodeFrontier(expectedUpper)
  if (expected === null) return undefined
  const now = ctx.now()
  const detail = logJson(appendDetail(rows.length, expectedUpper, newUpper, writer))
  const params: unknown[] = [
    shardId, // $1
    ctx.buildVersion, // $2
    now, // $3
    ctx.hostname, // $4
    expected, // $5
    encodeFrontier(newUpper), // $6
    BigInt(rows.length), // $7
    rows.map((r) => r[0]), // $8 ts
    rows.map((r) => r[1]), // $9 data
    rows.map((r) => r[2]), // $10 diff
    rows.map((r) => r[3]), // $11 lookup_a
    rows.map((r) => r[4]), // $12 lookup_b
    detail, // $13
  ]
  const p = (value: unknown): string => `$${params.push(value)}`
  const writerId = writer === undefined ? undefined : p(writer.writerId)
  const token = writer === undefined ? undefined : p(writer.idempotencyToken)
  const tokenSeen =
    writer === undefined
      ? 'false'
      : `EXISTS (SELECT 1 FROM ${S}.writers WHERE shard_id = $1 AND writer_id = ${writerId} AND most_recent_write_token = ${token})`
  const ctes: string[] = [
    `s AS (
      UPDATE ${S}.shards SET seqno = seqno + 1, walltime_ms = CASE WHEN $3 > walltime_ms THEN $3 ELSE walltime_ms + 1 END,
        hostname = $4, upper = $6, update_count = update_count + $7
      WHERE shard_id = $1 AND upper = $5 AND NOT tombstone AND applier_version = $2 AND NOT ${tokenSeen}
        AND current_setting('transaction_isolation') = 'serializable'
      RETURNING seqno, walltime_ms, since)`,
    expiryCtes('$1', '$3', ' AND EXISTS (SELECT 1 FROM s)', writerId === undefined ? '' : ` AND writer_id <> ${writerId}`),
    `inserted AS (
      INSERT INTO ${S}.updates (shard_id, ts, data, diff, seqno, lookup_a, lookup_b)
      SELECT $1, u.ts, u.data, u.diff, s.seqno, u.a, u.b
      FROM s, unnest(CAST($8 AS BIGINT[]), CAST($9 AS BYTEA[]), CAST($10 AS BIGINT[]), CAST($11 AS BYTEA[]), CAST($12 AS BYTEA[]))
        WITH ORDINALITY AS u(ts, data, diff, a, b, n)
      ORDER BY u.n)`,
  ]
  if (writer !== undefined) {
    ctes.push(`writer AS (
      INSERT INTO ${S}.writers (shard_id, writer_id, last_heartbeat_ms, lease_duration_ms, most_recent_write_token,
        most_recent_write_upper, most_recent_write_seqno, hostname, purpose)
      SELECT $1, ${writerId}, $3, ${p(WRITER_LEASE_DURATION_MS)}, ${token}, $6, s.seqno, $4, '' FROM s
      ON CONFLICT (shard_id, writer_id) DO UPDATE SET last_heartbeat_ms = GREATEST(${S}.writers.last_heartbeat_ms, excluded.last_heartbeat_ms),
        most_recent_write_token = excluded.most_recent_write_token, most_recent_write_upper = excluded.most_recent_write_upper,
        most_recent_write_seqno = excluded.most_recent_write_seqno, hostname = excluded.hostname)`)
  }
  const withRecord = record !== undefined && ctx.recordsTable
  if (withRecord) {
    const values = recordValues(shardId, 0n, expectedUpper, newUpper, record).slice(4).map(p)
    ctes.push(`record AS (
      INSERT INTO ${S}.write_records (shard_id, seqno, expected_upper, new_upper, ${RECORD_COLUMNS.join(', ')})
      SELECT $1, s.seqno, $5, $6, ${values.join(', ')} FROM s)`)
  }
  ctes.push(`logged AS (
      INSERT INTO ${S}.state_log (shard_id, seqno, walltime_ms, applier_version, hostname, cmd, since, upper, detail)
      SELECT $1, s.seqno, s.walltime_ms, $2, $4, 'compare_and_append', s.since, $6, ${detailWithExpiry('$13')} FROM s)`)
  // The text depends only on whether there is a writer and a record: four prepared statements.
  const statement = {
    name: `catalog_debug_append_${writer === undefined ? 'anon' : 'writer'}_${withRecord ? 'record' : 'norecord'}`,
    text: `WITH ${ctes.join(',\n    ')}
    SELECT (SELECT seqno FROM s) AS seqno, c.upper, c.tombstone, c.applier_version, ${tokenSeen} AS token_seen
    FROM (VALUES (1)) AS one LEFT JOIN ${S}.shards c ON c.shard_id = $1`,
  }
  const row = (await ctx.pool.writeStatement<OneStatementRow>(`compare_and_append on ${shardId}`, statement, params)).rows[0]!
  if (row.seqno !== null) return { ok: true, seqno: row.seqno, alreadyCommitted: false }
  const plainMismatch = row.applier_version === ctx.buildVersion && row.tombstone === false && !row.token_seen && row.upper !== expected
  return plainMismatch ? { ok: false, expected: expectedUpper, current: decodeFrontier(row.upper) } : undefined
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
  writer: WriterIdentity | undefined,
): Promise<CompareAndAppendResult> {
  validateCompareAndAppend([], expectedUpper, newUpper, writer)
  let consumed = false
  return transition<CompareAndAppendResult>(
    ctx,
    shardId,
    'compare_and_append',
    async (_q, shard) => {
      const stored = writer === undefined ? undefined : await loadWriter(_q, shardId, writer.writerId)
      const decided = decideAppend(shard, stored, writer, expectedUpper, newUpper)
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
          if (writer !== undefined) await upsertWriter(ctx, _q, shardId, writer, newUpper, c.seqno, writerHeartbeat(stored, c.now))
          if (record !== undefined) await insertWriteRecord(ctx, _q, shardId, c.seqno, expectedUpper, newUpper, record)
          return recordAppend(c, { length: count }, expectedUpper, newUpper, writer)
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
