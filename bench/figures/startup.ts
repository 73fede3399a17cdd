/**
 * Start-up: `--help`, `--version` and `epoch` (on the smallest catalog) of the shipped command
 * line (the esbuild bundle `scripts/bundle.mjs` makes, run as `bin/catalog-debug.js` runs it)
 * against bare node loading yargs and parsing the same arguments (target ≤1.2×).
 *
 * Fair to both sides: each is run once untimed first (page cache, and node's compile cache where
 * it has one), then both the same number of times, alternating which goes first (ABBA…) so a
 * burst of load from other processes falls on both alike. The figure is wall time; the ratio of
 * CPU time (user + system, which waiting for a CPU on a loaded machine does not inflate) is in
 * the note.
 */
import { join } from 'node:path'
import type { BenchContext } from '../context.js'
import { median, repeat, timeNode, type TimedRun } from '../measure.js'
import { makeFigure } from '../results.js'

export const STARTUP_TARGET = 1.2
const YARGS_FLOOR = join(import.meta.dirname, '..', 'yargs-floor.js')

export async function startupFigures(ctx: BenchContext): Promise<void> {
  const ds = await ctx.dataset(ctx.smallest)
  const reps = ctx.shortReps
  const cases = [
    { id: 'help', label: '--help', cli: ['--help'], floor: ['--help'] },
    { id: 'version', label: '--version', cli: ['--version'], floor: ['--version'] },
    { id: 'epoch', label: `epoch (${ds.updates} updates)`, cli: ['--store', ds.storePath, 'epoch'], floor: ['noop'] },
  ]
  const bin = ctx.shippedBin
  if (bin === undefined) {
    for (const c of cases) ctx.skip(`start-up: ${c.label}`, `the bundle could not be built (${ctx.shippedBinProblem})`)
    return
  }
  for (const c of cases) {
    const cli = (): Promise<TimedRun> => timeNode(bin, c.cli, { env: ctx.cliEnv })
    const floor = (): Promise<TimedRun> => timeNode(YARGS_FLOOR, c.floor, { env: ctx.cliEnv })
    await ctx.warmup(cli)
    await ctx.warmup(floor)
    const a: TimedRun[] = []
    const b: TimedRun[] = []
    for (let i = 0; i < reps; i++) {
      const floorFirst = i % 2 === 0
      if (floorFirst) b.push(...(await repeat(1, 'yargs floor', floor)))
      a.push(...(await repeat(1, c.label, cli)))
      if (!floorFirst) b.push(...(await repeat(1, 'yargs floor', floor)))
    }
    const cpu = (runs: TimedRun[]): number | null =>
      runs.every((r) => r.cpuMs !== null) ? median(runs.map((r) => r.cpuMs as number)) : null
    const [cpuA, cpuB] = [cpu(a), cpu(b)]
    ctx.add(
      makeFigure({
        id: `startup-${c.id}`,
        figure: `start-up: ${c.label}`,
        value: median(a.map((r) => r.wallMs)),
        unit: 'ms',
        baseline: { name: 'node + yargs', value: median(b.map((r) => r.wallMs)), unit: 'ms' },
        better: 'lower',
        target: STARTUP_TARGET,
        reps,
        ...(cpuA === null || cpuB === null
          ? {}
          : { note: `CPU time ${Math.round(cpuA)} ms vs ${Math.round(cpuB)} ms = ${(cpuA / cpuB).toFixed(2)}×` }),
      }),
    )
  }
}
