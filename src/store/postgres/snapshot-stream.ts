/**
 * `snapshotStream`: the unconsolidated contents at an as-of, in bounded memory (mirrors
 * `../sqlite/snapshot-stream.ts`).
 *
 * The stream holds one pooled connection with one REPEATABLE READ, READ ONLY transaction for its
 * whole life, and pages through it with keyset pagination (`queries.ts`, {@link STREAM_PAGE_ROWS}
 * rows a page): every page sees the same consistent state, so a concurrent compaction cannot move
 * rows under the cursor, and memory is bounded by one page whatever the shard's size. Nothing is
 * written, and writers are not blocked (PostgreSQL's snapshots take no locks). The connection is
 * released when the stream ends, is abandoned with `break`, fails, or the store closes.
 */
import { filterShape } from '../lookup-filter.js'
import type { SnapshotOptions, Update } from '../shard-store.js'
import { checkSince } from '../state/as-of.js'
import { decodeU64, encodeU64 } from '../u64.js'
import { type PgContext, decodeData } from './context.js'
import { filterParams, streamPageSql } from './queries.js'
import { readFrontiers, readShardAtAsOf } from './reads.js'

/** Rows fetched per page. */
export const STREAM_PAGE_ROWS = 1000

interface StreamRow {
  data: Buffer
  ts: bigint
  diff: bigint
  lookup_a: Buffer | null
  id: bigint
}

export async function* streamSnapshot(ctx: PgContext, shardId: string, asOf: bigint, options: SnapshotOptions, pageRows = STREAM_PAGE_ROWS): AsyncGenerator<Update> {
  const keep = options.keepTimestamps === true
  const shape = filterShape(options.where)
  const head = [shardId, ...filterParams(options.where), encodeU64(asOf), pageRows]
  const toUpdate = (r: StreamRow): Update => ({ data: decodeData(r.data), ts: keep ? decodeU64(r.ts) : asOf, diff: r.diff })
  await readShardAtAsOf(ctx, shardId, asOf, 'snapshot', async () => true)
  const session = await ctx.pool.openReadSession(`snapshot stream of ${shardId}`)
  try {
    // Since may have moved between the wait and this snapshot; the upper cannot move back.
    checkSince('snapshot', asOf, (await readFrontiers(session.query, shardId)).since)
    const phases = shape === 'all' ? (['null-a', 'a'] as const) : (['a'] as const)
    for (const phase of phases) {
      let cursor: unknown[] | undefined
      for (;;) {
        const sql = streamPageSql(shape, phase, cursor === undefined)
        const rows = (await session.query<StreamRow>(sql, cursor === undefined ? head : [...head, ...cursor])).rows
        for (const r of rows) yield toUpdate(r)
        if (rows.length < pageRows) break
        const last = rows[rows.length - 1]!
        cursor = shape === 'all' && phase === 'a' ? [last.lookup_a, last.ts, last.id] : [last.ts, last.id]
      }
    }
  } finally {
    await session.release()
  }
}
