/**
 * `npm run test:reliability`: the reliability suite with its knobs from the environment, writing
 * docs/reliability.md (REL_DOCS=0 leaves it alone). Exit code 1 when any scenario found a violation.
 *
 * Knobs: REL_SEED, REL_KILLS (1000), REL_RACE_COMMITS (1000), REL_RACE_PROCESSES (2,4,8,16),
 * REL_CLI_EDITS (80), REL_CLI_PROCESSES (2,4,8,16), REL_BAD_INPUTS (2000), REL_FENCE_ROUNDS (20),
 * REL_FAULT_OPS (1000), REL_FAULT_RATES (0.05,0.2), REL_CATALOG_SIZE (2000), REL_CREATION_TRIALS (200),
 * REL_CREATION_PROCESSES (2,3,4,5,6,7,8), REL_CREATION_COMMANDS (init,import,copy),
 * REL_CREATION_PARALLEL (1), REL_SPECIAL_REPEATS (3), REL_USER_ROUNDS (10),
 * REL_SIGTERM_SAMPLES (20), REL_TERMINAL_TRIALS (2), REL_ONLY (scenario name prefixes,
 * comma-separated), REL_REPORT_JSON (a file to save the rows to, as JSON).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runFromBuildSnapshot } from '../../bench/build-snapshot.js'
import { REPO_ROOT } from '../../bench/generate.js'
import { keptSection, renderReliabilityPage } from './render.js'
import { runSuite } from './suite.js'

function num(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const x = Number(raw)
  if (!Number.isFinite(x) || x < 0) throw new Error(`${name}: ${JSON.stringify(raw)} is not a non-negative number`)
  return x
}

function list(name: string, fallback: string): number[] {
  return (process.env[name] ?? fallback)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number)
}

async function main(): Promise<number> {
  const seed = num('REL_SEED', Math.floor(Math.random() * 2 ** 31))
  const report = await runSuite({
    seed,
    kills: num('REL_KILLS', 1000),
    raceCommits: num('REL_RACE_COMMITS', 1000),
    raceProcesses: list('REL_RACE_PROCESSES', '2,4,8,16'),
    cliEdits: num('REL_CLI_EDITS', 80),
    cliProcesses: list('REL_CLI_PROCESSES', '2,4,8,16'),
    badInputs: num('REL_BAD_INPUTS', 2000),
    fenceRounds: num('REL_FENCE_ROUNDS', 20),
    faultOps: num('REL_FAULT_OPS', 1000),
    faultRates: list('REL_FAULT_RATES', '0.05,0.2'),
    catalogSize: num('REL_CATALOG_SIZE', 2000),
    creationTrials: num('REL_CREATION_TRIALS', 200),
    creationProcesses: list('REL_CREATION_PROCESSES', '2,3,4,5,6,7,8'),
    creationCommands: (process.env.REL_CREATION_COMMANDS ?? 'init,import,copy')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    creationParallel: num('REL_CREATION_PARALLEL', 1),
    specialRepeats: num('REL_SPECIAL_REPEATS', 3),
    userRounds: num('REL_USER_ROUNDS', 10),
    sigtermSamples: num('REL_SIGTERM_SAMPLES', 20),
    terminalTrials: num('REL_TERMINAL_TRIALS', 2),
    workDir: join(tmpdir(), `catalog-debug-reliability-${process.pid}`),
    only: (process.env.REL_ONLY ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    log: (line) => process.stdout.write(`${line}\n`),
  })
  // REL_REPORT_JSON=FILE also saves every row (notes and violations included) as JSON.
  const json = process.env.REL_REPORT_JSON
  if (json !== undefined && json !== '') writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`)
  if (process.env.REL_DOCS !== '0') {
    const page = join(REPO_ROOT, 'docs', 'reliability.md')
    writeFileSync(page, renderReliabilityPage(report, existsSync(page) ? keptSection(readFileSync(page, 'utf8')) : ''))
  }
  const failed = report.rows.filter((r) => r.violations.length > 0)
  process.stdout.write(
    `reliability: ${report.rows.length} rows in ${(report.durationMs / 1000).toFixed(0)} s, seed ${seed}; ${failed.length === 0 ? 'every invariant held' : `${failed.length} rows with violations`}\n`,
  )
  return failed.length === 0 ? 0 : 1
}

// Runs from a private copy of build/ (see bench/build-snapshot.ts).
const snapshotCode = await runFromBuildSnapshot('test/reliability/run.js')
process.exitCode = snapshotCode ?? (await main())
