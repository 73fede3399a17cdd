/**
 * The benchmark harness: generates (or reuses) the catalogs, measures every figure, and writes
 * `results.json` and the performance page. `npm run bench` runs it through `run.ts`; the smoke
 * test runs it at a tiny size into temporary files.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { BenchContext, type BenchOptions } from './context.js'
import { dumpFigures } from './figures/dump.js'
import { postgresFigures } from './figures/postgres.js'
import { scaleFigures } from './figures/scale.js'
import { startupFigures } from './figures/startup.js'
import { throughputFigures } from './figures/throughput.js'
import { upgradeFigure } from './figures/upgrade.js'
import { machineInfo } from './machine.js'
import { renderPerformancePage } from './report.js'
import { RESULTS_SCHEMA_VERSION, type BenchResults } from './results.js'

export interface HarnessOptions extends BenchOptions {
  /** Where the results JSON goes. */
  readonly resultsPath: string
  /** Where the performance page goes; null writes none. */
  readonly docsPath: string | null
}

export async function runBenchmarks(opts: HarnessOptions): Promise<BenchResults> {
  const started = performance.now()
  const startedAt = new Date().toISOString()
  const ctx = new BenchContext(opts)
  let pgVersion: string | null = null
  try {
    await dumpFigures(ctx)
    await scaleFigures(ctx)
    await upgradeFigure(ctx)
    await startupFigures(ctx)
    const sqlite = await throughputFigures(ctx)
    pgVersion = await postgresFigures(ctx, sqlite)
  } finally {
    rmSync(opts.workDir, { recursive: true, force: true })
  }
  const results: BenchResults = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    machine: await machineInfo(pgVersion),
    config: { sizes: [...opts.sizes], reps: opts.reps, seed: opts.seed, writers: [...opts.writers], pgWriters: [...opts.pgWriters], caaSeconds: opts.caaSeconds },
    datasets: [...ctx.datasets.entries()].map(([name, d]) => ({
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
    figures: ctx.figures,
    skipped: ctx.skipped,
  }
  mkdirSync(dirname(opts.resultsPath), { recursive: true })
  writeFileSync(opts.resultsPath, `${JSON.stringify(results, null, 2)}\n`)
  if (opts.docsPath !== null) writeFileSync(opts.docsPath, renderPerformancePage(results))
  return results
}
