/**
 * `dump --stats-only` and `dump -o ndjson` (the real command line, a child process, output to
 * /dev/null) against the floor scan, at every size, with peak RSS. Target: ≤1.5× the floor at 1M.
 */
import { join } from 'node:path'
import { type BenchContext, sizeLabel } from '../context.js'
import { median, peakRss, repeat, timeNode, type TimedRun } from '../measure.js'
import { makeFigure } from '../results.js'

export const DUMP_TARGET = 1.5
export const DUMP_TARGET_SIZE = 1_000_000

export const FLOOR_SCRIPT = join(import.meta.dirname, '..', 'floor-scan.js')

export async function dumpFigures(ctx: BenchContext): Promise<void> {
  for (const size of ctx.opts.sizes) {
    const ds = await ctx.dataset(size)
    const shard = ctx.catalogShard(ds)
    const reps = ctx.dumpReps(size)
    const floor = (): Promise<TimedRun> => timeNode(FLOOR_SCRIPT, [ds.storePath, shard])
    const cli = (args: string[]) => (): Promise<TimedRun> => timeNode(ctx.cliBin, ['--store', ds.storePath, ...args], { env: ctx.cliEnv })
    // One untimed scan so every measured run finds the file in the page cache.
    await ctx.warmup(floor)
    const runs: Record<'floor' | 'stats' | 'ndjson', TimedRun[]> = { floor: [], stats: [], ndjson: [] }
    // Interleaved, so that load from other processes spreads over all three alike.
    for (let i = 0; i < reps; i++) {
      runs.floor.push(...(await repeat(1, 'floor scan', floor)))
      runs.stats.push(...(await repeat(1, 'dump --stats-only', cli(['dump', '--stats-only']))))
      runs.ndjson.push(...(await repeat(1, 'dump -o ndjson', cli(['dump', '-o', 'ndjson']))))
    }
    const baseline = { name: 'floor scan', value: median(runs.floor.map((r) => r.wallMs)), unit: 'ms' }
    const target = size === DUMP_TARGET_SIZE ? DUMP_TARGET : null
    for (const [key, label] of [
      ['stats', 'dump --stats-only'],
      ['ndjson', 'dump -o ndjson'],
    ] as const) {
      ctx.add(
        makeFigure({
          id: `dump-${key}@${size}`,
          figure: `${label}, ${sizeLabel(size)} updates`,
          value: median(runs[key].map((r) => r.wallMs)),
          unit: 'ms',
          baseline,
          better: 'lower',
          target,
          reps,
          peakRssKb: peakRss(runs[key]),
          baselinePeakRssKb: peakRss(runs.floor),
        }),
      )
    }
  }
}
