/**
 * `epoch`, `edit` and `delete` on the largest catalog against the same on the smallest: the
 * lookup index should make them cost the same at 10k and at 1M (target ≤1.5×). Writes go to a
 * private copy of each store.
 */
import { type BenchContext, sizeLabel } from '../context.js'
import { median, repeat, timeNode, type TimedRun } from '../measure.js'
import { makeFigure } from '../results.js'

export const SCALE_TARGET = 1.5

type Op = 'epoch' | 'edit' | 'delete'
const OPS: readonly Op[] = ['epoch', 'edit', 'delete']

export async function scaleFigures(ctx: BenchContext): Promise<void> {
  const small = ctx.smallest
  const large = ctx.largest
  if (small === large) {
    for (const op of OPS) ctx.skip(`${op} at the largest vs the smallest size`, 'only one size measured (BENCH_SIZES)')
    return
  }
  const times: Record<number, Record<Op, number[]>> = {}
  const reps = ctx.shortReps
  for (const size of [small, large]) {
    const ds = await ctx.dataset(size)
    const copy = ctx.copyStore(ds)
    try {
      const run = (args: string[]) => (): Promise<TimedRun> => timeNode(ctx.cliBin, ['--store', copy.path, ...args], { env: ctx.cliEnv })
      const t: Record<Op, number[]> = { epoch: [], edit: [], delete: [] }
      await ctx.warmup(run(['epoch'])) // page cache
      for (let i = 0; i < reps; i++) {
        t.epoch.push((await repeat(1, 'epoch', run(['epoch'])))[0]!.wallMs)
        t.edit.push((await repeat(1, 'edit', run(['edit', 'setting', '{"name":"bench_edit"}', `{"value":"v${i}"}`, '--yes'])))[0]!.wallMs)
        // The key to delete is put there first (untimed).
        await repeat(1, 'edit (setup)', run(['edit', 'setting', `{"name":"bench_delete_${i}"}`, '{"value":"x"}', '--yes']))
        t.delete.push((await repeat(1, 'delete', run(['delete', 'setting', `{"name":"bench_delete_${i}"}`, '--yes'])))[0]!.wallMs)
      }
      times[size] = t
    } finally {
      copy.dispose()
    }
  }
  for (const op of OPS) {
    ctx.add(
      makeFigure({
        id: `${op}@${large}-vs-${small}`,
        figure: `${op}, ${sizeLabel(large)} vs ${sizeLabel(small)} updates`,
        value: median(times[large]![op]),
        unit: 'ms',
        baseline: { name: `${op} at ${sizeLabel(small)}`, value: median(times[small]![op]), unit: 'ms' },
        better: 'lower',
        target: SCALE_TARGET,
        reps,
      }),
    )
  }
}
