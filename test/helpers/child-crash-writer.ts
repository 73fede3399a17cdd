/**
 * Child process for the kill -9 test: argv = [path, shardId, writerId, rowsPerAppend].
 * Loads its modules, sends `ready` and waits for `go` (so the parent can start it ahead of time),
 * then opens the store, sends `opened` and appends forever, one append per upper value, each carrying several rows
 * (`a{upper}-{j}` at ts = upper) so a torn append would be visible. Before each append it reports
 * `{intent: upper, token}`, after the commit `{ack: upper, seqno}`; each message is handed to the
 * IPC pipe before the next step, so the parent knows everything acknowledged and the one in flight.
 */
import { newIdempotencyToken } from '../../src/store/ids.js'
import { SqliteShardStore } from '../../src/store/sqlite/sqlite-shard-store.js'

const [path, shard, writerId, rowsArg] = process.argv.slice(2)
if (path === undefined || shard === undefined || writerId === undefined || rowsArg === undefined || process.send === undefined) {
  throw new Error('usage: fork(child-crash-writer.js, [path, shardId, writerId, rowsPerAppend]) with IPC')
}
const send = (msg: unknown) =>
  new Promise<void>((resolve, reject) => process.send!(msg, (err: Error | null) => (err ? reject(err) : resolve())))
const rows = Number(rowsArg)

await new Promise<void>((resolve) => {
  process.once('message', () => resolve())
  void send('ready')
})
const store = await SqliteShardStore.open(path, { busyTimeoutMs: 30_000, buildVersion: '0.91.0' })
await send('opened')
for (;;) {
  const upper = await store.fetchRecentUpper(shard)
  if (upper === null) throw new Error('the shard was finished')
  const token = newIdempotencyToken()
  await send({ intent: String(upper), token })
  const updates = Array.from({ length: rows }, (_, j) => ({ data: `a${upper}-${j}`, ts: upper, diff: 1n }))
  const res = await store.compareAndAppend(shard, updates, upper, upper + 1n, { writerId, idempotencyToken: token })
  if (!res.ok) {
    await send({ error: `unexpected mismatch at ${upper}: current ${res.current}` })
    process.exit(1)
  }
  await send({ ack: String(upper), seqno: String(res.seqno) })
}
