/**
 * `snapshotStream`: the unconsolidated contents at an as-of, in bounded memory.
 *
 * better-sqlite3 cannot run any other statement on a connection while an iterator is open on it,
 * and paging over several transactions could see a concurrent compaction move rows under the
 * cursor. So a file store streams from a dedicated read-only connection holding one read
 * transaction (one WAL snapshot) for the life of the stream: the store's own connection stays free,
 * writers are not blocked, and the rows are exactly one consistent state. The connection is closed
 * when the stream ends, is abandoned with `break`, fails, or the store closes. An in-memory store
 * has no second connection to offer and reads the rows at once (its data is in memory anyway).
 */
import type Database from 'better-sqlite3'
import { filterShape } from '../lookup-filter.js'
import { consolidateRuns } from '../consolidate-runs.js'
import type { ConsolidatedOptions, StreamOptions, Update } from '../shard-store.js'
import { checkSince, readableSince } from '../state/as-of.js'
import { decodeU64, encodeU64 } from '../u64.js'
import { type SqliteContext, makeContext } from './context.js'
import { CONSOLIDATED_SQL, TIME_ORDER_SQL, filterParams, lookupOrderSql, streamSql } from './queries.js'
import { readFrontiers, readShardAtAsOf } from './reads.js'
import { mapSqliteError } from './sqlite-errors.js'

/** A row of `streamSql` in raw mode: data, ts (biased), diff. */
type StreamRow = [data: string, ts: bigint, diff: bigint]

/** Updates per batch. */
export const STREAM_BATCH_ROWS = 256

/** Where a stream reads from. */
export interface StreamSource {
  readonly ctx: SqliteContext
  readonly waitTimeoutMs: number
  /** Opens a dedicated read connection, or `undefined` when the store has none to offer (`:memory:`). */
  readonly openReader: (() => Database.Database) | undefined
  /** Open stream connections, closed with the store. */
  readonly open: Set<Database.Database>
}

/**
 * Yields the updates at `asOf` (advanced to it unless `keepTimestamps`) in (lookup a, ts, data,
 * diff) order (with `order: 'lookup'`, (lookup b, data, ts, diff)), in batches of {@link STREAM_BATCH_ROWS}. Throws `SinceError`,
 * `AsOfNotYetAvailableError` (after the wait deadline) and mapped SQLite errors.
 */
export function streamSnapshot(src: StreamSource, shardId: string, asOf: bigint, options: StreamOptions): AsyncGenerator<Update[]> {
  const except = options.exceptA ?? []
  const shape = filterShape(options.where)
  const sql = options.order === 'lookup' && shape !== 'all' ? lookupOrderSql(shape) : streamSql(shape, except.length)
  const params = [shardId, ...filterParams(options.where), ...except, encodeU64(asOf)]
  return streamRows(src, shardId, asOf, sql, params, options.keepTimestamps === true)
}

/**
 * Yields the consolidated contents at `asOf` in (ts, data) order (see
 * `ShardStore.snapshotConsolidated`): per (ts, data) from the (ts, data, diff) stream, consolidated
 * run by run as the rows go by; per data by SQLite's GROUP BY, whose sorter spills to temporary
 * files rather than growing without bound.
 */
export function streamConsolidated(
  src: StreamSource,
  shardId: string,
  asOf: bigint,
  options: ConsolidatedOptions,
): AsyncGenerator<Update[]> {
  const params = [shardId, encodeU64(asOf)]
  if (options.keepTimestamps === true) return consolidateRuns(streamRows(src, shardId, asOf, TIME_ORDER_SQL, params, true))
  return streamRows(src, shardId, asOf, CONSOLIDATED_SQL, params, false)
}

/** Runs one streaming query (rows `[data, ts, diff]`) at `asOf` on a dedicated connection. */
async function* streamRows(
  src: StreamSource,
  shardId: string,
  asOf: bigint,
  sql: string,
  params: unknown[],
  keep: boolean,
): AsyncGenerator<Update[]> {
  const { ctx } = src
  // Rows come in timestamp runs: decode each stored timestamp once.
  let lastStored: bigint | undefined
  let lastTs = asOf
  const toUpdate = (r: StreamRow): Update => {
    if (keep && r[1] !== lastStored) {
      lastStored = r[1]
      lastTs = decodeU64(r[1])
    }
    return { data: r[0], ts: lastTs, diff: r[2] }
  }
  if (src.openReader === undefined) {
    const rows = await readShardAtAsOf(
      ctx,
      src.waitTimeoutMs,
      shardId,
      asOf,
      'snapshot',
      () =>
        ctx
          .stmt(sql)
          .raw(true)
          .all(...params) as StreamRow[],
    )
    for (let i = 0; i < rows.length; i += STREAM_BATCH_ROWS) yield rows.slice(i, i + STREAM_BATCH_ROWS).map(toUpdate)
    return
  }
  await readShardAtAsOf(ctx, src.waitTimeoutMs, shardId, asOf, 'snapshot', () => true)
  const reader = src.openReader()
  src.open.add(reader)
  try {
    const rctx = makeContext(reader, ctx)
    reader.exec('BEGIN')
    // Since may have moved between the wait and this snapshot; the upper cannot move back.
    checkSince('snapshot', asOf, readableSince(readFrontiers(rctx, shardId), ctx.historyReads))
    let batch: Update[] = []
    for (const r of reader
      .prepare(sql)
      .raw(true)
      .iterate(...params) as IterableIterator<StreamRow>) {
      batch.push(toUpdate(r))
      if (batch.length === STREAM_BATCH_ROWS) {
        yield batch
        batch = []
      }
    }
    if (batch.length > 0) yield batch
  } catch (err) {
    throw mapSqliteError(err, ctx)
  } finally {
    src.open.delete(reader)
    if (reader.open) {
      if (reader.inTransaction) reader.exec('COMMIT')
      reader.close()
    }
  }
}
