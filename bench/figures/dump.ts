/**
 * `dump --stats-only` and `dump -o ndjson` (the real command line, a child process, output to
 * /dev/null) of each catalog at each size from 100k, with peak RSS. `dump --stats-only` against
 * the floor scan (target ≤1.5× from 1M); `dump -o ndjson` against the raw floor, which writes the
 * stored text unparsed (target ≤2× from 100k), its ratio to the floor scan in the note.
 */
import { join } from 'node:path'
import type { BenchContext } from '../context.js'
import { median, peakRss, repeat, timeNode, type TimedRun } from '../measure.js'
import { addAtScale, atScaleRuns, RSS_FROM_SIZE, TARGET_SIZE } from './at-scale.js'

export const DUMP_TARGET = 1.5
export const NDJSON_TARGET = 2

export const FLOOR_SCRIPT = join(import.meta.dirname, '..', 'floor-scan.js')
const RAW_FLOOR_SCRIPT = join(import.meta.dirname, '..', 'raw-floor.js')

export async function dumpFigures(ctx: BenchContext): Promise<void> {
  for (const { variant, catalog, size } of atScaleRuns(ctx)) {
    const ds = await ctx.dataset(size, variant)
    const shard = ctx.catalogShard(ds)
    const reps = ctx.dumpReps(size)
    const node = (script: string) => (): Promise<TimedRun> => timeNode(script, [ds.storePath, shard])
    const cli = (args: string[]) => (): Promise<TimedRun> => timeNode(ctx.cliBin, ['--store', ds.storePath, ...args], { env: ctx.cliEnv })
    // One untimed scan so every measured run finds the file in the page cache.
    await ctx.warmup(node(FLOOR_SCRIPT))
    const runs: Record<'floor' | 'raw' | 'stats' | 'ndjson', TimedRun[]> = { floor: [], raw: [], stats: [], ndjson: [] }
    // Interleaved, so that load from other processes spreads over all four alike.
    for (let i = 0; i < reps; i++) {
      runs.floor.push(...(await repeat(1, 'floor scan', node(FLOOR_SCRIPT))))
      runs.stats.push(...(await repeat(1, 'dump --stats-only', cli(['dump', '--stats-only']))))
      runs.raw.push(...(await repeat(1, 'raw floor', node(RAW_FLOOR_SCRIPT))))
      runs.ndjson.push(...(await repeat(1, 'dump -o ndjson', cli(['dump', '-o', 'ndjson']))))
    }
    const ms = (key: keyof typeof runs): number => median(runs[key].map((r) => r.wallMs))
    addAtScale(ctx, {
      id: `dump-stats-${variant}`,
      command: 'dump --stats-only',
      catalog,
      size,
      valueMs: ms('stats'),
      baseline: { name: 'floor scan', value: ms('floor'), unit: 'ms' },
      target: size >= TARGET_SIZE ? DUMP_TARGET : null,
      reps,
      rssKb: peakRss(runs.stats),
      baselineRssKb: peakRss(runs.floor),
    })
    addAtScale(ctx, {
      id: `dump-ndjson-${variant}`,
      command: 'dump -o ndjson',
      catalog,
      size,
      valueMs: ms('ndjson'),
      baseline: { name: 'raw floor', value: ms('raw'), unit: 'ms' },
      target: size >= RSS_FROM_SIZE ? NDJSON_TARGET : null,
      reps,
      rssKb: peakRss(runs.ndjson),
      baselineRssKb: peakRss(runs.raw),
      note: `${(ms('ndjson') / ms('floor')).toFixed(2)}× the floor scan (${Math.round(ms('floor'))} ms)`,
    })
  }
}
