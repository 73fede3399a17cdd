/**
 * A child process of the multi-process race test: opens the store at a location (any backend
 * `openStore` accepts) and races compare-and-appends of one update each on one shard until the
 * shard's upper reaches a target.
 *
 * argv: location, shard id, target upper, worker name, and optionally a start time (ms since the
 * epoch): the child opens the store, then waits for it, so that every racer starts at once.
 * stdout: one JSON line per acknowledged append `{"ts":"…","seqno":"…","data":"…"}` (written only
 * after the append returned ok), then a summary line `{"done":true,…}`.
 * Exit code 0, or 1 with the error on stderr.
 */
import { StoreBusyError } from '../../src/errors.js'
import { newIdempotencyToken, newWriterId } from '../../src/store/ids.js'
import { openStore } from '../../src/store/open-store.js'

const [location, shard, targetText, worker, startAtText] = process.argv.slice(2)
if (location === undefined || shard === undefined || targetText === undefined || worker === undefined) {
  process.stderr.write('usage: pg-race-child LOCATION SHARD TARGET WORKER [START_AT_MS]\n')
  process.exit(2)
}
const target = BigInt(targetText)

const store = await openStore(location, { busyTimeoutMs: 10_000 })
await store.fetchRecentUpper(shard) // connected and warm before the start
const startAt = Number(startAtText ?? 0)
if (startAt > Date.now()) await new Promise((resolve) => setTimeout(resolve, startAt - Date.now()))
const writerId = newWriterId()
let acked = 0
let mismatches = 0
let busy = 0
try {
  for (let n = 0; ; n++) {
    const upper = await store.fetchRecentUpper(shard)
    if (upper === null || upper >= target) break
    const data = `${worker}:${n}`
    try {
      const res = await store.compareAndAppend(shard, [{ data, ts: upper, diff: 1n }], upper, upper + 1n, {
        writerId,
        idempotencyToken: newIdempotencyToken(),
      })
      if (res.ok) {
        acked++
        process.stdout.write(`${JSON.stringify({ ts: String(upper), seqno: String(res.seqno), data })}\n`)
      } else {
        mismatches++
        if (res.current !== null && res.current < upper) throw new Error(`mismatch reported an upper ${res.current} behind the expected ${upper}`)
      }
    } catch (err) {
      // Contended past the busy timeout (transient). The race runs without restarts, so such an
      // error is a conflict or lock wait that committed nothing; the loop re-reads and tries again.
      if (!(err instanceof StoreBusyError)) throw err
      busy++
    }
  }
  process.stdout.write(`${JSON.stringify({ done: true, worker, acked, mismatches, busy })}\n`)
} catch (err) {
  process.stderr.write(`${worker}: ${(err as Error).stack ?? String(err)}\n`)
  process.exitCode = 1
} finally {
  await store.close()
}
