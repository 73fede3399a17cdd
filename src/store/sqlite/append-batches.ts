/**
 * compare-and-append of a stream of batches in SQLite: one `BEGIN IMMEDIATE` transaction spans the
 * whole stream (the only transaction of this store that spans an `await`: the handle is reserved
 * for it until it settles, see `ShardStore.compareAndAppendBatches`). The write lock is held from
 * the read of the upper to the commit, as in `append.ts`; any error rolls everything back.
 */
import { validateCompareAndAppend } from '../append-validation.js'
import type { CompareAndAppendResult, Frontier, ShardDiagnostics, Update, WriteRecord, WriterIdentity } from '../shard-store.js'
import { decideAppend, lookupValues, recordAppend, writerHeartbeat } from '../state/append-decision.js'
import { beginCommit, gatedState } from '../state/commit.js'
import { encodeU64 } from '../u64.js'
import { loadWriter, upsertWriter } from './append.js'
import type { SqliteContext } from './context.js'
import { LOOKUP_INDEXES } from './schema.js'
import { insertShard, loadShard } from './shard-row.js'
import { mapSqliteError } from './sqlite-errors.js'
import { writeCommit } from './transition.js'
import { insertWriteRecord } from './write-records.js'

const INSERT_SQL = 'INSERT INTO updates (shard_id, ts, data, diff, seqno, lookup_a, lookup_b) VALUES (?, ?, ?, ?, ?, ?, ?)'

/**
 * Rows per multi-row INSERT: one call into SQLite per {@link INSERT_ROWS} rows rather than per row
 * (each call costs about as much as the insert itself); 32 × 7 parameters stay well under SQLite's limit.
 */
const INSERT_ROWS = 32
const INSERT_MANY_SQL = `INSERT INTO updates (shard_id, ts, data, diff, seqno, lookup_a, lookup_b) VALUES ${Array.from({ length: INSERT_ROWS }, () => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`

export async function compareAndAppendBatches(
  ctx: SqliteContext,
  shardId: string,
  batches: AsyncIterable<readonly Update[]>,
  expectedUpper: Frontier,
  newUpper: Frontier,
  diagnostics: ShardDiagnostics,
  record: WriteRecord | undefined,
  writer: WriterIdentity | undefined,
): Promise<CompareAndAppendResult> {
  validateCompareAndAppend([], expectedUpper, newUpper, writer)
  // A large append updates three indexes in key order unrelated to the rows' order (or, into an
  // empty table, sorts them once each): a page cache that holds their working set saves most of
  // the re-reads (the default is 2 MiB).
  const cacheSize = ctx.db.pragma('cache_size', { simple: true })
  ctx.db.pragma(`cache_size = -${APPEND_CACHE_KIB}`)
  try {
    return await appendInTransaction(ctx, shardId, batches, expectedUpper, newUpper, diagnostics, record, writer)
  } finally {
    ctx.db.pragma(`cache_size = ${cacheSize}`)
  }
}

/** Page cache of a streamed append, KiB. */
const APPEND_CACHE_KIB = 32768

async function appendInTransaction(
  ctx: SqliteContext,
  shardId: string,
  batches: AsyncIterable<readonly Update[]>,
  expectedUpper: Frontier,
  newUpper: Frontier,
  diagnostics: ShardDiagnostics,
  record: WriteRecord | undefined,
  writer: WriterIdentity | undefined,
): Promise<CompareAndAppendResult> {
  try {
    ctx.db.exec('BEGIN IMMEDIATE')
  } catch (err) {
    throw mapSqliteError(err, ctx)
  }
  try {
    const now = ctx.now()
    const stored = loadShard(ctx, shardId)
    const [shard] = gatedState(stored, shardId, ctx.buildVersion)
    const writerRecord = writer === undefined ? undefined : loadWriter(ctx, shardId, writer.writerId)
    const decided = decideAppend(shard, writerRecord, writer, expectedUpper, newUpper)
    if (decided !== undefined) {
      ctx.db.exec('ROLLBACK')
      return decided
    }
    const c = beginCommit(stored ?? insertShard(ctx, shardId, diagnostics, now), now)
    // Into an empty table (a new store: import, copy --to), the rows go in without the two lookup
    // indexes, which are then built in one sorted pass each: inserting into them in key orders
    // unrelated to the rows' order costs several times more. The (shard, ts) index is kept: the
    // rows come in time order, so it grows at its end, cheaper than a build that scans and sorts
    // the table once more. Same transaction, so a failure restores them.
    const bulk = ctx.db.prepare('SELECT 1 FROM updates LIMIT 1').get() === undefined
    if (bulk) for (const [index] of LOOKUP_INDEXES) ctx.db.exec(`DROP INDEX ${index}`)
    const insert = ctx.stmt(INSERT_SQL)
    const insertMany = ctx.stmt(INSERT_MANY_SQL)
    const params: unknown[] = new Array(7 * INSERT_ROWS)
    let count = 0
    for await (const batch of batches) {
      validateCompareAndAppend(batch, expectedUpper, newUpper)
      const lookups = lookupValues(ctx.lookup, batch)
      const whole = batch.length - (batch.length % INSERT_ROWS)
      for (let i = 0; i < batch.length; i++) {
        const u = batch[i] as Update
        const l = lookups[i] as readonly [string | null, string | null]
        if (i >= whole) {
          insert.run(shardId, encodeU64(u.ts), u.data, u.diff, c.seqno, l[0], l[1])
          continue
        }
        const k = (i % INSERT_ROWS) * 7
        params[k] = shardId
        params[k + 1] = encodeU64(u.ts)
        params[k + 2] = u.data
        params[k + 3] = u.diff
        params[k + 4] = c.seqno
        params[k + 5] = l[0]
        params[k + 6] = l[1]
        if (k === 7 * (INSERT_ROWS - 1)) insertMany.run(params)
      }
      count += batch.length
    }
    if (bulk) for (const [, ddl] of LOOKUP_INDEXES) ctx.db.exec(ddl)
    if (writer !== undefined) upsertWriter(ctx, shardId, writer, newUpper, c.seqno, writerHeartbeat(writerRecord, c.now))
    const result = recordAppend(c, { length: count }, expectedUpper, newUpper, writer)
    if (record !== undefined) insertWriteRecord(ctx, shardId, c.seqno, expectedUpper, newUpper, record)
    writeCommit(ctx, shardId, 'compare_and_append', c)
    ctx.db.exec('COMMIT')
    return result
  } catch (err) {
    if (ctx.db.inTransaction) {
      try {
        ctx.db.exec('ROLLBACK')
      } catch {
        // SQLite rolled back already (an error that aborts the transaction).
      }
    }
    throw mapSqliteError(err, ctx)
  }
}
