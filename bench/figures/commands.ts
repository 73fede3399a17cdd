/**
 * Every command at catalog scale (issue 13): export, export --consolidated, import, copy, diff,
 * verify and dump --consolidate of the generated deployment catalog and of an audit-heavy one, at
 * each size from 100k up (below that, once, on the deployment catalog), each against the
 * floor scan of the same store measured in the same run (target ≤2× at 1M), with peak RSS (target
 * ≤256 MiB at 1M and within +25 % of the command's figure at the next smaller size).
 */
import { existsSync } from 'node:fs'
import { type BenchContext, removeStoreFiles, sizeLabel } from '../context.js'
import type { GeneratedCatalog } from '../generate.js'
import { median, peakRss, repeat, timeNode, type TimedRun } from '../measure.js'
import { makeFigure } from '../results.js'
import { FLOOR_SCRIPT } from './dump.js'

export const COMMAND_TARGET = 2
export const COMMAND_TARGET_SIZE = 1_000_000
export const RSS_LIMIT_MIB = 256
export const RSS_GROWTH_TARGET = 1.25

const VARIANTS = [
  { variant: 'v47', label: 'deployment' },
  { variant: 'audit', label: 'audit-heavy' },
] as const

interface Case {
  readonly id: string
  readonly label: string
  /** Arguments, given the dataset and two scratch store paths. */
  args(ds: GeneratedCatalog, scratch: string, other: string): string[]
  /** Prepares `other` (the diff's second catalog) before each run. */
  readonly needsCopy?: boolean
}

const CASES: readonly Case[] = [
  { id: 'export', label: 'export', args: (ds) => ['--store', ds.storePath, 'export'] },
  { id: 'export-consolidated', label: 'export --consolidated', args: (ds) => ['--store', ds.storePath, 'export', '--consolidated'] },
  { id: 'import', label: 'import of its fixture', args: (ds, scratch) => ['--store', scratch, 'import', ds.fixturePath as string] },
  {
    id: 'copy',
    label: 'copy SQLite → SQLite (with its verifying diff)',
    args: (ds, scratch) => ['copy', '--from', ds.storePath, '--to', scratch],
  },
  { id: 'diff', label: 'diff against a copy', args: (ds, _s, other) => ['diff', ds.storePath, other], needsCopy: true },
  { id: 'verify', label: 'verify', args: (ds) => ['--store', ds.storePath, 'verify'] },
  { id: 'dump-consolidate', label: 'dump --consolidate', args: (ds) => ['--store', ds.storePath, 'dump', '--consolidate'] },
]

export async function commandFigures(ctx: BenchContext): Promise<void> {
  // Below 100k (the smoke run) the commands run once, on the deployment catalog at the largest size.
  const large = ctx.opts.sizes.filter((s) => s >= 100_000)
  const sizes = large.length > 0 ? large : [ctx.largest]
  const variants = large.length > 0 ? VARIANTS : VARIANTS.slice(0, 1)
  const rssAt = new Map<string, number>()
  for (const { variant, label } of variants) {
    for (const size of [...sizes].sort((a, b) => a - b)) {
      const ds = await ctx.dataset(size, variant)
      if (ds.fixturePath === null || !existsSync(ds.fixturePath)) {
        ctx.skip(`commands of the ${label} catalog at ${sizeLabel(size)}`, 'no fixture (BENCH_FIXTURES=0)')
        continue
      }
      const shard = ctx.catalogShard(ds)
      const reps = ctx.dumpReps(size)
      const floor = (): Promise<TimedRun> => timeNode(FLOOR_SCRIPT, [ds.storePath, shard])
      await ctx.warmup(floor)
      const floors: TimedRun[] = []
      const other = ctx.copyStore(ds)
      try {
        for (const c of CASES) {
          const runs: TimedRun[] = []
          for (let i = 0; i < reps; i++) {
            // The floor beside each run (interleaved, so both see the same machine), or once for small catalogs.
            if (size >= 100_000 || floors.length === 0) floors.push(...(await repeat(1, 'floor scan', floor)))
            const scratch = ctx.scratchPath(`${c.id}.db`)
            try {
              const run = await timeNode(ctx.cliBin, c.args(ds, scratch, other.path), { env: ctx.cliEnv })
              // diff exits 1 when catalogs differ; a copy is equal, so anything but 0 is a failure.
              if (run.code !== 0) throw new Error(`${c.label} exited ${run.code}: ${run.stderr.slice(0, 500)}`)
              runs.push(run)
            } finally {
              removeStoreFiles(scratch)
            }
          }
          const id = `${c.id}-${variant}@${size}`
          const rss = peakRss(runs)
          ctx.add(
            makeFigure({
              id,
              figure: `${c.label}, ${label} catalog, ${sizeLabel(size)} updates`,
              value: median(runs.map((r) => r.wallMs)),
              unit: 'ms',
              baseline: { name: 'floor scan', value: median(floors.map((r) => r.wallMs)), unit: 'ms' },
              better: 'lower',
              target: size >= COMMAND_TARGET_SIZE ? COMMAND_TARGET : null,
              reps,
              peakRssKb: rss,
              baselinePeakRssKb: peakRss(floors),
            }),
          )
          const smaller = rssAt.get(`${c.id}-${variant}`)
          if (rss !== null && smaller !== undefined && size >= 100_000) {
            const mib = rss / 1024
            ctx.add(
              makeFigure({
                id: `rss-${id}`,
                figure: `peak RSS of ${c.label}, ${label} catalog, ${sizeLabel(size)} updates`,
                value: mib,
                unit: 'MiB',
                baseline: { name: 'the same at the next smaller size', value: smaller / 1024, unit: 'MiB' },
                better: 'lower',
                target: RSS_GROWTH_TARGET,
                reps,
                ...(size >= COMMAND_TARGET_SIZE ? { note: `limit ${RSS_LIMIT_MIB} MiB: ${mib <= RSS_LIMIT_MIB ? 'met' : 'NOT met'}` } : {}),
              }),
            )
          }
          if (rss !== null) rssAt.set(`${c.id}-${variant}`, rss)
        }
      } finally {
        other.dispose()
      }
    }
  }
}
