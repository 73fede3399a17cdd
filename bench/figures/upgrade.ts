/**
 * `upgrade-check` of a version-42 catalog (the deployment catalog's v42 variant) at each size from
 * 100k (below, the largest size: the smoke run) against the floor scan of the same store (target
 * ≤2× from 1M), with peak RSS (`at-scale.ts`). The cached store is used as it is (upgrade-check
 * writes nothing); if its file changed anyway, the cache entry is dropped and the figure says so.
 */
import { rmSync, statSync } from 'node:fs'
import type { BenchContext } from '../context.js'
import { median, peakRss, repeat, timeNode, type TimedRun } from '../measure.js'
import { addAtScale, atScaleRuns, TARGET_SIZE } from './at-scale.js'
import { COMMAND_TARGET } from './commands.js'
import { FLOOR_SCRIPT } from './dump.js'

export async function upgradeFigure(ctx: BenchContext): Promise<void> {
  const sizes = [...new Set(atScaleRuns(ctx).map((r) => r.size))]
  for (const size of sizes) {
    const ds = await ctx.dataset(size, 'v42')
    const shard = ctx.catalogShard(ds)
    const before = statSync(ds.storePath)
    const reps = ctx.dumpReps(size)
    const floor = (): Promise<TimedRun> => timeNode(FLOOR_SCRIPT, [ds.storePath, shard])
    const check = (): Promise<TimedRun> => timeNode(ctx.cliBin, ['--store', ds.storePath, 'upgrade-check'], { env: ctx.cliEnv })
    await ctx.warmup(floor)
    const f: TimedRun[] = []
    const c: TimedRun[] = []
    for (let i = 0; i < reps; i++) {
      f.push(...(await repeat(1, 'floor scan', floor)))
      c.push(...(await repeat(1, 'upgrade-check', check)))
    }
    const after = statSync(ds.storePath)
    let note: string | undefined
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
      note = 'upgrade-check changed the store file; its cache entry was dropped'
      rmSync(ds.storePath.replace(/\.db$/, '.json'), { force: true })
    }
    addAtScale(ctx, {
      id: 'upgrade-check-v42',
      command: 'upgrade-check',
      catalog: 'deployment (v42)',
      size,
      valueMs: median(c.map((r) => r.wallMs)),
      baseline: { name: 'floor scan', value: median(f.map((r) => r.wallMs)), unit: 'ms' },
      target: size >= TARGET_SIZE ? COMMAND_TARGET : null,
      reps,
      rssKb: peakRss(c),
      baselineRssKb: peakRss(f),
      ...(note === undefined ? {} : { note }),
    })
  }
}
