/**
 * `upgrade-check` of a version-42 catalog at the largest size against the floor scan of the same
 * store (target ≤3×). The cached store is used as it is (upgrade-check writes nothing); if its
 * file changed anyway, the cache entry is dropped and the figure says so.
 */
import { rmSync, statSync } from 'node:fs'
import { type BenchContext, sizeLabel } from '../context.js'
import { median, peakRss, repeat, timeNode, type TimedRun } from '../measure.js'
import { makeFigure } from '../results.js'
import { FLOOR_SCRIPT } from './dump.js'

export const UPGRADE_TARGET = 3

export async function upgradeFigure(ctx: BenchContext): Promise<void> {
  const size = ctx.largest
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
  ctx.add(
    makeFigure({
      id: `upgrade-check-v42@${size}`,
      figure: `upgrade-check of a v42 catalog, ${sizeLabel(size)} updates`,
      value: median(c.map((r) => r.wallMs)),
      unit: 'ms',
      baseline: { name: 'floor scan', value: median(f.map((r) => r.wallMs)), unit: 'ms' },
      better: 'lower',
      target: UPGRADE_TARGET,
      reps,
      peakRssKb: peakRss(c),
      baselinePeakRssKb: peakRss(f),
      ...(note === undefined ? {} : { note }),
    }),
  )
}
