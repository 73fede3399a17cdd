/**
 * Storage faults (test plan T-8): four clients, each on its own connection wrapped in the
 * unreliable shim, append concurrently. A client retries every failed or indeterminate append with
 * the same writer id and idempotency token, so an append that committed before its error is
 * reported as already committed instead of being applied again. Checks: every logical append is in
 * the shard exactly once (no double-applied append, none lost), the upper advanced once per
 * append, the store is intact, and the history is linearizable.
 */
import { randomUUID } from 'node:crypto'
import { isTransient } from '../../../src/errors.js'
import { newIdempotencyToken, newWriterId } from '../../../src/store/ids.js'
import { shardId } from '../../../src/store/shard-id.js'
import { openStore } from '../../../src/store/open-store.js'
import type { ShardStore } from '../../../src/store/shard-store.js'
import { checkUpperHistory, nowNs, type HistoryOp } from '../lib/history.js'
import { row, removeStore, type SuiteContext } from '../lib/context.js'
import { latencyOf, type ScenarioRow } from '../lib/report.js'
import { InjectedFault, unreliable, type FaultCounts } from '../lib/unreliable-store.js'

const CLIENTS = 4

export async function storageFaultScenarios(ctx: SuiteContext): Promise<ScenarioRow[]> {
  const rows: ScenarioRow[] = []
  for (const p of ctx.opts.faultRates) rows.push(await faults(ctx, p))
  return rows
}

async function faults(ctx: SuiteContext, p: number): Promise<ScenarioRow> {
  const started = performance.now()
  const rng = ctx.rng(`faults-${p}`)
  const path = ctx.path('faults.db')
  const shard = shardId(randomUUID(), 1)
  const setup = await openStore(path, { create: true })
  await setup.openShard(shard, { shardName: 'faults' })
  await setup.close()
  const counts: FaultCounts = { performedThenTimeout: 0, timeoutNotPerformed: 0, determinate: 0 }
  const ops: HistoryOp[] = []
  const latencies: number[] = []
  const acked: string[] = []
  let alreadyCommitted = 0
  let mismatches = 0
  let otherErrors = 0
  const perClient = Math.ceil(ctx.opts.faultOps / CLIENTS)
  const raw: ShardStore[] = []
  try {
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        const base = await openStore(path, { busyTimeoutMs: 30_000 })
        raw.push(base)
        const store = unreliable(base, rng.int(0, 2 ** 30), p, counts)
        const writerId = newWriterId()
        const readUpper = async (): Promise<bigint> => {
          for (;;) {
            const inv = nowNs()
            try {
              const v = (await store.fetchRecentUpper(shard))!
              ops.push({ kind: 'read', process: c, inv, cmp: nowNs(), value: v })
              return v
            } catch (err) {
              if (!(err instanceof InjectedFault)) throw err
            }
          }
        }
        for (let i = 0; i < perClient; i++) {
          const data = `c${c}-${i}`
          const token = newIdempotencyToken()
          let upper = await readUpper()
          let firstInvAtUpper = nowNs()
          const t0 = performance.now()
          for (;;) {
            const inv = nowNs()
            try {
              const res = await store.compareAndAppend(shard, [{ data, ts: upper, diff: 1n }], upper, upper + 1n, {
                writerId,
                idempotencyToken: token,
              })
              const cmp = nowNs()
              if (res.ok) {
                if (res.alreadyCommitted) alreadyCommitted++
                // An append first tried earlier may have committed then: its interval starts there.
                ops.push({
                  kind: 'cas',
                  process: c,
                  inv: res.alreadyCommitted ? firstInvAtUpper : inv,
                  cmp,
                  expected: upper,
                  outcome: 'ok',
                  data,
                })
                acked.push(data)
                latencies.push(performance.now() - t0)
                break
              }
              mismatches++
              ops.push({ kind: 'cas', process: c, inv, cmp, expected: upper, outcome: 'mismatch', current: res.current })
              upper = res.current!
              firstInvAtUpper = nowNs()
            } catch (err) {
              // Injected or genuinely transient: retry the very same append (same token).
              if (!(err instanceof InjectedFault) && !isTransient(err)) throw err
              if (!(err instanceof InjectedFault)) otherErrors++
            }
          }
        }
      }),
    )
  } finally {
    for (const s of raw) await s.close()
  }
  const violations: string[] = []
  const store = await openStore(path, { readOnly: true })
  try {
    const final = (await store.fetchRecentUpper(shard))!
    const present = new Map<string, number>()
    for await (const u of store.snapshotStream(shard, final - 1n, { keepTimestamps: true }))
      present.set(u.data, (present.get(u.data) ?? 0) + Number(u.diff))
    const doubles = [...present.values()].filter((n) => n > 1).length
    const lost = acked.filter((d) => (present.get(d) ?? 0) === 0).length
    if (doubles > 0) violations.push(`${doubles} appends applied more than once`)
    if (lost > 0) violations.push(`${lost} acknowledged appends missing`)
    if (final !== BigInt(acked.length)) violations.push(`upper ${final} after ${acked.length} appends`)
    const lin = checkUpperHistory(ops, 0n, final)
    violations.push(...lin.problems)
    const integrity = await store.integrityCheck()
    if (integrity.length > 0) violations.push(`integrity: ${integrity[0]}`)
    return row({
      scenario: `storage faults, p=${p}`,
      processes: `1 (${CLIENTS} clients)`,
      iterations: CLIENTS * perClient,
      seed: ctx.opts.seed,
      successes: acked.length,
      mismatches,
      busySurfaced: otherErrors,
      lostAckedCommits: lost,
      partialTxns: doubles,
      integrityFailures: integrity.length > 0 ? 1 : 0,
      linearizable: lin.linearizable,
      latency: latencyOf(latencies),
      violations,
      notes: `injected: ${counts.performedThenTimeout} committed-then-timeout, ${counts.timeoutNotPerformed} timeout-not-done, ${counts.determinate} determinate; ${alreadyCommitted} retries resolved as already committed; double-applied ${doubles} (partial txns column); latency = per logical append incl. retries`,
      durationMs: performance.now() - started,
    })
  } finally {
    await store.close()
    removeStore(path)
  }
}
