/**
 * Never make things worse (issue 12): creation races. `init` of one organization, `import` of one
 * fixture and `copy --to` of one catalog, each by N processes at once on one new path;
 * `creationTrials` trials per command, spread over the process counts. Every trial must end with
 * exactly one process exiting 0, the others exiting 4 (refused: the catalog exists), and the store
 * in place and verifying (0 acknowledged stores lost).
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs'
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
  // `creationTrials` trials per command, spread round-robin over the process counts, so that a
  // 200-trial run covers 2–8 processes in about the time of one middle-sized row per count.
  const counts = ctx.opts.creationProcesses
  for (const [name, argv] of Object.entries(commands)) {
    for (const [i, n] of counts.entries()) {
      const trials = Math.floor(ctx.opts.creationTrials / counts.length) + (i < ctx.opts.creationTrials % counts.length ? 1 : 0)
      if (trials > 0) rows.push(await creationRace(ctx, name, argv, n, trials))
    }
  }
  return rows
}

async function creationRace(
  ctx: SuiteContext,
  name: string,
  argv: (to: string) => string[],
  n: number,
  trials: number,
): Promise<ScenarioRow> {
  const started = performance.now()
  const dir = ctx.path(`creation-${name}-${n}`)
  mkdirSync(dir, { recursive: true })
  const violations: string[] = []
  let successes = 0
  let lost = 0
  const times: number[] = []
  for (let trial = 0; trial < trials; trial++) {
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
  // A loser removes only what it created itself: nothing but the stores (and their sidecars) stays.
  const leftovers = readdirSync(dir).filter((f) => !/^t\d+\.db(-wal|-shm)?$/.test(f))
  if (leftovers.length > 0) violations.push(`${leftovers.length} files left beside the stores: ${leftovers.slice(0, 3).join(', ')}`)
  return row({
    scenario: `creation-race ${name}`,
    processes: String(n),
    iterations: trials,
    seed: ctx.opts.seed,
    successes,
    lostAckedCommits: lost,
    latency: latencyOf(times),
    violations: violations.slice(0, 5),
    notes: 'each trial: exactly one exit 0, the rest exit 4, the store verifies, no file left beside it',
    durationMs: performance.now() - started,
  })
}
