/**
 * `snapshotStream`: the unconsolidated contents at an as-of, in bounded memory (mirrors
 * `../sqlite/snapshot-stream.ts`).
 *
 * The stream holds one pooled connection with one REPEATABLE READ, READ ONLY transaction for its
 * whole life, and reads each phase of `queries.ts`'s `streamSql` through a cursor,
 * {@link STREAM_PAGE_ROWS} rows a fetch: every fetch sees the same consistent state, so a
 * concurrent compaction cannot move rows under the cursor, memory is bounded by one fetch whatever
 * the shard's size, and each query runs (and sorts its runs of equal timestamps) once. Nothing is
 * written, and writers are not blocked (PostgreSQL's snapshots take no locks). The connection is
 * released when the stream ends, is abandoned with `break`, fails, or the store closes.
 */
import { filterShape } from '../lookup-filter.js'
import { consolidateRuns } from '../consolidate-runs.js'
import type { ConsolidatedOptions, StreamOptions, Update } from '../shard-store.js'
import { checkSince, readableSince } from '../state/as-of.js'
import { decodeU64, encodeU64 } from '../u64.js'
import { type PgContext, decodeData, encodeData } from './context.js'
import { CONSOLIDATED_SQL, TIME_ORDER_SQL, filterParams, lookupOrderSql, streamSql } from './queries.js'
import { readFrontiers, readShardAtAsOf } from './reads.js'

/** Rows fetched per round trip. */
export const STREAM_PAGE_ROWS = 1000

interface StreamRow {
  data: Buffer
  ts: bigint
  diff: bigint
}

const CURSOR = 'catalog_debug_stream'

/** The stream's updates, one batch per fetch (see the module comment). */
export function streamSnapshot(
  ctx: PgContext,
  shardId: string,
  asOf: bigint,
  options: StreamOptions,
  pageRows = STREAM_PAGE_ROWS,
): AsyncGenerator<Update[]> {
  const shape = filterShape(options.where)
  const except = (options.exceptA ?? []).map(encodeData)
  const head = [shardId, ...filterParams(options.where), encodeU64(asOf)]
  if (options.order === 'lookup' && shape !== 'all') {
    return streamQueries(ctx, shardId, asOf, [{ sql: lookupOrderSql(shape), params: head }], options.keepTimestamps === true, pageRows)
  }
  const phases = shape === 'all' ? (['null-a', 'a'] as const) : (['a'] as const)
  const queries = phases.map((phase) => ({
    sql: streamSql(shape, phase, phase === 'a' ? except.length : 0),
    params: phase === 'a' && shape === 'all' ? [...head, ...except] : head,
  }))
  return streamQueries(ctx, shardId, asOf, queries, options.keepTimestamps === true, pageRows)
}

/**
 * The consolidated contents at `asOf` in (ts, data) order (see `ShardStore.snapshotConsolidated`):
 * per (ts, data) from the (ts, data, diff) stream, consolidated run by run; per data by the
 * server's GROUP BY (which sorts on disk past `work_mem`).
 */
export function streamConsolidated(ctx: PgContext, shardId: string, asOf: bigint, options: ConsolidatedOptions): AsyncGenerator<Update[]> {
  const params = [shardId, encodeU64(asOf)]
  if (options.keepTimestamps === true) {
    return consolidateRuns(streamQueries(ctx, shardId, asOf, [{ sql: TIME_ORDER_SQL, params }], true, STREAM_PAGE_ROWS))
  }
  return streamQueries(ctx, shardId, asOf, [{ sql: CONSOLIDATED_SQL, params }], false, STREAM_PAGE_ROWS)
}

/** Runs each query through a cursor in one read session, in order. */
async function* streamQueries(
  ctx: PgContext,
  shardId: string,
  asOf: bigint,
  queries: readonly { sql: string; params: unknown[] }[],
  keep: boolean,
  pageRows: number,
): AsyncGenerator<Update[]> {
  const toUpdate = (r: StreamRow): Update => ({ data: decodeData(r.data), ts: keep ? decodeU64(r.ts) : asOf, diff: r.diff })
  await readShardAtAsOf(ctx, shardId, asOf, 'snapshot', async () => true)
  const session = await ctx.pool.openReadSession(`snapshot stream of ${shardId}`)
  try {
    // Since may have moved between the wait and this snapshot; the upper cannot move back.
    checkSince('snapshot', asOf, readableSince(await readFrontiers(session.query, shardId), ctx.historyReads))
    for (const { sql, params } of queries) {
      await session.query(`DECLARE ${CURSOR} NO SCROLL CURSOR FOR ${sql}`, params)
      for (;;) {
        const rows = (await session.query<StreamRow>(`FETCH FORWARD ${pageRows} FROM ${CURSOR}`)).rows
        if (rows.length > 0) yield rows.map(toUpdate)
        if (rows.length < pageRows) break
      }
      await session.query(`CLOSE ${CURSOR}`)
    }
  } finally {
    await session.release()
  }
}
