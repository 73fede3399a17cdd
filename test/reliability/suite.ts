/**
 * The reliability suite: runs each scenario, prints one summary row per scenario as it finishes,
 * and returns every row with the environment line. `run.ts` (npm run test:reliability) writes
 * them to docs/reliability.md; `test/reliability-smoke.test.ts` runs it with tiny counts.
 */
import { environment, type Environment } from './lib/environment.js'
import { SuiteContext, row, type SuiteOptions } from './lib/context.js'
import { consoleRow, type ScenarioRow } from './lib/report.js'
import { badFileScenario } from './scenarios/bad-files.js'
import { badInputScenario } from './scenarios/bad-input.js'
import { creationScenarios } from './scenarios/creation.js'
import { specialFileScenario } from './scenarios/special-files.js'
import { targetMatrixScenario } from './scenarios/targets.js'
import { secretScanScenario } from './scenarios/secrets.js'
import { terminalScenarios } from './scenarios/terminal.js'
import { secondUserScenario } from './scenarios/users.js'
import { crashScenarios } from './scenarios/crashes.js'
import { fencingScenario } from './scenarios/fencing.js'
import { cliRaces, storeRaces } from './scenarios/races.js'
import { storageFaultScenarios } from './scenarios/storage-faults.js'
import { versionScenarios } from './scenarios/versions.js'

export type { SuiteOptions } from './lib/context.js'

export interface SuiteReport {
  readonly startedAt: string
  readonly durationMs: number
  readonly options: Omit<SuiteOptions, 'log' | 'workDir'>
  readonly environment: Environment
  readonly rows: readonly ScenarioRow[]
}

type Scenario = (ctx: SuiteContext) => Promise<ScenarioRow[]>

/** Scenario groups in the order they run. */
export const SCENARIOS: readonly { readonly name: string; readonly run: Scenario }[] = [
  { name: 'race-store', run: storeRaces },
  { name: 'race-cli', run: cliRaces },
  { name: 'fencing', run: fencingScenario },
  { name: 'crash', run: crashScenarios },
  { name: 'faults', run: storageFaultScenarios },
  { name: 'versions', run: versionScenarios },
  { name: 'bad-files', run: badFileScenario },
  { name: 'bad-input', run: badInputScenario },
  { name: 'creation', run: creationScenarios },
  { name: 'special-files', run: specialFileScenario },
  { name: 'targets', run: targetMatrixScenario },
  { name: 'secrets', run: secretScanScenario },
  { name: 'users', run: secondUserScenario },
  { name: 'terminal', run: terminalScenarios },
]

export async function runSuite(opts: SuiteOptions): Promise<SuiteReport> {
  const started = performance.now()
  const startedAt = new Date().toISOString()
  const ctx = new SuiteContext(opts)
  const rows: ScenarioRow[] = []
  try {
    const env = await environment(ctx.path('environment.db'))
    for (const s of SCENARIOS) {
      if (opts.only.length > 0 && !opts.only.some((o) => s.name.startsWith(o))) continue
      const t0 = performance.now()
      let got: ScenarioRow[]
      try {
        got = await s.run(ctx)
      } catch (err) {
        // A scenario that cannot run is a failed row, not a crashed suite.
        got = [
          row({
            scenario: s.name,
            processes: '—',
            iterations: 0,
            seed: opts.seed,
            successes: 0,
            violations: [`the scenario failed to run: ${(err as Error).stack?.split('\n').slice(0, 3).join(' ') ?? String(err)}`],
            durationMs: performance.now() - t0,
          }),
        ]
      }
      for (const r of got) {
        rows.push(r)
        opts.log(consoleRow(r))
      }
    }
    const { log: _log, workDir: _workDir, ...options } = opts
    return { startedAt, durationMs: performance.now() - started, options, environment: env, rows }
  } finally {
    ctx.cleanup()
  }
}
