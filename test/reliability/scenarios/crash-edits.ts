/** SIGKILL during the command line's `edit`: the edit is all or nothing (value and epoch move together). */
import type { JsonObject } from '../../../src/json/lossless-json.js'
import { decodeRow, keyLookup } from '../../../src/catalog/codec/row-codec.js'
import { catalogShardIds } from '../../../src/catalog/catalog-shards.js'
import { openStore } from '../../../src/store/open-store.js'
import { median } from '../../../bench/measure.js'
import { row, removeStore, type SuiteContext } from '../lib/context.js'
import { runCliProcess } from '../lib/processes.js'
import { latencyOf, type ScenarioRow } from '../lib/report.js'

export async function killEdits(ctx: SuiteContext, kills: number): Promise<ScenarioRow> {
  const started = performance.now()
  const rng = ctx.rng('crash-edits')
  const { path, catalog } = await ctx.catalogCopy('v47')
  const shard = catalogShardIds(catalog.organizationId).catalog
  const edit = (value: string, killAfterMs?: number) =>
    runCliProcess(
      ['--store', path, 'edit', 'setting', '{"name":"crash_edit"}', JSON.stringify({ value }), '--yes'],
      killAfterMs === undefined ? {} : { killAfterMs },
    )
  // How long an edit takes here, so kills land anywhere in it.
  const calibration = [await edit('calibrate-0')]
  if (ctx.opts.quick !== true) calibration.push(await edit('calibrate-1'), await edit('calibrate-2'))
  const violations: string[] = []
  for (const c of calibration) if (c.code !== 0) violations.push(`calibration edit exited ${c.code}: ${c.stderr.trim().split('\n')[0]}`)
  const span = median(calibration.map((c) => c.ms))
  let lost = 0
  let partial = 0
  let integrityFailures = 0
  let completed = 0
  let applied = 0
  let before = await catalogState(path, shard)
  for (let i = 0; i < kills; i++) {
    const value = `v${i}`
    const r = await edit(value, span * (0.4 + rng.next() * 0.7))
    const after = await catalogState(path, shard)
    const changed = after.value === value
    if (r.code === 0) completed++
    if (changed) applied++
    if (r.code === 0 && !changed) {
      lost++
      violations.push(`kill ${i}: the edit exited 0 but the value is ${after.value}`)
    }
    if (!changed && after.value !== before.value)
      violations.push(`kill ${i}: the value became ${after.value}, neither the old ${before.value} nor ${value}`)
    // An edit retracts the old value, inserts the new one and bumps the epoch in one append.
    const epochMoved = after.epoch - before.epoch
    if (after.values !== 1 || after.epochs !== 1 || epochMoved !== (changed ? 1n : 0n)) {
      partial++
      violations.push(
        `kill ${i}: ${after.values} current values, ${after.epochs} epoch rows, epoch moved by ${epochMoved} (value ${changed ? '' : 'un'}changed)`,
      )
    }
    if (after.integrity.length > 0) {
      integrityFailures++
      violations.push(`kill ${i}: integrity: ${after.integrity[0]}`)
    }
    if (r.code !== 0 && r.signal === null && r.code !== 5)
      violations.push(`kill ${i}: edit exited ${r.code}: ${r.stderr.trim().split('\n')[0]}`)
    before = after
  }
  removeStore(path)
  return row({
    scenario: 'crash: kill -9 during CLI edit',
    processes: 1,
    iterations: kills,
    seed: ctx.opts.seed,
    successes: completed,
    lostAckedCommits: lost,
    partialTxns: partial,
    integrityFailures,
    latency: latencyOf(calibration.map((c) => c.ms)),
    violations,
    notes: `kill at 40–110% of an edit's duration (median ${span.toFixed(0)} ms, mostly node start-up); ${applied} edits took effect, ${completed} finished before the kill; latency = un-killed edits`,
    durationMs: performance.now() - started,
  })
}

interface CatalogSnapshot {
  readonly value: string | null
  readonly values: number
  readonly epoch: bigint
  readonly epochs: number
  readonly integrity: string[]
}

/** The `crash_edit` setting and the epoch, read straight from the store's rows. */
async function catalogState(path: string, shard: string): Promise<CatalogSnapshot> {
  const store = await openStore(path, { readOnly: true })
  try {
    const upper = (await store.fetchRecentUpper(shard))!
    const [a, b] = keyLookup('Setting', { name: 'crash_edit' })
    const settings = await store.snapshot(shard, upper - 1n, { where: { a, b } })
    const epochs = await store.snapshot(shard, upper - 1n, { where: { a: 'Epoch' } })
    const s = settings.length === 1 ? decodeRow(settings[0]!.data) : undefined
    const e = epochs.length === 1 ? decodeRow(epochs[0]!.data) : undefined
    return {
      value: s?.ok === true ? ((s.row.value as JsonObject).value as string) : null,
      values: settings.reduce((n, u) => n + Number(u.diff), 0),
      epoch: e?.ok === true && e.row.kind === 'Epoch' ? e.row.epoch : -1n,
      epochs: epochs.reduce((n, u) => n + Number(u.diff), 0),
      integrity: await store.integrityCheck(),
    }
  } finally {
    await store.close()
  }
}
