/**
 * What every scenario gets: the knobs, a seeded random source, scratch directories, small
 * generated catalogs to copy (from the benchmark generator), and a row builder.
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { generateCatalog, type GeneratedCatalog } from '../../../bench/generate.js'
import type { CatalogVariant } from '../../../bench/catalog-simulation.js'
import { Rng } from '../../../bench/rng.js'
import type { ScenarioRow } from './report.js'

export interface SuiteOptions {
  readonly seed: number
  /** SIGKILLs in total over the crash scenarios. */
  readonly kills: number
  /** Successful compare-and-appends per race configuration. */
  readonly raceCommits: number
  /** Process counts of the race scenarios. */
  readonly raceProcesses: readonly number[]
  /** Command-line edits per race configuration. */
  readonly cliEdits: number
  /** Process counts of the command-line edit races. */
  readonly cliProcesses: readonly number[]
  readonly badInputs: number
  readonly fenceRounds: number
  /** Logical appends per storage-fault configuration. */
  readonly faultOps: number
  /** Fault probabilities to run the storage-fault scenario at. */
  readonly faultRates: readonly number[]
  /** Size (updates) of the generated catalogs the catalog-level scenarios start from. */
  readonly catalogSize: number
  /** Trials of the creation races in all, spread over the three commands and the process counts. */
  readonly creationTrials: number
  /** Process counts of the creation races (2–8 processes on one new path). */
  readonly creationProcesses: readonly number[]
  /** Which creation races run: `init`, `import`, `copy` (`copy --to`). */
  readonly creationCommands: readonly string[]
  /** Creation-race trials run at once, each on its own path (1: one after another). */
  readonly creationParallel: number
  /** Times each (special file, command) pair runs. */
  readonly specialRepeats: number
  /** Rounds of "another OS user reads, then the owner writes". */
  readonly userRounds: number
  /** Timed SIGTERMs per kind of command (waiting for a lock, reading, on a 0-column terminal). */
  readonly sigtermSamples: number
  /** Writes on a 0-column terminal against a held lock, per outcome (gives up; lock released). */
  readonly terminalTrials: number
  /** CI mode: fewer commands per bad file and version, shorter timeouts, no 10 MiB inputs. */
  readonly quick?: boolean
  /** Scratch space; removed at the end. */
  readonly workDir: string
  /** Only the scenarios whose name starts with one of these (empty: all). */
  readonly only: readonly string[]
  readonly log: (line: string) => void
}

/** The tiny sizes `npm test` runs the suite at (test/reliability-smoke.test.ts, reliability-never-worse.test.ts). */
export const CI_SIZES: Omit<SuiteOptions, 'seed' | 'workDir' | 'only' | 'log'> = {
  kills: 8,
  raceCommits: 40,
  raceProcesses: [2, 4],
  cliEdits: 4,
  cliProcesses: [2],
  badInputs: 40,
  fenceRounds: 1,
  faultOps: 100,
  faultRates: [0.2],
  catalogSize: 1000,
  creationTrials: 3,
  creationProcesses: [3],
  creationCommands: ['init', 'import', 'copy'],
  creationParallel: 1,
  specialRepeats: 1,
  userRounds: 1,
  sigtermSamples: 1,
  terminalTrials: 1,
  quick: true,
}

export class SuiteContext {
  #n = 0
  readonly #catalogs = new Map<CatalogVariant, GeneratedCatalog>()

  constructor(readonly opts: SuiteOptions) {
    mkdirSync(opts.workDir, { recursive: true })
  }

  /** A random source for one scenario, derived from the suite seed and the scenario's name. */
  rng(name: string): Rng {
    let h = this.opts.seed >>> 0
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0
    return new Rng(h)
  }

  /** A fresh path in the scratch directory. */
  path(name: string): string {
    return join(this.opts.workDir, `${++this.#n}-${name}`)
  }

  /** A fresh scratch directory. */
  dir(name: string): string {
    const d = this.path(name)
    mkdirSync(d, { recursive: true })
    return d
  }

  /** A generated catalog (cached for the suite) of the given variant. */
  async catalog(variant: CatalogVariant = 'v47'): Promise<GeneratedCatalog> {
    let c = this.#catalogs.get(variant)
    if (c === undefined) {
      c = await generateCatalog({
        size: this.opts.catalogSize,
        seed: this.opts.seed,
        variant,
        dataDir: join(this.opts.workDir, 'catalogs'),
        fixture: false,
      })
      this.#catalogs.set(variant, c)
    }
    return c
  }

  /** A private copy of a generated catalog's store. */
  async catalogCopy(variant: CatalogVariant = 'v47'): Promise<{ path: string; catalog: GeneratedCatalog }> {
    const catalog = await this.catalog(variant)
    const path = this.path(`catalog-${variant}.db`)
    copyFileSync(catalog.storePath, path)
    return { path, catalog }
  }

  cleanup(): void {
    rmSync(this.opts.workDir, { recursive: true, force: true })
  }
}

/** A row with every optional column empty; scenarios fill in what they measure. */
export function row(
  fields: Pick<ScenarioRow, 'scenario' | 'processes' | 'iterations' | 'seed' | 'successes'> & Partial<ScenarioRow>,
): ScenarioRow {
  return {
    mismatches: null,
    busySurfaced: null,
    lostAckedCommits: null,
    partialTxns: null,
    integrityFailures: null,
    linearizable: null,
    latency: null,
    violations: [],
    notes: '',
    durationMs: 0,
    ...fields,
  }
}

export function removeStore(path: string): void {
  for (const p of [path, `${path}-wal`, `${path}-shm`]) rmSync(p, { force: true })
}
