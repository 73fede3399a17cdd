/**
 * Start-up: `--help` and `epoch` (on the smallest catalog) against bare node loading yargs and
 * parsing the same arguments (target ≤1.3×).
 */
import { join } from 'node:path'
import type { BenchContext } from '../context.js'
import { median, repeat, timeNode, type TimedRun } from '../measure.js'
import { makeFigure } from '../results.js'

export const STARTUP_TARGET = 1.3
const YARGS_FLOOR = join(import.meta.dirname, '..', 'yargs-floor.js')

export async function startupFigures(ctx: BenchContext): Promise<void> {
  const ds = await ctx.dataset(ctx.smallest)
  const reps = ctx.shortReps
  const cases = [
    { id: 'help', label: '--help', cli: ['--help'], floor: ['--help'] },
    { id: 'epoch', label: `epoch (${ds.updates} updates)`, cli: ['--store', ds.storePath, 'epoch'], floor: ['noop'] },
  ]
  for (const c of cases) {
    const cli = (): Promise<TimedRun> => timeNode(ctx.cliBin, c.cli, { env: ctx.cliEnv })
    const floor = (): Promise<TimedRun> => timeNode(YARGS_FLOOR, c.floor, { env: ctx.cliEnv })
    await ctx.warmup(cli)
    await ctx.warmup(floor)
    const a: number[] = []
    const b: number[] = []
    for (let i = 0; i < reps; i++) {
      b.push((await repeat(1, 'yargs floor', floor))[0]!.wallMs)
      a.push((await repeat(1, c.label, cli))[0]!.wallMs)
    }
    ctx.add(
      makeFigure({
        id: `startup-${c.id}`,
        figure: `start-up: ${c.label}`,
        value: median(a),
        unit: 'ms',
        baseline: { name: 'node + yargs', value: median(b), unit: 'ms' },
        better: 'lower',
        target: STARTUP_TARGET,
        reps,
      }),
    )
  }
}
