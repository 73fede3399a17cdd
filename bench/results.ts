/**
 * The shape of `bench/results.json`: every figure is a ratio against a baseline measured in the
 * same run on the same data, with the target it is held to (if any) and whether it met it.
 */

import { loadavg } from 'node:os'

export const RESULTS_SCHEMA_VERSION = 1

/** One measured figure. */
export interface Figure {
  /** Stable id, e.g. `dump-ndjson-v47@1000000`. */
  readonly id: string
  /** What is measured, for the table (`dump -o ndjson, 1M updates`). */
  readonly figure: string
  /** The figure's value and unit (`ms`, `commits/s`). */
  readonly value: number
  readonly unit: string
  /** The baseline it is compared with, measured in the same run. */
  readonly baseline: { readonly name: string; readonly value: number; readonly unit: string }
  /** `value / baseline.value`. */
  readonly ratio: number
  /** Whether a smaller ratio is better (times) or a larger one (throughput). */
  readonly better: 'lower' | 'higher'
  /** The ratio the project aims for (`≤ target` when lower is better, else `≥`), or null: informational. */
  readonly target: number | null
  /** Whether the target is met; null when there is no target. */
  readonly pass: boolean | null
  /** Number of runs the value and baseline are medians of. */
  readonly reps: number
  /** Peak RSS of the figure's process(es) and of the baseline's, in KiB, where measured. */
  readonly peakRssKb?: number | null
  readonly baselinePeakRssKb?: number | null
  readonly note?: string
  /** Further measured quantities of the figure, by name (e.g. statements per commit). */
  readonly details?: Readonly<Record<string, number>>
  /** When the run that measured this figure (and its baseline) started. */
  readonly measuredAt?: string
  /** The machine's 1-minute load average when the figure was taken (`uptime`). */
  readonly load?: number
  /** Set on the figures of the per-command table (`figures/at-scale.ts`). */
  readonly atScale?: AtScale
}

/** Which command, catalog and size a figure of the per-command table belongs to, and which check it is. */
export interface AtScale {
  readonly command: string
  readonly catalog: string
  readonly size: number
  /** `time` against its baseline; peak RSS against the same at 100k (`rss-growth`) or against the limit (`rss-limit`). */
  readonly check: 'time' | 'rss-growth' | 'rss-limit'
}

export interface MachineInfo {
  readonly cpus: number
  readonly cpuModel: string
  readonly node: string
  readonly sqlite: string
  readonly betterSqlite3: string
  readonly os: string
  readonly postgres: string | null
}

export interface DatasetInfo {
  readonly name: string
  readonly variant: string
  readonly requestedSize: number
  readonly updates: number
  readonly retractions: number
  readonly byKind: Readonly<Record<string, number>>
  readonly storeBytes: number
  readonly fixtureBytes: number | null
  readonly generateMs: number
  readonly cached: boolean
}

export interface BenchResults {
  readonly schemaVersion: number
  readonly startedAt: string
  readonly durationMs: number
  /** Set while the run is still going (the file is rewritten after every figure) or was stopped. */
  readonly incomplete?: true
  /** The commit measured (`git describe --always --dirty`), where known. */
  readonly commit?: string
  /** The machine's load averages over 1, 5 and 15 minutes (`uptime`) when the run started and ended. */
  readonly load?: { readonly start: readonly number[]; readonly end: readonly number[] }
  readonly machine: MachineInfo
  readonly config: {
    readonly sizes: readonly number[]
    readonly reps: number
    readonly seed: number
    readonly writers: readonly number[]
    readonly pgWriters: readonly number[]
    readonly caaSeconds: number
  }
  readonly datasets: readonly DatasetInfo[]
  readonly figures: readonly Figure[]
  /** Figures that could not be measured here, and why (`group`: the figure group that tried). */
  readonly skipped: readonly Skip[]
  /** The figure groups this document's own run measured (absent in documents before it was kept). */
  readonly groups?: readonly string[]
}

/** A figure that could not be measured, and why. */
export interface Skip {
  readonly figure: string
  readonly reason: string
  readonly group?: string
}

/**
 * The skips of an earlier run that still stand after a later one: a skip goes when the later run
 * ran its group again (it measured the figure, or it says itself why not) or skipped the same figure.
 */
export function skipsStillStanding(
  earlier: readonly Skip[],
  later: { readonly skipped: readonly Skip[]; readonly groups?: readonly string[] },
): Skip[] {
  const ran = new Set(later.groups ?? [])
  return earlier.filter((s) => !(s.group !== undefined && ran.has(s.group)) && !later.skipped.some((t) => t.figure === s.figure))
}

/** Builds a figure from a value and its baseline, computing ratio and pass. */
export function makeFigure(f: Omit<Figure, 'ratio' | 'pass'>): Figure {
  const ratio = f.value / f.baseline.value
  const pass = f.target === null ? null : f.better === 'lower' ? ratio <= f.target : ratio >= f.target
  return { ...f, ratio, pass, load: Math.round(loadavg()[0] * 10) / 10 }
}

/** Problems with a results document's shape (empty when it is well-formed). For the smoke test. */
export function checkResultsShape(r: unknown): string[] {
  const problems: string[] = []
  const o = r as Partial<BenchResults> | null
  if (typeof o !== 'object' || o === null) return ['not an object']
  if (o.schemaVersion !== RESULTS_SCHEMA_VERSION) problems.push(`schemaVersion ${String(o.schemaVersion)}`)
  if (typeof o.machine?.cpus !== 'number' || typeof o.machine.node !== 'string' || typeof o.machine.sqlite !== 'string')
    problems.push('machine')
  if (!Array.isArray(o.datasets) || o.datasets.length === 0) problems.push('datasets')
  if (!Array.isArray(o.figures) || o.figures.length === 0) problems.push('figures')
  if (!Array.isArray(o.skipped)) problems.push('skipped')
  for (const f of o.figures ?? []) {
    const where = `figure ${String(f.id)}`
    if (typeof f.id !== 'string' || typeof f.figure !== 'string' || typeof f.unit !== 'string') problems.push(`${where}: names`)
    for (const [k, v] of [
      ['value', f.value],
      ['baseline.value', f.baseline?.value],
      ['ratio', f.ratio],
    ] as const) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
        problems.push(`${where}: ${k} is not a finite positive number (${String(v)})`)
    }
    if (f.better !== 'lower' && f.better !== 'higher') problems.push(`${where}: better`)
    if (f.target !== null && (typeof f.target !== 'number' || typeof f.pass !== 'boolean')) problems.push(`${where}: target/pass`)
    if (f.target === null && f.pass !== null) problems.push(`${where}: pass without target`)
  }
  return problems
}
