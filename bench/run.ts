/**
 * `npm run bench`: the benchmark harness with its knobs from the environment (see
 * docs/performance.md): BENCH_SIZES, BENCH_REPS, BENCH_SEED, BENCH_WRITERS, BENCH_PG_WRITERS,
 * BENCH_CAA_SECONDS, BENCH_FIXTURES, BENCH_REPS_LARGE, BENCH_DATA, BENCH_FIGURES, BENCH_CATALOGS, BENCH_MERGE, BENCH_MERGE_FROM,
 * BENCH_RESULTS, BENCH_DOCS.
 * Runs from a private copy of `build/` (see `build-snapshot.ts`).
 */
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runFromBuildSnapshot } from './build-snapshot.js'
import { CATALOG_NAMES } from './figures/at-scale.js'
import { DEFAULT_DATA_DIR, REPO_ROOT } from './generate.js'
import { FIGURE_GROUPS, runBenchmarks, type FigureGroup } from './harness.js'

function list(name: string, fallback: string): number[] {
  const raw = process.env[name] ?? fallback
  const xs = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number)
  for (const x of xs)
    if (!Number.isInteger(x) || x <= 0) throw new Error(`${name}: ${JSON.stringify(raw)} is not a list of positive integers`)
  return xs
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const x = Number(raw)
  if (!Number.isFinite(x) || x <= 0) throw new Error(`${name}: ${JSON.stringify(raw)} is not a positive number`)
  return x
}

function groups(): FigureGroup[] {
  const raw = process.env.BENCH_FIGURES
  if (raw === undefined || raw === '') return [...FIGURE_GROUPS]
  // Measure nothing: only publish the results files of BENCH_MERGE_FROM as one page.
  if (raw === 'none') return []
  const gs = raw.split(',').map((s) => s.trim())
  for (const g of gs)
    if (!(FIGURE_GROUPS as readonly string[]).includes(g))
      throw new Error(`BENCH_FIGURES: unknown group ${g} (${FIGURE_GROUPS.join(', ')})`)
  return gs as FigureGroup[]
}

function catalogs(): string[] | undefined {
  const raw = process.env.BENCH_CATALOGS
  if (raw === undefined || raw === '') return undefined
  const cs = raw.split(',').map((s) => s.trim())
  for (const c of cs)
    if (!(CATALOG_NAMES as readonly string[]).includes(c))
      throw new Error(`BENCH_CATALOGS: unknown catalog ${c} (${CATALOG_NAMES.join(', ')})`)
  return cs
}

async function main(): Promise<void> {
  const sizes = list('BENCH_SIZES', '10000,100000,1000000')
  if (sizes.length === 0) throw new Error('BENCH_SIZES is empty')
  const results = await runBenchmarks({
    sizes,
    reps: positive('BENCH_REPS', 5),
    largeReps: positive('BENCH_REPS_LARGE', 3),
    seed: positive('BENCH_SEED', 1),
    dataDir: DEFAULT_DATA_DIR,
    workDir: join(tmpdir(), `catalog-debug-bench-${process.pid}`),
    writers: list('BENCH_WRITERS', '1,2,4,8'),
    pgWriters: list('BENCH_PG_WRITERS', '1,4,16'),
    caaSeconds: positive('BENCH_CAA_SECONDS', 3),
    fixtures: process.env.BENCH_FIXTURES !== '0',
    groups: groups(),
    merge: process.env.BENCH_MERGE === '1',
    mergeFrom: (process.env.BENCH_MERGE_FROM ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    catalogs: catalogs(),
    resultsPath: process.env.BENCH_RESULTS ?? join(REPO_ROOT, 'bench', 'results.json'),
    docsPath: process.env.BENCH_DOCS === '0' ? null : join(REPO_ROOT, 'docs', 'performance.md'),
    log: (line) => process.stderr.write(`bench: ${line}\n`),
  })
  const withTarget = results.figures.filter((f) => f.target !== null)
  process.stderr.write(
    `bench: done in ${(results.durationMs / 1000).toFixed(0)} s; targets met ${withTarget.filter((f) => f.pass === true).length} of ${withTarget.length}\n`,
  )
}

const code = await runFromBuildSnapshot('bench/run.js')
if (code !== undefined) process.exitCode = code
else await main()
