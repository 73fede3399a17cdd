/**
 * Fencing (test plan T-4): two writable catalogs and a debug edit racing on one store. Catalog A
 * opens writable and keeps committing; catalog B opens writable (a newer epoch) while A commits;
 * then the command line's `edit` runs (bumping the epoch again) while B commits. A fenced side
 * must write nothing after the fence: once a catalog saw a fence error every later commit fails,
 * every refused commit left no row, every acknowledged one is there, and every row A wrote lies
 * below the timestamp at which B's epoch took over (likewise B before the edit's epoch).
 */
import type { JsonObject } from '../../../src/json/lossless-json.js'
import { decodeRow } from '../../../src/catalog/codec/row-codec.js'
import { catalogShardIds } from '../../../src/catalog/catalog-shards.js'
import { openStore } from '../../../src/store/open-store.js'
import { row, removeStore, type SuiteContext } from '../lib/context.js'
import { runCliProcess, Worker, type CliRun, type WorkerMessage } from '../lib/processes.js'
import { latencyOf, type ScenarioRow } from '../lib/report.js'

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

interface Side {
  readonly tag: string
  readonly worker: Worker
  readonly epoch: bigint
  readonly results: { name: string; outcome: string; at: number; message?: string }[]
}

export async function fencingScenario(ctx: SuiteContext): Promise<ScenarioRow[]> {
  const started = performance.now()
  const rng = ctx.rng('fencing')
  const { path, catalog } = await ctx.catalogCopy('v47')
  const org = catalog.organizationId
  const shard = catalogShardIds(org).catalog
  const violations: string[] = []
  let committed = 0
  let fenced = 0
  let lost = 0
  let afterFence = 0
  const timeToFence: number[] = []

  const open = async (tag: string): Promise<Side> => {
    const worker = new Worker('catalog-worker.js', ['fence', path, org, tag])
    const m = await worker.waitFor('opened')
    const side: Side = { tag, worker, epoch: BigInt(m.epoch as string), results: [] }
    worker.child.on('message', (msg: WorkerMessage) => {
      if (msg.type === 'result')
        side.results.push({
          name: msg.name as string,
          outcome: msg.outcome as string,
          at: performance.now(),
          message: msg.message as string | undefined,
        })
    })
    return side
  }
  /** Sends `n` commits, `gapMs` apart, and waits for their replies. */
  const commits = async (s: Side, n: number, gapMs: number): Promise<void> => {
    const want = s.results.length + n
    for (let i = 0; i < n; i++) {
      s.worker.send({ type: 'commit' })
      await sleep(gapMs)
    }
    while (s.results.length < want) await sleep(2)
  }

  for (let round = 0; round < ctx.opts.fenceRounds; round++) {
    const a = await open(`a${round}`)
    await commits(a, 2, 0)
    // B opens while A keeps committing.
    const aRacing = commits(a, 12, rng.int(1, 8))
    await sleep(rng.int(0, 30))
    const b = await open(`b${round}`)
    const bOpened = performance.now()
    await aRacing
    await commits(a, 2, 0) // surely after B's epoch
    const firstFence = a.results.find((r) => r.outcome === 'fenced')
    if (firstFence !== undefined) timeToFence.push(Math.max(0, firstFence.at - bOpened))
    // The debug edit races B's commits.
    const bRacing = commits(b, 12, rng.int(1, 8))
    await sleep(rng.int(0, 30))
    const edit: CliRun = await runCliProcess([
      '--store',
      path,
      'edit',
      'setting',
      '{"name":"fence_edit"}',
      JSON.stringify({ value: `r${round}` }),
      '--yes',
    ])
    await bRacing
    await commits(b, 2, 0)
    if (edit.code !== 0) violations.push(`round ${round}: the debug edit exited ${edit.code}: ${edit.stderr.trim().split('\n')[0]}`)
    for (const s of [a, b]) {
      s.worker.send({ type: 'stop' })
      await s.worker.exited
    }

    // Check against what the store holds.
    const store = await openStore(path, { readOnly: true })
    try {
      const upper = (await store.fetchRecentUpper(shard))!
      const settings = await store.snapshot(shard, upper - 1n, { where: { a: 'Setting' }, keepTimestamps: true })
      const epochs = await store.snapshot(shard, upper - 1n, { where: { a: 'Epoch' }, keepTimestamps: true })
      const written = new Map<string, bigint>()
      for (const u of settings) {
        const d = decodeRow(u.data)
        if (u.diff > 0n && d.ok && d.row.kind === 'Setting') written.set((d.row.key as JsonObject).name as string, u.ts)
      }
      const epochTs = (e: bigint): bigint | undefined => epochs.find((u) => u.diff > 0n && u.data === `{"epoch":${e},"kind":"Epoch"}`)?.ts
      const bTs = epochTs(b.epoch)
      const editTs = epochs
        .filter((u) => u.diff > 0n)
        .map((u) => u.ts)
        .reduce((m, t) => (t > m ? t : m), 0n)
      for (const [s, fenceTs, fencer] of [
        [a, bTs, 'B'],
        [b, editTs, 'the edit'],
      ] as const) {
        let sawFence = false
        for (const r of s.results) {
          const ts = written.get(r.name)
          if (r.outcome === 'committed') {
            committed++
            if (sawFence) {
              afterFence++
              violations.push(`round ${round}: ${s.tag} committed ${r.name} after it had been fenced`)
            }
            if (ts === undefined) {
              lost++
              violations.push(`round ${round}: ${s.tag}'s acknowledged ${r.name} is missing`)
            } else if (fenceTs !== undefined && ts >= fenceTs) {
              afterFence++
              violations.push(`round ${round}: ${s.tag} wrote ${r.name} at ${ts}, at or after ${fencer} took over at ${fenceTs}`)
            }
          } else if (r.outcome === 'fenced') {
            fenced++
            sawFence = true
            if (ts !== undefined) {
              afterFence++
              violations.push(`round ${round}: ${s.tag}'s refused ${r.name} was written anyway`)
            }
          } else {
            violations.push(`round ${round}: ${s.tag}'s ${r.name} failed unexpectedly: ${r.message}`)
          }
        }
        const last = s.results[s.results.length - 1]
        if (last?.outcome !== 'fenced') violations.push(`round ${round}: ${s.tag} was never fenced`)
      }
      if (bTs === undefined) violations.push(`round ${round}: B's epoch ${b.epoch} is not in the shard`)
    } finally {
      await store.close()
    }
  }
  removeStore(path)
  return [
    row({
      scenario: 'fencing: two writable catalogs + debug edit',
      processes: 3,
      iterations: ctx.opts.fenceRounds,
      seed: ctx.opts.seed,
      successes: committed,
      lostAckedCommits: lost,
      partialTxns: afterFence,
      linearizable: null,
      latency: latencyOf(timeToFence),
      violations,
      notes: `${fenced} commits refused with a fence error; writes after the fence: ${afterFence} (partial txns column); latency = from B reporting its open to A's first fence error (0 when A hit the fence first)`,
      durationMs: performance.now() - started,
    }),
  ]
}
