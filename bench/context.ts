/**
 * What every figure needs: the knobs, the generated data, the places to work in, and where its
 * results go.
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CLI_BIN } from '../test/helpers/cli-process.js'
import { catalogShardIds } from '../src/catalog/catalog-shards.js'
import type { CatalogVariant } from './catalog-simulation.js'
import { generateCatalog, REPO_ROOT, type GeneratedCatalog } from './generate.js'
import type { Figure, Skip } from './results.js'

export interface BenchOptions {
  /** Catalog sizes in updates. */
  readonly sizes: readonly number[]
  /** Repetitions of short figures (medians); dumps at 1M run once. */
  readonly reps: number
  /** Repetitions of the long figures from 100k (below 1M); default 3, capped by `reps`. */
  readonly largeReps?: number
  readonly seed: number
  /** Where generated catalogs are cached. */
  readonly dataDir: string
  /** Scratch space (store copies for write figures, throughput stores); removed afterwards. */
  readonly workDir: string
  /** Writer-process counts for SQLite compare-and-append throughput. */
  readonly writers: readonly number[]
  /** Writer-process counts for PostgreSQL (beside SQLite); empty skips PostgreSQL. */
  readonly pgWriters: readonly number[]
  /** How long each throughput configuration runs. */
  readonly caaSeconds: number
  /** Also write the NDJSON fixture of each generated catalog. */
  readonly fixtures: boolean
  /** Catalogs of the per-command table to measure (`deployment`, `audit-heavy`); default both. */
  readonly catalogs?: readonly string[]
  /** One untimed run before each measured series (page cache, module cache). Default true. */
  readonly warmup?: boolean
  readonly log: (line: string) => void
}

