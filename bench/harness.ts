/**
 * The benchmark harness: generates (or reuses) the catalogs, measures every figure, and writes
 * `results.json` and the performance page. `npm run bench` runs it through `run.ts`; the smoke
 * test runs it at a tiny size into temporary files.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { dirname } from 'node:path'
import { commandFigures } from './figures/commands.js'
import { BenchContext, type BenchOptions } from './context.js'
import { dumpFigures } from './figures/dump.js'
import { historyFigures } from './figures/history.js'
import { postgresFigures } from './figures/postgres.js'
import { scaleFigures } from './figures/scale.js'
import { startupFigures } from './figures/startup.js'
import { throughputFigures } from './figures/throughput.js'
import { upgradeFigure } from './figures/upgrade.js'
import { machineInfo } from './machine.js'
import { REPO_ROOT } from './generate.js'
import { updatePerformancePage } from './report.js'
import { RESULTS_SCHEMA_VERSION, skipsStillStanding, type BenchResults, type MachineInfo } from './results.js'

/** The figure groups, in the order they run. */
export const FIGURE_GROUPS = ['dump', 'scale', 'commands', 'upgrade', 'history', 'startup', 'caa', 'postgres'] as const
export type FigureGroup = (typeof FIGURE_GROUPS)[number]

export interface HarnessOptions extends BenchOptions {
  /** Which figure groups to measure (default: all). */
  readonly groups?: readonly FigureGroup[]
  /**
   * Keep the figures of the existing results file that this run does not measure again (each
   * figure still compares with a baseline from its own run; `measuredAt` says which).
   */
  readonly merge?: boolean
  /**
   * Results files of other runs (e.g. one per catalog, run side by side) whose figures this run
   * keeps, as `merge` keeps those of the results file, before its own.
   */
  readonly mergeFrom?: readonly string[]
  /** Where the results JSON goes. */
  readonly resultsPath: string
  /** Where the performance page goes; null writes none. */
  readonly docsPath: string | null
}

export async function runBenchmarks(opts: HarnessOptions): Promise<BenchResults> {
  const started = performance.now()
  const startedAt = new Date().toISOString()
  const loadAtStart = loadNow()
  const commit = commitMeasured()
  let machine = await machineInfo(null)
  const previous = mergeResults([
    ...(opts.mergeFrom ?? []),
    ...(opts.merge === true && existsSync(opts.resultsPath) ? [opts.resultsPath] : []),
  ])
  mkdirSync(dirname(opts.resultsPath), { recursive: true })
  // The results file is rewritten after every figure (marked incomplete until the end), so a run
  // stopped part way still leaves what it measured.
  const write = (complete: boolean): BenchResults => {
    const results = collect(ctx, opts, { startedAt, started, commit, loadAtStart, machine, previous, complete })
    writeFileSync(opts.resultsPath, `${JSON.stringify(results, null, 2)}\n`)
    return results
  }
  const ctx = new BenchContext(opts, () => write(false))
  let pgVersion: string | null = null
  const run = new Set(opts.groups ?? FIGURE_GROUPS)
  try {
    const group = <T>(name: FigureGroup, measure: () => Promise<T>): Promise<T> => {
      ctx.groups.push(name)
      return measure()
    }
    if (run.has('dump')) await group('dump', () => dumpFigures(ctx))
    if (run.has('scale')) await group('scale', () => scaleFigures(ctx))
    if (run.has('commands')) await group('commands', () => commandFigures(ctx))
    if (run.has('upgrade')) await group('upgrade', () => upgradeFigure(ctx))
    if (run.has('history')) await group('history', () => historyFigures(ctx))
    if (run.has('startup')) await group('startup', () => startupFigures(ctx))
    const sqlite = run.has('caa') ? await group('caa', () => throughputFigures(ctx)) : new Map()
    if (run.has('postgres')) pgVersion = await group('postgres', () => postgresFigures(ctx, sqlite))
  } finally {
    rmSync(opts.workDir, { recursive: true, force: true })
    ctx.dispose()
  }
  machine = { ...machine, postgres: pgVersion ?? previous?.machine.postgres ?? null }
  const results = write(true)
  if (opts.docsPath !== null) {
    const page = existsSync(opts.docsPath) ? readFileSync(opts.docsPath, 'utf8') : null
    writeFileSync(opts.docsPath, updatePerformancePage(page, results))
  }
  return results
}

