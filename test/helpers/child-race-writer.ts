/**
 * Child process of the compare-and-append race (`store-race.ts`): argv = [location, shardId,
 * label, successes]. Opens the store by location with `openStore` (a SQLite file path or a
 * `postgres://` URL), sends `ready`, waits for `go`, then loops: fetch the upper, append one update
 * at it, and on a mismatch re-read. Reports `{successes: [{upper, seqno, data}], mismatches,
 * badMismatches, busy}` (bigints as strings), or `{error}`, and exits.
 *
 * A `StoreBusyError` (transient: contention past the busy timeout) retries the very same append
 * with the same idempotency token, so an append that committed before the error is acknowledged
 * once (`alreadyCommitted`), never twice.
 */
import { StoreBusyError } from '../../src/errors.js'
import { newIdempotencyToken, newWriterId } from '../../src/store/ids.js'
import { openStore } from '../../src/store/open-store.js'
import type { CompareAndAppendResult, ShardStore, Update, WriterIdentity } from '../../src/store/shard-store.js'

const [location, shard, label, target] = process.argv.slice(2)
if (location === undefined || shard === undefined || label === undefined || target === undefined || process.send === undefined) {
  throw new Error('usage: fork(child-race-writer.js, [location, shardId, label, successes]) with IPC')
}
const send = (msg: unknown) =>
  new Promise<void>((resolve, reject) => process.send!(msg, (err: Error | null) => (err ? reject(err) : resolve())))

let busy = 0
async function appendOnce(store: ShardStore, update: Update, upper: bigint, writer: WriterIdentity): Promise<CompareAndAppendResult> {
  for (;;) {
    try {
      return await store.compareAndAppend(shard!, [update], upper, upper + 1n, writer)
    } catch (err) {
      if (!(err instanceof StoreBusyError)) throw err
      busy++
    }
  }
}

const store = await openStore(location, { busyTimeoutMs: 30_000, buildVersion: '0.91.0' })
await store.fetchRecentUpper(shard) // connected and warm before the start
await new Promise<void>((resolve) => {
  process.once('message', () => resolve())
  void send('ready')
})
const writerId = newWriterId()
const successes: { upper: string; seqno: string; data: string }[] = []
let mismatches = 0
let badMismatches = 0
try {
  while (successes.length < Number(target)) {
    const upper = await store.fetchRecentUpper(shard)
    if (upper === null) throw new Error('the shard was finished')
    const data = `${label}-${successes.length}`
    const res = await appendOnce(store, { data, ts: upper, diff: 1n }, upper, { writerId, idempotencyToken: newIdempotencyToken() })
    if (res.ok) {
      successes.push({ upper: String(upper), seqno: String(res.seqno), data })
    } else {
      mismatches++
      // The upper only moves forward: a lost race always sees a later upper.
      if (res.current !== null && res.current <= upper) badMismatches++
    }
  }
  await send({ successes, mismatches, badMismatches, busy })
} catch (err) {
  await send({ error: String((err as Error)?.stack ?? err) })
} finally {
  await store.close()
  process.disconnect()
}
