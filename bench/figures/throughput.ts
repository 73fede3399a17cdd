/**
 * Compare-and-append throughput with N writer processes racing on one shard (each: read the
 * upper, append one update at it, start over on a mismatch), against the floor: one process
 * committing one-row read-then-write transactions with bare better-sqlite3 and the same
 * durability settings. Informational: no target.
 */
import { fork } from 'node:child_process'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { shardId } from '../../src/store/shard-id.js'
import { openStore } from '../../src/store/open-store.js'
import { type BenchContext, removeStoreFiles } from '../context.js'
import type { WriterReport } from '../caa-writer.js'
import { quantile, timeNode } from '../measure.js'
import { makeFigure } from '../results.js'

const WRITER_SCRIPT = join(import.meta.dirname, '..', 'caa-writer.js')
const COMMIT_FLOOR = join(import.meta.dirname, '..', 'commit-floor.js')

export interface ThroughputResult {
  readonly commitsPerSecond: number
  readonly commits: number
  readonly mismatches: number
  readonly busy: number
  readonly p50Ms: number
  readonly p99Ms: number
}

/**
 * Runs `writers` writer processes against `location` (which must exist) for `seconds`. `onReady`
 * runs once every writer has opened the store, just before they start (to reset server counters).
 */
export async function measureThroughput(
  location: string,
  writers: number,
  seconds: number,
  onReady?: () => void | Promise<void>,
): Promise<ThroughputResult> {
  const shard = shardId(randomUUID(), 1)
  const store = await openStore(location)
  try {
    await store.openShard(shard, { shardName: 'bench' })
  } finally {
    await store.close()
  }
  const children = Array.from({ length: writers }, (_, i) =>
    fork(WRITER_SCRIPT, [location, shard, String(seconds * 1000), String(i)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] }),
  )
  const stderr: string[] = children.map(() => '')
  for (const [i, c] of children.entries()) {
    c.stderr?.setEncoding('utf8').on('data', (d: string) => {
      stderr[i] += d
    })
  }
  const ready = children.map((c) => new Promise<void>((resolve) => c.once('message', () => resolve())))
  const done = children.map(
    (c, i) =>
      new Promise<WriterReport>((resolve, reject) => {
        c.on('message', (m: unknown) => {
          if ((m as { type?: string }).type === 'done') resolve(m as WriterReport)
        })
        c.on('exit', (code) => reject(new Error(`writer ${i} exited with ${code}: ${stderr[i]!.trim().split('\n').slice(-3).join(' | ')}`)))
      }),
  )
  await Promise.all(ready)
  await onReady?.()
  const started = performance.now()
  for (const c of children) c.send({ type: 'go' })
  const reports = await Promise.all(done)
  const elapsed = (performance.now() - started) / 1000
  const commits = reports.reduce((a, r) => a + r.commits, 0)
  const latencies = reports.flatMap((r) => r.latenciesMs)
  return {
    commitsPerSecond: commits / Math.max(elapsed, seconds),
    commits,
    mismatches: reports.reduce((a, r) => a + r.mismatches, 0),
    busy: reports.reduce((a, r) => a + r.busy, 0),
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
  }
}

/** A new, empty SQLite store in the scratch directory. */
export async function newSqliteStore(ctx: BenchContext, name: string): Promise<{ path: string; dispose(): void }> {
  const path = ctx.scratchPath(`${name}.db`)
  const s = await openStore(path, { create: true })
  await s.close()
  return { path, dispose: () => removeStoreFiles(path) }
}

/** The bare better-sqlite3 commit rate (commits/s), one process. */
export async function commitFloor(ctx: BenchContext): Promise<number> {
  const path = ctx.scratchPath('commit-floor.db')
  try {
    const r = await timeNode(COMMIT_FLOOR, [path, String(ctx.opts.caaSeconds * 1000)], { captureStdout: true })
    if (r.code !== 0) throw new Error(`commit floor exited with ${r.code ?? r.signal}: ${r.stderr.trim()}`)
    return Number(r.stdout.trim()) / ctx.opts.caaSeconds
  } finally {
    removeStoreFiles(path)
  }
}

export async function throughputFigures(ctx: BenchContext): Promise<Map<number, ThroughputResult>> {
  const floor = await commitFloor(ctx)
  const byWriters = new Map<number, ThroughputResult>()
  for (const n of ctx.opts.writers) {
    const store = await newSqliteStore(ctx, `caa-${n}`)
    try {
      const r = await measureThroughput(store.path, n, ctx.opts.caaSeconds)
      byWriters.set(n, r)
      ctx.add(
        makeFigure({
          id: `caa-sqlite-${n}w`,
          figure: `compare-and-append, SQLite, ${n} writer${n === 1 ? '' : 's'}`,
          value: r.commitsPerSecond,
          unit: 'commits/s',
          baseline: { name: 'bare better-sqlite3 commits, 1 process', value: floor, unit: 'commits/s' },
          better: 'higher',
          target: null,
          reps: 1,
          note: `${r.commits} commits, ${r.mismatches} mismatches, ${r.busy} busy; latency p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms`,
        }),
      )
    } finally {
      store.dispose()
    }
  }
  return byWriters
}
