/** SIGKILL during compare-and-appends: acknowledged batches survive, none is partial, a retry with the interrupted append's token tells whether it committed. */
import { randomUUID } from 'node:crypto'
import { shardId } from '../../../src/store/shard-id.js'
import { openStore } from '../../../src/store/open-store.js'
import type { ShardStore } from '../../../src/store/shard-store.js'
import { row, removeStore, type SuiteContext } from '../lib/context.js'
import { Worker, type WorkerMessage } from '../lib/processes.js'
import { latencyOf, type ScenarioRow } from '../lib/report.js'

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

export async function killAppends(ctx: SuiteContext, kills: number): Promise<ScenarioRow> {
  const started = performance.now()
  const rng = ctx.rng('crash-appends')
  const violations: string[] = []
  let lost = 0
  let partial = 0
  let integrityFailures = 0
  let acked = 0
  let inFlight = 0
  let inFlightCommitted = 0
  const recoveryMs: number[] = []
  let path = ''
  let shard = ''
  for (let i = 0; i < kills; i++) {
    // A fresh store every 100 kills keeps each check's scan short.
    if (i % 100 === 0) {
      if (path !== '') removeStore(path)
      path = ctx.path('crash-appends.db')
      shard = shardId(randomUUID(), 1)
      const s = await openStore(path, { create: true })
      await s.openShard(shard, { shardName: 'crash' })
      await s.close()
    }
    const w = new Worker('caa-worker.js', ['crash', path, shard, String(i), String(rng.int(0, 2 ** 30))])
    await w.waitFor('ready')
    await sleep(rng.next() * 50)
    w.kill()
    await w.exited
    const t0 = performance.now()
    const store = await openStore(path, { busyTimeoutMs: 30_000 })
    recoveryMs.push(performance.now() - t0)
    try {
      const invokes = new Map<number, WorkerMessage>()
      const acks = new Set<number>()
      for (const m of w.messages) {
        if (m.type === 'invoke') invokes.set(m.seq as number, m)
        if (m.type === 'ack' && m.ok === true) acks.add(m.seq as number)
      }
      const present = await batchCounts(store, shard, `b${i}-`)
      for (const [seq, inv] of invokes) {
        const n = inv.n as number
        const have = present.get(seq) ?? 0
        if (have !== 0 && have !== n) {
          partial++
          violations.push(`kill ${i}: batch ${seq} has ${have} of ${n} updates`)
        }
        if (acks.has(seq)) {
          acked++
          if (have !== n) {
            lost++
            violations.push(`kill ${i}: acknowledged batch ${seq} missing`)
          }
          continue
        }
        // The interrupted append: retrying it with the same writer and token must succeed, as
        // "already committed" exactly when it had committed.
        inFlight++
        if (have === n) inFlightCommitted++
        const expected = BigInt(inv.expected as string)
        const updates = Array.from({ length: n }, (_, k) => ({ data: `b${i}-${seq}-${k}/${n}`, ts: expected, diff: 1n }))
        const res = await store.compareAndAppend(shard, updates, expected, expected + 1n, {
          writerId: inv.writerId as string,
          idempotencyToken: inv.token as string,
        })
        if (have === n && !(res.ok && res.alreadyCommitted))
          violations.push(
            `kill ${i}: retrying committed batch ${seq} did not report already-committed (${JSON.stringify(res, bigintJson)})`,
          )
        if (have === 0 && res.ok && res.alreadyCommitted)
          violations.push(`kill ${i}: retrying uncommitted batch ${seq} reported already-committed`)
      }
      for (const [seq, have] of present)
        if (!invokes.has(seq)) violations.push(`kill ${i}: batch ${seq} (${have} updates) was never announced`)
      const problems = await store.integrityCheck()
      if (problems.length > 0) {
        integrityFailures++
        violations.push(`kill ${i}: integrity: ${problems[0]}`)
      }
    } finally {
      await store.close()
    }
  }
  removeStore(path)
  return row({
    scenario: 'crash: kill -9 during compare-and-append',
    processes: 1,
    iterations: kills,
    seed: ctx.opts.seed,
    successes: acked,
    lostAckedCommits: lost,
    partialTxns: partial,
    integrityFailures,
    latency: latencyOf(recoveryMs),
    violations,
    notes: `kill 0–50 ms after the writer was ready; ${inFlight} kills caught an append in flight (${inFlightCommitted} of them had committed; each retried with its token); latency = recovery open`,
    durationMs: performance.now() - started,
  })
}

/** Updates present per batch sequence number, for batches whose rows start with `prefix`. */
async function batchCounts(store: ShardStore, shard: string, prefix: string): Promise<Map<number, number>> {
  const out = new Map<number, number>()
  const upper = await store.fetchRecentUpper(shard)
  if (upper === null || upper === 0n) return out
  for await (const u of store.snapshotStream(shard, upper - 1n, { keepTimestamps: true })) {
    if (!u.data.startsWith(prefix)) continue
    const seq = Number(u.data.slice(prefix.length).split('-')[0])
    out.set(seq, (out.get(seq) ?? 0) + Number(u.diff))
  }
  return out
}

function bigintJson(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v
}