export class BenchContext {
  readonly figures: Figure[] = []
  readonly skipped: Skip[] = []
  /** The figure groups run so far, the last one running now (recorded with each skip). */
  readonly groups: string[] = []
  readonly datasets = new Map<string, GeneratedCatalog>()
  /** Peak RSS (KiB) of each command and catalog at its smallest size from 100k (`figures/at-scale.ts`). */
  readonly firstRss = new Map<string, { readonly size: number; readonly kb: number }>()
  #shipped: { readonly bin: string | undefined; readonly why?: string } | undefined
  /** The environment the CLI children get: nothing from the machine but PATH. */
  readonly cliEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '' }
  #copies = 0

  /** `onFigure` runs after every figure is added (the harness saves the results so far). */
  constructor(
    readonly opts: BenchOptions,
    private readonly onFigure: () => void = () => {},
  ) {
    mkdirSync(opts.workDir, { recursive: true })
  }

  /**
   * The command line as shipped: the esbuild bundle of `scripts/bundle.mjs` (built once per run,
   * inside the repository so packages resolve), run as `bin/catalog-debug.js` runs it;
   * `undefined` when the bundle cannot be built here (then {@link shippedBinProblem} says why).
   */
  get shippedBin(): string | undefined {
    if (this.#shipped === undefined) {
      try {
        this.#shipped = { bin: buildShippedBin(this.#bundleDir) }
      } catch (err) {
        this.#shipped = { bin: undefined, why: String(err).split('\n')[0] }
        this.opts.log(`the bundle could not be built (${this.#shipped.why}); commands run from the unbundled build`)
      }
    }
    return this.#shipped.bin
  }

  get shippedBinProblem(): string | undefined {
    return this.shippedBin === undefined ? this.#shipped?.why : undefined
  }

  /**
   * What every figure runs: the shipped bundle (start-up is part of every command's time, and a
   * user runs the bundle), or the build of `tsc -p tsconfig.test.json` when no bundle can be built.
   */
  get cliBin(): string {
    return this.shippedBin ?? CLI_BIN
  }

  readonly #bundleDir = join(REPO_ROOT, 'bench', 'data', `bundle-${process.pid}`)

  /** Removes what the run made inside the repository (the bundle). */
  dispose(): void {
    rmSync(this.#bundleDir, { recursive: true, force: true })
  }

  get smallest(): number {
    return Math.min(...this.opts.sizes)
  }

  get largest(): number {
    return Math.max(...this.opts.sizes)
  }

  /** Repetitions of a long figure (a whole-catalog command) at `size`: one from 1M, `largeReps` (3) from 100k. */
  dumpReps(size: number): number {
    if (size >= 1_000_000) return 1
    return size >= 100_000 ? Math.min(this.opts.largeReps ?? 3, this.opts.reps) : this.opts.reps
  }

  /** Repetitions of a short figure (start-up, epoch, edit): twice the knob plus one (1 stays 1). */
  get shortReps(): number {
    return this.opts.reps === 1 ? 1 : this.opts.reps * 2 + 1
  }

  /** Runs `fn` once untimed unless warm-up runs are off. */
  async warmup(fn: () => Promise<unknown>): Promise<void> {
    if (this.opts.warmup !== false) await fn()
  }

  async dataset(size: number, variant: CatalogVariant = 'v47'): Promise<GeneratedCatalog> {
    const key = `${variant}-${size}`
    let ds = this.datasets.get(key)
    if (ds === undefined) {
      this.opts.log(`dataset ${key}: generating (or reusing the cache)…`)
      ds = await generateCatalog({
        size,
        seed: this.opts.seed,
        variant,
        dataDir: this.opts.dataDir,
        fixture: this.opts.fixtures,
        log: this.opts.log,
      })
      this.opts.log(`dataset ${key}: ${ds.updates} updates${ds.cached ? ' (cached)' : ` generated in ${ds.generateMs} ms`}`)
      this.datasets.set(key, ds)
    }
    return ds
  }

  catalogShard(ds: GeneratedCatalog): string {
    return catalogShardIds(ds.organizationId).catalog
  }

  /** A private copy of a dataset's store for figures that write; `dispose()` deletes it. */
  copyStore(ds: GeneratedCatalog): { path: string; dispose(): void } {
    const path = join(this.opts.workDir, `copy-${++this.#copies}.db`)
    copyFileSync(ds.storePath, path)
    return { path, dispose: () => removeStoreFiles(path) }
  }

  /** A fresh path in the scratch directory. */
  scratchPath(name: string): string {
    return join(this.opts.workDir, `${++this.#copies}-${name}`)
  }

  add(f: Figure): void {
    this.figures.push(f)
    this.onFigure()
    const target = f.target === null ? '' : ` (target ${f.better === 'lower' ? '≤' : '≥'}${f.target}: ${f.pass === true ? 'pass' : 'FAIL'})`
    this.opts.log(
      `${f.figure}: ${fmt(f.value)} ${f.unit} vs ${f.baseline.name} ${fmt(f.baseline.value)} ${f.baseline.unit} = ${f.ratio.toFixed(2)}×${target}`,
    )
  }

  skip(figure: string, reason: string): void {
    const group = this.groups.at(-1)
    this.skipped.push(group === undefined ? { figure, reason } : { figure, reason, group })
    this.opts.log(`skipped ${figure}: ${reason}`)
  }
}

export function removeStoreFiles(path: string): void {
  for (const p of [path, `${path}-wal`, `${path}-shm`]) rmSync(p, { force: true })
}

function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n.toFixed(1)
}

/** `1000000` → `1M`, `100000` → `100k`. */
export function sizeLabel(n: number): string {
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}M`
  if (n >= 1000 && n % 1000 === 0) return `${n / 1000}k`
  return String(n)
}

/** Bundles the sources into `dir` as `npm run build` does, with a launcher like `bin/catalog-debug.js`; returns the launcher. */
function buildShippedBin(dir: string): string {
  mkdirSync(dir, { recursive: true })
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'bundle.mjs'), dir], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
  const bin = join(dir, 'bin.mjs')
  writeFileSync(
    bin,
    "import { main } from './main.js'\nprocess.exitCode = await main(process.argv.slice(2))\nif (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit()\n",
  )
  return bin
}