interface RunFacts {
  readonly startedAt: string
  readonly started: number
  readonly commit: string
  readonly loadAtStart: number[]
  readonly machine: MachineInfo
  readonly previous: BenchResults | undefined
  readonly complete: boolean
}

/** This run's figures (after those it keeps from other runs) as a results document. */
function collect(ctx: BenchContext, opts: HarnessOptions, run: RunFacts): BenchResults {
  const { previous, startedAt } = run
  const ran = [...ctx.groups]
  const measured = new Set(ctx.figures.map((f) => f.id))
  const datasetNames = new Set(ctx.datasets.keys())
  // A run that measures nothing only publishes other runs: it speaks of the first of them.
  const first = ctx.figures.length === 0 && previous !== undefined ? previous : undefined
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    startedAt: first?.startedAt ?? startedAt,
    durationMs: first === undefined ? Math.round(performance.now() - run.started) : Date.now() - Date.parse(first.startedAt),
    ...(run.complete ? {} : { incomplete: true }),
    commit: first?.commit ?? run.commit,
    load: { start: first?.load?.start ?? run.loadAtStart, end: loadNow() },
    machine: run.machine,
    config: {
      sizes: [...new Set([...(previous?.config.sizes ?? []), ...(first === undefined ? opts.sizes : [])])].sort((a, b) => a - b),
      reps: opts.reps,
      seed: opts.seed,
      writers: [...opts.writers],
      pgWriters: [...opts.pgWriters],
      caaSeconds: opts.caaSeconds,
    },
    datasets: [
      ...(previous?.datasets.filter((d) => !datasetNames.has(d.name)) ?? []),
      ...[...ctx.datasets.entries()].map(([name, d]) => ({
        name,
        variant: d.variant,
        requestedSize: d.requestedSize,
        updates: d.updates,
        retractions: d.retractions,
        byKind: d.byKind,
        storeBytes: d.storeBytes,
        fixtureBytes: d.fixtureBytes,
        generateMs: d.generateMs,
        cached: d.cached,
      })),
    ],
    figures: [
      ...(previous?.figures.filter((f) => !measured.has(f.id)) ?? []),
      ...ctx.figures.map((f) => ({ ...f, measuredAt: startedAt })),
    ],
    skipped: [...skipsStillStanding(previous?.skipped ?? [], { skipped: ctx.skipped, groups: ran }), ...ctx.skipped],
    groups: ran,
  }
}

/** The results files' figures, datasets and skips in one (a later file's win over an earlier's with the same id). */
function mergeResults(paths: readonly string[]): BenchResults | undefined {
  let merged: BenchResults | undefined
  for (const path of paths) {
    const r = JSON.parse(readFileSync(path, 'utf8')) as BenchResults
    const figures = r.figures.map((f) => ({ ...f, measuredAt: f.measuredAt ?? r.startedAt }))
    const stopped =
      r.incomplete === true
        ? [
            {
              figure: `the rest of the run of ${r.startedAt}`,
              reason: 'that run was stopped before it finished (its figures so far are kept)',
            },
          ]
        : []
    if (merged === undefined) {
      merged = { ...r, figures, skipped: [...r.skipped, ...stopped] }
      continue
    }
    const ids = new Set(figures.map((f) => f.id))
    const names = new Set(r.datasets.map((d) => d.name))
    merged = {
      ...merged,
      config: { ...merged.config, sizes: [...new Set([...merged.config.sizes, ...r.config.sizes])] },
      machine: { ...merged.machine, postgres: merged.machine.postgres ?? r.machine.postgres },
      figures: [...merged.figures.filter((f) => !ids.has(f.id)), ...figures],
      datasets: [...merged.datasets.filter((d) => !names.has(d.name)), ...r.datasets],
      skipped: [...skipsStillStanding(merged.skipped, r), ...r.skipped, ...stopped],
    }
  }
  return merged
}

function loadNow(): number[] {
  return loadavg().map((l) => Math.round(l * 100) / 100)
}

/** The commit of the repository the harness runs in, `-dirty` when its tree has changes. */
function commitMeasured(): string {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim()
  } catch {
    return 'unknown'
  }
}
