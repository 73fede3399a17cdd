/**
 * Child process for the compare-and-append race: argv = [path, shardId, label, successes].
 * Sends `ready`, waits for `go`, then loops: fetch the upper, append one update at it, and on a
 * mismatch re-read. Reports `{successes: [{upper, seqno}], mismatches, badMismatches}` (bigints as
 * strings) and exits.
 */
import { newIdempotencyToken, newWriterId } from '../../src/store/ids.js'
import { SqliteShardStore } from '../../src/store/sqlite/sqlite-shard-store.js'

const [path, shard, label, target] = process.argv.slice(2)
if (path === undefined || shard === undefined || label === undefined || target === undefined || process.send === undefined) {
  throw new Error('usage: fork(child-race-writer.js, [path, shardId, label, successes]) with IPC')
}
const send = (msg: unknown) => new Promise<void>((resolve, reject) => process.send!(msg, (err: Error | null) => (err ? reject(err) : resolve())))

const store = await SqliteShardStore.open(path, { busyTimeoutMs: 30_000, buildVersion: '0.91.0' })
await new Promise<void>((resolve) => {
  process.once('message', () => resolve())
  void send('ready')
})
const writerId = newWriterId()
const successes: { upper: string; seqno: string }[] = []
let mismatches = 0
let badMismatches = 0
try {
  while (successes.length < Number(target)) {
    const upper = await store.fetchRecentUpper(shard)
    if (upper === null) throw new Error('the shard was finished')
    const data = `${label}-${successes.length}`
    const res = await store.compareAndAppend(shard, [{ data, ts: upper, diff: 1n }], upper, upper + 1n, {
      writerId,
      idempotencyToken: newIdempotencyToken(),
    })
    if (res.ok) {
      successes.push({ upper: String(upper), seqno: String(res.seqno) })
    } else {
      mismatches++
      // The upper only moves forward: a lost race always sees a later upper.
      if (res.current !== null && res.current <= upper) badMismatches++
    }
  }
  await send({ successes, mismatches, badMismatches })
} catch (err) {
  await send({ error: String((err as Error)?.stack ?? err) })
} finally {
  await store.close()
  process.disconnect()
}
