/**
 * Never make things worse (issue 12): hangs. A write on a terminal that reports 0 columns (`script`
 * with `stty cols 0 rows 0`, as some CI runners and `docker exec -t` do) against a store whose
 * write lock another process holds (the lock-holder worker) must finish: it gives up when the retry
 * policy's time is up (the default 30 s; `--retry-timeout 2s` in CI) with exit 5, or succeeds once
 * the lock is released, and writes a bounded amount to the terminal (it used to write escape codes
 * forever). Then SIGTERM, timed: sent to a write waiting for the lock (on a pipe and on the 0-column
 * terminal), to a read streaming a large catalog through a slow pipe, and to `watch`; each must end
 * within 1 s of the signal, measured from the signal to the process's exit. The times are published
 * as a distribution; in CI (`quick`) only the end itself is judged (shared machines).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { CLI_BIN } from '../../helpers/cli-process.js'
import { initStore } from '../../trust/trust-kit.js'
import { row, type SuiteContext } from '../lib/context.js'
import { runCliProcess, Worker } from '../lib/processes.js'
import { latencyOf, type ScenarioRow } from '../lib/report.js'

let edits = 0
/** An edit that changes the value (each call a new one: an edit to the current value writes nothing). */
const edit = (): string[] => ['edit', 'setting', '{"name":"greeting"}', `{"value":"hi ${++edits}"}`, '--yes']
/** The retry policy's default time (docs/exit-codes.md: a store that stays busy is exit 5 after it). */
const DEFAULT_RETRY_MS = 30_000
const SIGTERM_BOUND_MS = 1000
/** More terminal output than this is a runaway spinner. */
const OUTPUT_BOUND = 64 * 1024

interface Started {
  readonly child: ChildProcess
  /** Resolves with the exit code (the terminal's, under `script`) and bytes written to stdout. */
  readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null; bytes: number; at: number }>
  /** Sends SIGTERM to the command itself (under `script`, the child of the `script` process). */
  term(): void
}

