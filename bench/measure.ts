/**
 * Measuring child processes: wall time around the whole process (spawn to exit, so node's own
 * start-up is in every figure and in every baseline alike) and peak RSS from `/usr/bin/time`
 * (GNU time's `%M`, in KiB) and CPU time (`%U` + `%S`) when it is installed. stdout goes to /dev/null unless asked for.
 */

import { spawn } from 'node:child_process'
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const GNU_TIME = '/usr/bin/time'
let timeFileCounter = 0

export interface TimedRun {
  readonly wallMs: number
  /** Peak resident set size in KiB, `null` when `/usr/bin/time` is not available. */
  readonly maxRssKb: number | null
  /** User plus system CPU time in ms (GNU time's `%U` + `%S`), `null` when not measured. */
  readonly cpuMs: number | null
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stderr: string
}

export interface TimedOptions {
  readonly env?: NodeJS.ProcessEnv
  readonly cwd?: string
  /** Keep stdout (returned in `stdout`) instead of discarding it to /dev/null. */
  readonly captureStdout?: boolean
}

/** Whether peak RSS can be measured here. */
export function canMeasureRss(): boolean {
  return existsSync(GNU_TIME)
}

/** Runs `node script args…` once and measures it. */
export function timeNode(script: string, args: readonly string[], opts: TimedOptions = {}): Promise<TimedRun & { stdout: string }> {
  return timeCommand(process.execPath, [script, ...args], opts)
}

/** Runs a command once and measures it. */
export function timeCommand(cmd: string, args: readonly string[], opts: TimedOptions = {}): Promise<TimedRun & { stdout: string }> {
  const rss = canMeasureRss()
  const timeFile = join(tmpdir(), `catalog-debug-bench-time-${process.pid}-${++timeFileCounter}`)
  const [file, argv] = rss ? [GNU_TIME, ['-f', '%M %U %S', '-o', timeFile, cmd, ...args]] : [cmd, [...args]]
  const devNull = opts.captureStdout === true ? undefined : openSync('/dev/null', 'w')
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(file, argv, {
      cwd: opts.cwd,
      env: opts.env ?? { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', devNull ?? 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', (err) => {
      if (devNull !== undefined) closeSync(devNull)
      reject(err)
    })
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - started
      if (devNull !== undefined) closeSync(devNull)
      let maxRssKb: number | null = null
      let cpuMs: number | null = null
      if (rss && existsSync(timeFile)) {
        // GNU time writes "Command exited with non-zero status N" before the figures on failure.
        const lines = readFileSync(timeFile, 'utf8').trim().split('\n')
        const [kb, user, sys] = (lines[lines.length - 1] ?? '').split(' ').map(Number)
        maxRssKb = Number.isFinite(kb) ? (kb as number) : null
        cpuMs = Number.isFinite(user) && Number.isFinite(sys) ? ((user as number) + (sys as number)) * 1000 : null
        rmSync(timeFile, { force: true })
      }
      resolve({ wallMs, maxRssKb, cpuMs, code, signal, stderr, stdout })
    })
  })
}

/** Runs `fn` `reps` times; throws if a run exits non-zero. Returns the runs. */
export async function repeat(reps: number, label: string, fn: (rep: number) => Promise<TimedRun>): Promise<TimedRun[]> {
  const runs: TimedRun[] = []
  for (let i = 0; i < reps; i++) {
    const r = await fn(i)
    if (r.code !== 0) throw new Error(`${label} exited with ${r.code ?? r.signal}: ${r.stderr.trim().split('\n').slice(0, 8).join(' | ')}`)
    runs.push(r)
  }
  return runs
}

/** The median of a non-empty list (mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median of nothing')
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

/** The q-quantile (0..1) by nearest rank. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number
}

/** The largest peak RSS of some runs (KiB), or null when not measured. */
export function peakRss(runs: readonly TimedRun[]): number | null {
  const xs = runs.map((r) => r.maxRssKb).filter((x): x is number => x !== null)
  return xs.length === 0 ? null : Math.max(...xs)
}
