/**
 * The per-command table of issue 13: every command at 100k and 1M updates (and 10M when asked
 * for), for each generated catalog, as a time against a baseline from the same run, with its peak
 * RSS held to two targets: at most 256 MiB from 1M on, and at most +25 % over the same command on
 * the same catalog at the smallest size measured from 100k on (normally 100k).
 */
import { type BenchContext, sizeLabel } from '../context.js'
import { makeFigure } from '../results.js'

export const RSS_LIMIT_MIB = 256
export const RSS_GROWTH_TARGET = 1.25
/** Sizes from which peak RSS is compared (below, start-up dominates it). */
export const RSS_FROM_SIZE = 100_000
/** Sizes from which the time targets and the RSS limit apply. */
export const TARGET_SIZE = 1_000_000

/** The catalogs every command runs on from 100k on (below, only the first: the smoke run). */
const CATALOGS = [
  { variant: 'v47', catalog: 'deployment' },
  { variant: 'audit', catalog: 'audit-heavy' },
] as const

/**
 * The catalogs and sizes of the per-command table, catalog by catalog, sizes ascending: every
 * size from 100k for both catalogs (or those `BENCH_CATALOGS` names); when no size reaches 100k (the smoke test), the largest size
 * of the deployment catalog alone.
 */
export function atScaleRuns(ctx: BenchContext): { variant: (typeof CATALOGS)[number]['variant']; catalog: string; size: number }[] {
  const large = [...ctx.opts.sizes].filter((s) => s >= RSS_FROM_SIZE).sort((a, b) => a - b)
  const chosen = CATALOGS.filter((c) => ctx.opts.catalogs === undefined || ctx.opts.catalogs.includes(c.catalog))
  if (large.length === 0) return chosen.slice(0, 1).map((c) => ({ ...c, size: ctx.largest }))
  return chosen.flatMap((c) => large.map((size) => ({ ...c, size })))
}

export const CATALOG_NAMES = CATALOGS.map((c) => c.catalog)

export interface AtScaleFigure {
  /** Figure id without the size (`export-v47`); the size is appended. */
  readonly id: string
  readonly command: string
  /** `deployment`, `audit-heavy`, … */
  readonly catalog: string
  readonly size: number
  readonly valueMs: number
  readonly baseline: { readonly name: string; readonly value: number; readonly unit: string }
  /** The ratio target, or null where the figure is informational at this size. */
  readonly target: number | null
  readonly reps: number
  readonly rssKb: number | null
  readonly baselineRssKb: number | null
  readonly note?: string
}

/**
 * Adds a command's time figure and, from 100k on, its peak-RSS checks. Call in ascending size
 * order for each command and catalog.
 */
export function addAtScale(ctx: BenchContext, f: AtScaleFigure): void {
  const where = { command: f.command, catalog: f.catalog, size: f.size }
  const what = `${f.command}, ${f.catalog} catalog, ${sizeLabel(f.size)} updates`
  ctx.add(
    makeFigure({
      id: `${f.id}@${f.size}`,
      figure: what,
      value: f.valueMs,
      unit: 'ms',
      baseline: f.baseline,
      better: 'lower',
      target: f.target,
      reps: f.reps,
      peakRssKb: f.rssKb,
      baselinePeakRssKb: f.baselineRssKb,
      atScale: { ...where, check: 'time' },
      ...(f.note === undefined ? {} : { note: f.note }),
    }),
  )
  if (f.rssKb === null || f.size < RSS_FROM_SIZE) return
  const key = `${f.command}|${f.catalog}`
  const first = ctx.firstRss.get(key)
  if (first === undefined) ctx.firstRss.set(key, { size: f.size, kb: f.rssKb })
  else if (first.size < f.size)
    ctx.add(
      makeFigure({
        id: `rss-${f.id}@${f.size}`,
        figure: `peak RSS of ${what}`,
        value: f.rssKb / 1024,
        unit: 'MiB',
        baseline: { name: `the same at ${sizeLabel(first.size)}`, value: first.kb / 1024, unit: 'MiB' },
        better: 'lower',
        target: RSS_GROWTH_TARGET,
        reps: f.reps,
        atScale: { ...where, check: 'rss-growth' },
      }),
    )
  if (f.size >= TARGET_SIZE)
    ctx.add(
      makeFigure({
        id: `rss-limit-${f.id}@${f.size}`,
        figure: `peak RSS of ${what}, against the limit`,
        value: f.rssKb / 1024,
        unit: 'MiB',
        baseline: { name: 'limit', value: RSS_LIMIT_MIB, unit: 'MiB' },
        better: 'lower',
        target: 1,
        reps: f.reps,
        atScale: { ...where, check: 'rss-limit' },
      }),
    )
}
