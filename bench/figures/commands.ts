/**
 * Every command at catalog scale (issue 13): export, export --consolidated, import, copy, diff,
 * verify, repair (planning), dump --consolidate, find and graph of the generated deployment catalog and of an audit-heavy one, at
 * each size from 100k up (below that, once, on the deployment catalog: the smoke run), each
 * against the floor scan of the same store, interleaved run by run (target ≤2× from 1M), with
 * peak RSS (`at-scale.ts`).
 */
import { existsSync } from 'node:fs'
import { type BenchContext, removeStoreFiles, sizeLabel } from '../context.js'
import type { GeneratedCatalog } from '../generate.js'
import { median, peakRss, repeat, timeNode, type TimedRun } from '../measure.js'
import { addAtScale, atScaleRuns, TARGET_SIZE } from './at-scale.js'
import { FLOOR_SCRIPT } from './dump.js'

export const COMMAND_TARGET = 2

interface Case {
  readonly id: string
  readonly label: string
  /** Arguments, given the dataset and two scratch store paths. */
  args(ds: GeneratedCatalog, scratch: string, other: string): string[]
}

const CASES: readonly Case[] = [
  { id: 'export', label: 'export', args: (ds) => ['--store', ds.storePath, 'export'] },
  { id: 'export-consolidated', label: 'export --consolidated', args: (ds) => ['--store', ds.storePath, 'export', '--consolidated'] },
  { id: 'import', label: 'import of its fixture', args: (ds, scratch) => ['--store', scratch, 'import', ds.fixturePath as string] },
  {
    id: 'copy',
    label: 'copy SQLite → SQLite (verified by reading the copy back)',
    args: (ds, scratch) => ['copy', '--from', ds.storePath, '--to', scratch],
  },
  { id: 'diff', label: 'diff against a copy', args: (ds, _s, other) => ['diff', ds.storePath, other] },
  { id: 'verify', label: 'verify', args: (ds) => ['--store', ds.storePath, 'verify'] },
  // Planning only (no --yes, stdout not a terminal: nothing is written), on the copy diff compared: repair opens its store to write.
  { id: 'repair', label: 'repair (the plan)', args: (_ds, _s, other) => ['--store', other, 'repair'] },
  { id: 'dump-consolidate', label: 'dump --consolidate', args: (ds) => ['--store', ds.storePath, 'dump', '--consolidate'] },
  // The named-object readers (describe, find and graph read the objects alike): a search, and the whole graph.
  { id: 'find', label: 'find materialize', args: (ds) => ['--store', ds.storePath, 'find', 'materialize'] },
  { id: 'graph', label: 'graph (DOT)', args: (ds) => ['--store', ds.storePath, 'graph'] },
]

export async function commandFigures(ctx: BenchContext): Promise<void> {
  for (const { variant, catalog, size } of atScaleRuns(ctx)) {
    const ds = await ctx.dataset(size, variant)
    if (ds.fixturePath === null || !existsSync(ds.fixturePath)) {
      ctx.skip(`commands of the ${catalog} catalog at ${sizeLabel(size)}`, 'no fixture (BENCH_FIXTURES=0)')
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
        const caseFloors: TimedRun[] = []
        for (let i = 0; i < reps; i++) {
          // The floor beside each run (interleaved, so both see the same machine), or once for small catalogs.
          if (size >= 100_000 || floors.length === 0) {
            const f = await repeat(1, 'floor scan', floor)
            floors.push(...f)
            caseFloors.push(...f)
          }
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
        const base = caseFloors.length > 0 ? caseFloors : floors
        addAtScale(ctx, {
          id: `${c.id}-${variant}`,
          command: c.label,
          catalog,
          size,
          valueMs: median(runs.map((r) => r.wallMs)),
          baseline: { name: 'floor scan', value: median(base.map((r) => r.wallMs)), unit: 'ms' },
          target: size >= TARGET_SIZE ? COMMAND_TARGET : null,
          reps,
          rssKb: peakRss(runs),
          baselineRssKb: peakRss(base),
        })
      }
    } finally {
      other.dispose()
    }
  }
}
