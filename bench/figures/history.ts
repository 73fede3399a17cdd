/**
 * `history` of the catalog's busiest key, as text (the table) against `-o json` of the same key in
 * the same run (target ≤1.2× from 100k), and `-o json` against the floor scan (informational:
 * history reads one key through the lookup index, the floor reads the whole shard), with peak RSS
 * (`at-scale.ts`). The busiest key is the audit log's id allocator: every transaction that writes
 * audit events bumps it once, so it has a version per such transaction (2.6k in the 100k
 * deployment catalog, 23.8k in the 1M one).
 */
import type { BenchContext } from '../context.js'
import { median, peakRss, repeat, timeNode, type TimedRun } from '../measure.js'
import { addAtScale, atScaleRuns, RSS_FROM_SIZE } from './at-scale.js'
import { FLOOR_SCRIPT } from './dump.js'

export const HISTORY_TARGET = 1.2
const KEY = ['id_alloc', '{"name":"auditlog"}'] as const

export async function historyFigures(ctx: BenchContext): Promise<void> {
  for (const { variant, catalog, size } of atScaleRuns(ctx)) {
    const ds = await ctx.dataset(size, variant)
    const shard = ctx.catalogShard(ds)
    const reps = ctx.dumpReps(size)
    const cli =
      (args: string[], capture = false) =>
      (): Promise<TimedRun & { stdout: string }> =>
        timeNode(ctx.cliBin, ['--store', ds.storePath, 'history', ...KEY, ...args], { env: ctx.cliEnv, captureStdout: capture })
    const floor = (): Promise<TimedRun> => timeNode(FLOOR_SCRIPT, [ds.storePath, shard])
    // Untimed: warms the page cache and counts the versions.
    const counted = await cli(['-o', 'ndjson'], true)()
    if (counted.code !== 0) throw new Error(`history -o ndjson exited ${counted.code}: ${counted.stderr.slice(0, 500)}`)
    const versions = counted.stdout.split('\n').filter((l) => l !== '').length
    const runs: Record<'floor' | 'json' | 'text', TimedRun[]> = { floor: [], json: [], text: [] }
    for (let i = 0; i < reps; i++) {
      runs.floor.push(...(await repeat(1, 'floor scan', floor)))
      runs.json.push(...(await repeat(1, 'history -o json', cli(['-o', 'json']))))
      runs.text.push(...(await repeat(1, 'history', cli([]))))
    }
    const ms = (key: keyof typeof runs): number => median(runs[key].map((r) => r.wallMs))
    const note = `${KEY.join(' ')}: ${versions} versions`
    addAtScale(ctx, {
      id: `history-json-${variant}`,
      command: 'history -o json',
      catalog,
      size,
      valueMs: ms('json'),
      baseline: { name: 'floor scan', value: ms('floor'), unit: 'ms' },
      target: null,
      reps,
      rssKb: peakRss(runs.json),
      baselineRssKb: peakRss(runs.floor),
      note,
    })
    addAtScale(ctx, {
      id: `history-text-${variant}`,
      command: 'history (text)',
      catalog,
      size,
      valueMs: ms('text'),
      baseline: { name: 'history -o json', value: ms('json'), unit: 'ms' },
      target: size >= RSS_FROM_SIZE ? HISTORY_TARGET : null,
      reps,
      rssKb: peakRss(runs.text),
      baselineRssKb: peakRss(runs.json),
      note,
    })
  }
}
