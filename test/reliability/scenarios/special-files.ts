/**
 * Never make things worse (issue 12): special files. A FIFO, a socket, a directory, a symlink loop
 * and /dev/null, each as `--store` (with `epoch`, `dump`, `init`, `export`, `edit`) and as TARGET
 * (with `export`, `dump`, `epoch`, `backup` given `--force`, `graph`). Every run must end by itself
 * with exit 1–4 and a one-line error (a FIFO opened for reading would block forever; a process
 * still running after 10 s is killed and counted as a hang), and a TARGET run must leave the store
 * as it was.
 *
 * Times: each run's wall time is judged against the start-up time of `--version` measured in the
 * same run, interleaved with the runs (its median): the error must come within 2 s of start-up.
 * A loaded machine makes start-up itself take seconds, which is why the bound is on the excess.
 * In CI (`quick`): one command each way, and the times are recorded but only a hang is a violation
 * (shared machines).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, symlinkSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { initStore } from '../../trust/trust-kit.js'
import { row, type SuiteContext } from '../lib/context.js'
import { failureShapeProblems, storeHash } from '../lib/cli-checks.js'
import { runCliProcess } from '../lib/processes.js'
import { latencyOf, type ScenarioRow } from '../lib/report.js'

const HANG_MS = 10_000
/** How much longer than start-up a special file may take to be refused. */
const EXCESS_MS = 2_000

const STORE_COMMANDS: readonly (readonly string[])[] = [
  ['epoch'],
  ['dump'],
  ['init'],
  ['export'],
  ['edit', 'config', '{"key":"x"}', '{"value":1}', '--yes'],
]
const TARGET_COMMANDS: readonly ((target: string) => string[])[] = [
  (t) => ['export', t, '--force'],
  (t) => ['dump', t, '--force'],
  (t) => ['epoch', t, '--force'],
  (t) => ['backup', t, '--force'],
  (t) => ['graph', t],
]

export async function specialFileScenario(ctx: SuiteContext): Promise<ScenarioRow[]> {
  const dir = ctx.dir('special-files')
  const fifo = join(dir, 'fifo.db')
  execFileSync('mkfifo', [fifo])
  const sock = join(dir, 'sock.db')
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(sock, resolve))
  mkdirSync(join(dir, 'dir.db'))
  symlinkSync(join(dir, 'loop-b.db'), join(dir, 'loop-a.db'))
  symlinkSync(join(dir, 'loop-a.db'), join(dir, 'loop-b.db'))
  const specials: readonly [string, string][] = [
    ['FIFO', fifo],
    ['socket', sock],
    ['directory', join(dir, 'dir.db')],
    ['symlink loop', join(dir, 'loop-a.db')],
    ['/dev/null', '/dev/null'],
  ]
  const store = join(dir, 'real.db')
  await initStore(store)
  const quick = ctx.opts.quick === true
  const repeats = quick ? 1 : ctx.opts.specialRepeats
  try {
    return [
      await measure(ctx, 'special files as --store', repeats, specials, (path) =>
        STORE_COMMANDS.filter((_, i) => !quick || i === 0).map((c) => ['--store', path, ...c]),
      ),
      await measure(
        ctx,
        'special files as TARGET',
        repeats,
        specials,
        (path) => TARGET_COMMANDS.filter((_, i) => !quick || i === 3).map((c) => ['--store', store, ...c(path)]),
        store,
      ),
    ]
  } finally {
    server.close()
  }
}

async function measure(
  ctx: SuiteContext,
  scenario: string,
  repeats: number,
  specials: readonly [string, string][],
  runsFor: (path: string) => string[][],
  store?: string,
): Promise<ScenarioRow> {
  const started = performance.now()
  const violations: string[] = []
  const times: number[] = []
  const startups: number[] = []
  const slow: { what: string; ms: number }[] = []
  let successes = 0
  let iterations = 0
  const before = store === undefined ? undefined : storeHash(store)
  for (let rep = 0; rep < repeats; rep++) {
    for (const [kind, path] of specials) {
      // Start-up now, beside the runs it is the yardstick for.
      startups.push((await runCliProcess(['--version'])).ms)
      for (const argv of runsFor(path)) {
        iterations++
        const r = await runCliProcess(argv, { killAfterMs: HANG_MS })
        times.push(r.ms)
        const what = `${kind}: ${argv.filter((a) => a !== path && !a.startsWith('{')).join(' ')}`
        const problems = r.signal !== null ? [`still running after ${HANG_MS / 1000} s (killed)`] : failureShapeProblems(r)
        if (r.signal === null && (r.code === 0 || r.code === null || r.code > 4)) problems.push(`exit ${r.code}`)
        if (store !== undefined && existsSync(store) && storeHash(store) !== before) problems.push('the store changed')
        if (problems.length === 0) successes++
        else violations.push(...problems.map((p) => `${what}: ${p}`.slice(0, 300)))
        slow.push({ what, ms: r.ms })
      }
    }
  }
  const startup = latencyOf(startups)?.p50 ?? 0
  const over = slow.filter((s) => s.ms > startup + EXCESS_MS)
  if (ctx.opts.quick !== true)
    for (const s of over)
      violations.push(`${s.what}: ${Math.round(s.ms)} ms, more than ${EXCESS_MS} ms over start-up (${Math.round(startup)} ms)`)
  const excess = latencyOf(times.map((t) => Math.max(0, t - startup)))
  return row({
    scenario,
    processes: 1,
    iterations,
    seed: ctx.opts.seed,
    successes,
    latency: latencyOf(times),
    violations,
    notes:
      `FIFO, socket, directory, symlink loop, /dev/null × ${runsFor('x').length} commands × ${repeats}: one-line error (exit 1–4), no hang (killed after ${HANG_MS / 1000} s)` +
      `${store === undefined ? '' : ', store hash unchanged'}; start-up (--version) p50 ${Math.round(startup)} ms, max ${Math.round(latencyOf(startups)?.max ?? 0)} ms; ` +
      `time over start-up p50 ${Math.round(excess?.p50 ?? 0)} / max ${Math.round(excess?.max ?? 0)} ms; ${over.length} runs more than ${EXCESS_MS} ms over start-up`,
    durationMs: performance.now() - started,
  })
}
