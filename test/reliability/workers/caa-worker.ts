/**
 * A compare-and-append client process for the race and crash scenarios (forked, IPC).
 *
 * `race LOCATION SHARD QUOTA INDEX [zombie]`: until QUOTA successes, read the upper and append one
 * update (`p<INDEX>-<n>`) at it, starting over on a mismatch; every read and CAS is recorded with
 * its invoke and complete time. A zombie reads the upper once and keeps appending at that stale
 * upper (every attempt after the first must mismatch). Sends `ready`, waits for `go`, sends
 * `history` at the end.
 *
 * `crash LOCATION SHARD INDEX SEED`: appends batches of 1–20 updates forever, with a writer id and
 * a fresh idempotency token per batch, announcing each batch (`invoke`) before the call and
 * acknowledging it (`ack`) after; the parent kills it at a random moment.
 */
import { isTransient } from '../../../src/errors.js'
import { newIdempotencyToken, newWriterId } from '../../../src/store/ids.js'
import { openStore } from '../../../src/store/open-store.js'
import type { ShardStore } from '../../../src/store/shard-store.js'
import { Rng } from '../../../bench/rng.js'
import type { HistoryOp } from '../lib/history.js'

const now = (): number => Number(process.hrtime.bigint())
const [mode, location, shard, ...rest] = process.argv.slice(2)
const send = (m: object): Promise<void> => new Promise((resolve) => process.send!(m, () => resolve()))

async function race(store: ShardStore, quota: number, index: number, zombie: boolean): Promise<void> {
  const ops: HistoryOp[] = []
  const unknown: { inv: number; expected: string; data: string }[] = []
  let busy = 0
  let successes = 0
  const read = async (): Promise<bigint> => {
    const inv = now()
    const value = await store.fetchRecentUpper(shard!)
    if (value === null) throw new Error('shard finished')
    ops.push({ kind: 'read', process: index, inv, cmp: now(), value })
    return value
  }
  let upper = await read()
  const attempts = zombie ? quota : Number.MAX_SAFE_INTEGER
  for (let a = 0; a < attempts && successes < quota; a++) {
    const inv = now()
    try {
      const res = await store.compareAndAppend(shard!, [{ data: `p${index}-${successes}`, ts: upper, diff: 1n }], upper, upper + 1n)
      const cmp = now()
      if (res.ok) {
        ops.push({ kind: 'cas', process: index, inv, cmp, expected: upper, outcome: 'ok', data: `p${index}-${successes}` })
        successes++
        if (!zombie) upper += 1n
      } else {
        ops.push({ kind: 'cas', process: index, inv, cmp, expected: upper, outcome: 'mismatch', current: res.current })
        if (!zombie) upper = await read()
      }
    } catch (err) {
      if (!isTransient(err)) throw err
      // A transient error (busy past the timeout): the outcome is the store's to tell; the parent
      // resolves it by looking for the update's text.
      busy++
      unknown.push({ inv, expected: String(upper), data: `p${index}-${successes}` })
      if (!zombie) upper = await read()
    }
  }
  const wire = ops.map((o) =>
    o.kind === 'read'
      ? { ...o, value: String(o.value) }
      : { ...o, expected: String(o.expected), current: o.current === undefined || o.current === null ? null : String(o.current) },
  )
  await send({ type: 'history', ops: wire, unknown, busy, successes })
}

async function crash(store: ShardStore, index: number, seed: number): Promise<never> {
  const rng = new Rng(seed)
  const writer = { writerId: newWriterId(), idempotencyToken: '' }
  for (let seq = 0; ; seq++) {
    const upper = await store.fetchRecentUpper(shard!)
    if (upper === null) throw new Error('shard finished')
    const n = rng.int(1, 20)
    const updates = Array.from({ length: n }, (_, k) => ({ data: `b${index}-${seq}-${k}/${n}`, ts: upper, diff: 1n }))
    const token = newIdempotencyToken()
    await send({ type: 'invoke', seq, n, token, writerId: writer.writerId, expected: String(upper) })
    const res = await store.compareAndAppend(shard!, updates, upper, upper + 1n, { writerId: writer.writerId, idempotencyToken: token })
    await send({ type: 'ack', seq, ok: res.ok })
  }
}

const store = await openStore(location!, { busyTimeoutMs: 30_000 })
if (mode === 'race') {
  const [quota, index, zombie] = rest
  await send({ type: 'ready' })
  await new Promise<void>((resolve) => process.once('message', () => resolve()))
  await race(store, Number(quota), Number(index), zombie === 'zombie')
  await store.close()
  process.disconnect()
} else if (mode === 'crash') {
  const [index, seed] = rest
  await send({ type: 'ready' })
  await crash(store, Number(index), Number(seed))
} else {
  throw new Error(`unknown mode ${mode}`)
}
