/**
 * Never make things worse (issue 12): creation races and special files.
 *
 * Creation races: `init` of one organization, `import` of one fixture and `copy --to` of one
 * catalog, each by N processes at once on one new path, for `creationTrials` trials per N. Every
 * trial must end with exactly one process exiting 0, the others exiting 4 (refused: the catalog
 * exists), and the store in place and verifying (0 acknowledged stores lost).
 *
 * Special files: `--store` naming a FIFO, a socket, a directory, a symlink loop and /dev/null;
 * every command must fail with a one-line error and never hang (a process still running after
 * 10 s is killed and counted); the times are recorded next to the start-up time of `--version`.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, symlinkSync } from 'node:fs'
import { createServer } from 'node:net'
import { row, type SuiteContext } from '../lib/context.js'
import { runCliProcess } from '../lib/processes.js'
import { latencyOf, type ScenarioRow } from '../lib/report.js'

const ORG = '00000000-0000-4000-8000-00000000c0de'

export async function creationScenarios(ctx: SuiteContext): Promise<ScenarioRow[]> {
  const rows: ScenarioRow[] = []
  const source = ctx.path('creation-source.db')
  const fixture = ctx.path('creation-source.ndjson')
  if (!existsSync(source)) {
    await runCliProcess(['--store', source, '--organization-id', ORG, 'init'])
    await runCliProcess(['--store', source, 'export', fixture])
  }
  const commands: Record<string, (to: string) => string[]> = {
    init: (to) => ['--store', to, '--organization-id', ORG, 'init'],
    import: (to) => ['--store', to, 'import', fixture],
    copy: (to) => ['copy', '--from', source, '--to', to],
  }
  for (const [name, argv] of Object.entries(commands)) {
    for (const n of ctx.opts.creationProcesses) rows.push(await creationRace(ctx, name, argv, n))
  }
  rows.push(await specialFiles(ctx))
  return rows
}

async function creationRace(ctx: SuiteContext, name: string, argv: (to: string) => string[], n: number): Promise<ScenarioRow> {
  const started = performance.now()
  const dir = ctx.path(`creation-${name}-${n}`)
  mkdirSync(dir, { recursive: true })
  const violations: string[] = []
  let successes = 0
  let lost = 0
  const times: number[] = []
  for (let trial = 0; trial < ctx.opts.creationTrials; trial++) {
    const to = `${dir}/t${trial}.db`
    const runs = await Promise.all(Array.from({ length: n }, () => runCliProcess(argv(to))))
    for (const r of runs) times.push(r.ms)
    const ok = runs.filter((r) => r.code === 0).length
    const other = runs.filter((r) => r.code !== 0 && r.code !== 4)
    if (ok === 1 && other.length === 0) successes++
    else violations.push(`trial ${trial}: exits ${runs.map((r) => r.code).join(',')}: ${other[0]?.stderr.trim() ?? ''}`.slice(0, 300))
    const verify = await runCliProcess(['--store', to, 'verify'])
    if (ok > 0 && verify.code !== 0) {
      lost++
      violations.push(`trial ${trial}: the acknowledged store does not verify (exit ${verify.code}): ${verify.stderr.trim()}`.slice(0, 300))
    }
  }
  return row({
    scenario: `creation-race ${name}`,
    processes: String(n),
    iterations: ctx.opts.creationTrials,
    seed: ctx.opts.seed,
    successes,
    lostAckedCommits: lost,
    latency: latencyOf(times),
    violations: violations.slice(0, 5),
    notes: 'each trial: exactly one exit 0, the rest exit 4, the store verifies',
    durationMs: performance.now() - started,
  })
}

async function specialFiles(ctx: SuiteContext): Promise<ScenarioRow> {
  const started = performance.now()
  const dir = ctx.path('special-files')
  mkdirSync(dir, { recursive: true })
  const fifo = `${dir}/fifo.db`
  if (!existsSync(fifo)) execFileSync('mkfifo', [fifo])
  const sock = `${dir}/sock.db`
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(sock, resolve))
  mkdirSync(`${dir}/dir.db`, { recursive: true })
  if (!existsSync(`${dir}/loop-a.db`)) {
    symlinkSync(`${dir}/loop-b.db`, `${dir}/loop-a.db`)
    symlinkSync(`${dir}/loop-a.db`, `${dir}/loop-b.db`)
  }
  const violations: string[] = []
  const times: number[] = []
  let successes = 0
  let iterations = 0
  // What starting the command line costs on this machine now (a loaded machine takes seconds). The
  // times are figures, not a verdict (the suite runs in CI on shared machines): a hang is a
  // process still running after 10 s, killed, and that is a violation.
  const baseline = (await runCliProcess(['--version'])).ms
  try {
    for (const store of [fifo, sock, `${dir}/dir.db`, `${dir}/loop-a.db`, '/dev/null']) {
      for (const cmd of [['epoch'], ['dump'], ['init'], ['export'], ['edit', 'config', '{"key":"x"}', '{"value":1}', '--yes']]) {
        iterations++
        const r = await runCliProcess(['--store', store, ...cmd], { killAfterMs: 10_000 })
        times.push(r.ms)
        const lines = r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('hint:'))
        if (r.signal === null && r.code !== 0 && r.code !== 70 && lines.length === 1) successes++
        else violations.push(`${store} ${cmd[0]}: exit ${r.code ?? r.signal} in ${Math.round(r.ms)} ms: ${lines.join(' | ')}`.slice(0, 300))
      }
    }
  } finally {
    server.close()
  }
  return row({
    scenario: 'special-files',
    processes: '1',
    iterations,
    seed: ctx.opts.seed,
    successes,
    latency: latencyOf(times),
    violations: violations.slice(0, 5),
    notes: `FIFO, socket, directory, symlink loop, /dev/null × 5 commands: one-line error, no hang (killed after 10 s); --version took ${Math.round(baseline)} ms`,
    durationMs: performance.now() - started,
  })
}
