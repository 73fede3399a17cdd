/**
 * Never make things worse (issue 12): creation races. `init` of one organization, `import` of one
 * fixture and `copy --to` of one catalog, each by N processes at once on one new path;
 * `creationTrials` trials in all, spread over the commands and the process counts. Every trial must end with
 * exactly one process exiting 0, the others exiting 4 (refused: the catalog exists), and the store
 * in place and verifying (0 acknowledged stores lost).
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs'
import { row, type SuiteContext } from '../lib/context.js'
import { runCliProcess } from '../lib/processes.js'
import { consoleRow, latencyOf, type ScenarioRow } from '../lib/report.js'

const ORG = '00000000-0000-4000-8000-00000000c0de'

export async function creationScenarios(ctx: SuiteContext): Promise<ScenarioRow[]> {
  const rows: ScenarioRow[] = []
  const source = ctx.path('creation-source.db')
  const fixture = ctx.path('creation-source.ndjson')
  if (!existsSync(source)) {
    await runCliProcess(['--store', source, '--organization-id', ORG, 'init'])
    await runCliProcess(['--store', source, 'export', fixture])
  }
  const all: Record<string, (to: string) => string[]> = {
    init: (to) => ['--store', to, '--organization-id', ORG, 'init'],
    import: (to) => ['--store', to, 'import', fixture],
    copy: (to) => ['copy', '--from', source, '--to', to],
  }
  const unknown = ctx.opts.creationCommands.filter((c) => all[c] === undefined)
  if (unknown.length > 0) throw new Error(`creation commands: unknown ${unknown.join(', ')} (init, import, copy)`)
  const commands = Object.fromEntries(Object.entries(all).filter(([name]) => ctx.opts.creationCommands.includes(name)))
  // `creationTrials` trials in all, spread evenly over the commands and then round-robin over the
  // process counts, so that a 200-trial run covers every command with 2–8 processes.
  const counts = ctx.opts.creationProcesses
  const share = (total: number, parts: number, i: number): number => Math.floor(total / parts) + (i < total % parts ? 1 : 0)
  for (const [ci, [name, argv]] of Object.entries(commands).entries()) {
    const perCommand = share(ctx.opts.creationTrials, Object.keys(commands).length, ci)
    for (const [i, n] of counts.entries()) {
      const trials = share(perCommand, counts.length, i)
      if (trials === 0) continue
      const r = await creationRace(ctx, name, argv, n, trials)
      // A long run shows each row as it ends, not only when the whole group does.
      ctx.opts.log(`  (done) ${consoleRow(r)}`)
      rows.push(r)
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
  const runTrial = async (trial: number): Promise<void> => {
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
  // `creationParallel` trials at once, each on its own path (a trial's processes race each other only).
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < trials) await runTrial(next++)
  }
  await Promise.all(Array.from({ length: Math.max(1, ctx.opts.creationParallel) }, lane))
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
    notes: `each trial: exactly one exit 0, the rest exit 4, the store verifies, no file left beside it; ${ctx.opts.creationParallel} trials at a time`,
    durationMs: performance.now() - started,
  })
}
