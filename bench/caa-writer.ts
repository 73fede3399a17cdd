/**
 * A compare-and-append writer process for the throughput figures (forked with an IPC channel).
 *
 * Opens the store, reports `ready`, waits for `go`, then until its deadline: reads the upper,
 * appends one update at it, and on a mismatch starts over with the current upper (the loop every
 * catalog writer runs). Reports `{commits, mismatches, busy, latenciesMs}` and exits.
 *
 * Usage (forked): `caa-writer.js LOCATION SHARD_ID DURATION_MS WRITER_INDEX`
 */
import { isTransient } from '../src/errors.js'
import { openStore } from '../src/store/open-store.js'

export interface WriterReport {
  readonly type: 'done'
  readonly commits: number
  readonly mismatches: number
  readonly busy: number
  /** Latency of each successful compare-and-append (ms), capped to the first 5000. */
  readonly latenciesMs: number[]
}

const [location, shardId, durationText, indexText] = process.argv.slice(2)
if (location === undefined || shardId === undefined || durationText === undefined || process.send === undefined) {
  process.stderr.write('usage (forked): caa-writer LOCATION SHARD_ID DURATION_MS WRITER_INDEX\n')
  process.exitCode = 2
} else {
  const send = process.send.bind(process)
  const store = await openStore(location, { busyTimeoutMs: 30_000 })
  await new Promise<void>((resolve) => {
    process.once('message', () => resolve())
    send({ type: 'ready' })
  })
  const deadline = performance.now() + Number(durationText)
  let commits = 0
  let mismatches = 0
  let busy = 0
  const latenciesMs: number[] = []
  let upper = await store.fetchRecentUpper(shardId)
  while (performance.now() < deadline && upper !== null) {
    const t0 = performance.now()
    try {
      const res = await store.compareAndAppend(shardId, [{ data: `w${indexText}-${commits}`, ts: upper, diff: 1n }], upper, upper + 1n)
      if (res.ok) {
        commits++
        if (latenciesMs.length < 5000) latenciesMs.push(performance.now() - t0)
        upper += 1n
      } else {
        mismatches++
        upper = res.current
      }
    } catch (err) {
      if (!isTransient(err)) throw err
      busy++
      upper = await store.fetchRecentUpper(shardId)
    }
  }
  await store.close()
  const report: WriterReport = { type: 'done', commits, mismatches, busy, latenciesMs }
  send(report, () => process.disconnect())
}