/** Runs the command line on a pipe, or under `script` on a terminal reporting 0 columns. */
function start(args: readonly string[], terminal: boolean, opts: { slowReader?: boolean } = {}): Started {
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`
  const child = terminal
    ? spawn('script', ['-qec', `stty cols 0 rows 0; exec ${[process.execPath, CLI_BIN, ...args].map(quote).join(' ')}`, '/dev/null'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { PATH: process.env.PATH ?? '', TERM: 'xterm' },
      })
    : spawn(process.execPath, [CLI_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } })
  let bytes = 0
  child.stdout?.on('data', (d: Buffer) => {
    bytes += d.length
    if (opts.slowReader === true) {
      child.stdout?.pause()
      setTimeout(() => child.stdout?.resume(), 1000)
    }
  })
  child.stderr?.resume()
  // Timed at the process's exit, not at 'close': 'close' also waits for the pipe to be read to its
  // end, which a paused (slow) reader delays by up to its pause, after the command is long gone.
  let exitedAt: number | undefined
  child.on('exit', () => {
    exitedAt = performance.now()
  })
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null; bytes: number; at: number }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, bytes, at: exitedAt ?? performance.now() })),
  )
  const term = (): void => {
    if (terminal) spawn('pkill', ['-TERM', '-P', String(child.pid)])
    else child.kill('SIGTERM')
  }
  return { child, closed, term }
}

export async function terminalScenarios(ctx: SuiteContext): Promise<ScenarioRow[]> {
  const quick = ctx.opts.quick === true
  const { path: big } = await ctx.catalogCopy('v47')
  const store = ctx.path('terminal.db')
  await initStore(store)
  const startup = (await runCliProcess(['--version'])).ms
  const rows: ScenarioRow[] = []

  // 1. A retrying write on a 0-column terminal, the lock held throughout (gives up) or released.
  {
    const started = performance.now()
    const violations: string[] = []
    const times: number[] = []
    const notes: string[] = []
    let successes = 0
    let iterations = 0
    const retry = quick ? ['--retry-timeout', '2s'] : []
    const retryMs = quick ? 2000 : DEFAULT_RETRY_MS
    for (let trial = 0; trial < Math.max(1, ctx.opts.terminalTrials); trial++) {
      for (const release of [false, true]) {
        iterations++
        const holder = new Worker('lock-holder.js', [store])
        await holder.waitFor('locked')
        const t0 = performance.now()
        const run = start(['--store', store, ...retry, ...edit()], true)
        const killer = setTimeout(() => run.child.kill('SIGKILL'), retryMs + 60_000)
        let releasedAt: number | undefined
        if (release) {
          await new Promise((r) => setTimeout(r, startup + 1500))
          holder.send({ type: 'release' })
          releasedAt = performance.now() - t0
        }
        const end = await run.closed
        clearTimeout(killer)
        if (!release) {
          holder.send({ type: 'release' })
        }
        await holder.exited
        const ms = end.at - t0
        times.push(ms)
        const want = release ? 0 : 5
        const what = release ? `lock released after ${Math.round(releasedAt ?? 0)} ms` : 'lock held'
        const problems: string[] = []
        if (end.signal === 'SIGKILL') problems.push(`did not end within ${(retryMs + 60_000) / 1000} s (killed)`)
        else if (end.code !== want) problems.push(`exit ${end.code}, expected ${want}`)
        if (end.bytes > OUTPUT_BOUND) problems.push(`${end.bytes} bytes written to the terminal`)
        if (!release && ms < retryMs) problems.push(`gave up after ${Math.round(ms)} ms, before the retry time (${retryMs} ms)`)
        notes.push(`${what}: exit ${end.code ?? end.signal} after ${(ms / 1000).toFixed(1)} s, ${end.bytes} bytes`)
        if (problems.length === 0) successes++
        violations.push(...problems.map((p) => `trial ${trial}, ${what}: ${p}`))
      }
    }
    rows.push(
      row({
        scenario: '0-column terminal, write lock held',
        processes: 2,
        iterations,
        seed: ctx.opts.seed,
        successes,
        latency: latencyOf(times),
        violations,
        notes: `retry time ${retryMs / 1000} s (${quick ? '--retry-timeout 2s' : 'the default policy'}); start-up ${Math.round(startup)} ms; ${notes.join('; ')}`,
        durationMs: performance.now() - started,
      }),
    )
  }

  // 2. SIGTERM, timed from the signal to the exit.
  {
    const started = performance.now()
    const kinds: { name: string; lock: boolean; args: () => string[]; terminal: boolean; slowReader?: boolean }[] = [
      {
        name: 'write waiting for the lock, pipe',
        lock: true,
        args: () => ['--store', store, '--retry-timeout', '120s', ...edit()],
        terminal: false,
      },
      {
        name: 'write waiting for the lock, 0-column terminal',
        lock: true,
        args: () => ['--store', store, '--retry-timeout', '120s', ...edit()],
        terminal: true,
      },
      { name: 'dump into a slow pipe', lock: false, args: () => ['--store', big, 'dump'], terminal: false, slowReader: true },
      { name: 'watch', lock: false, args: () => ['--store', store, 'watch'], terminal: false },
    ]
    const violations: string[] = []
    const all: number[] = []
    const notes: string[] = []
    let successes = 0
    let iterations = 0
    const samples = Math.max(1, ctx.opts.sigtermSamples)
    for (const kind of kinds) {
      const times: number[] = []
      for (let i = 0; i < samples; i++) {
        iterations++
        const holder = kind.lock ? new Worker('lock-holder.js', [store]) : undefined
        await holder?.waitFor('locked')
        const run = start(kind.args(), kind.terminal, { slowReader: kind.slowReader })
        // Past start-up, into the wait (or the stream).
        await new Promise((r) => setTimeout(r, startup + 1000))
        const sent = performance.now()
        run.term()
        const killer = setTimeout(() => run.child.kill('SIGKILL'), 20_000)
        const end = await run.closed
        clearTimeout(killer)
        if (holder !== undefined) {
          holder.send({ type: 'release' })
          await holder.exited
        }
        const ms = end.at - sent
        const problems: string[] = []
        if (ms < 0) problems.push('it ended before the signal (nothing to time: make it run longer)')
        times.push(ms)
        all.push(ms)
        if (end.signal === 'SIGKILL') problems.push('SIGTERM did not end it (killed after 20 s)')
        else if (!quick && ms > SIGTERM_BOUND_MS) problems.push(`ended ${Math.round(ms)} ms after SIGTERM`)
        if (problems.length === 0) successes++
        violations.push(...problems.map((p) => `${kind.name}: ${p}`))
      }
      const l = latencyOf(times)
      notes.push(`${kind.name}: p50 ${Math.round(l?.p50 ?? 0)} / max ${Math.round(l?.max ?? 0)} ms`)
    }
    rows.push(
      row({
        scenario: 'SIGTERM ends any command',
        processes: 1,
        iterations,
        seed: ctx.opts.seed,
        successes,
        latency: latencyOf(all),
        violations,
        notes: `${samples} per kind, SIGTERM ${Math.round(startup + 1000)} ms after the start (start-up + 1 s), time from the signal to the exit, bound ${SIGTERM_BOUND_MS} ms${quick ? ' (not judged in CI)' : ''}; ${notes.join('; ')}`,
        durationMs: performance.now() - started,
      }),
    )
  }
  return rows
}
