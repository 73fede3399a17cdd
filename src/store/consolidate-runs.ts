/**
 * Consolidation on the fly: a stream sorted by (ts, data, diff) holds every update of one
 * (ts, data) in one adjacent run, so summing each run and dropping zeros consolidates the stream
 * while holding one run at a time.
 */
import type { Update } from './shard-store.js'

/** Rows per output batch. */
const OUT_BATCH_ROWS = 1024

/**
 * Sums adjacent updates of equal (ts, data) and drops zero sums; batches out are never empty.
 * The input must be sorted so that equal (ts, data) are adjacent (the backends' (ts, data, diff)
 * streams are).
 */
export async function* consolidateRuns(batches: AsyncIterable<readonly Update[]>): AsyncGenerator<Update[]> {
  let out: Update[] = []
  let run: Update | undefined
  let sum = 0n
  for await (const batch of batches) {
    for (const u of batch) {
      if (run !== undefined && u.ts === run.ts && u.data === run.data) {
        sum += u.diff
        continue
      }
      if (run !== undefined && sum !== 0n) out.push(sum === run.diff ? run : { data: run.data, ts: run.ts, diff: sum })
      run = u
      sum = u.diff
    }
    if (out.length >= OUT_BATCH_ROWS) {
      yield out
      out = []
    }
  }
  if (run !== undefined && sum !== 0n) out.push(sum === run.diff ? run : { data: run.data, ts: run.ts, diff: sum })
  if (out.length > 0) yield out
}
