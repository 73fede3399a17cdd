/**
 * Races (test plan T-2): N processes racing compare-and-append on one shard, plus one zombie
 * that never refreshes its expected upper; and N processes running the command line's `edit` on
 * one catalog. Every invoke and completion is recorded and checked: one winner per upper, no gap
 * or duplicate in the committed timestamps, every acknowledged write present, mismatches report a
 * current upper ≥ the expected one, and the history is linearizable.
 */
import { randomUUID } from 'node:crypto'
import type { JsonObject } from '../../../src/json/lossless-json.js'
import { decodeRow, keyLookup } from '../../../src/catalog/codec/row-codec.js'
import { catalogShardIds } from '../../../src/catalog/catalog-shards.js'
import { shardId } from '../../../src/store/shard-id.js'
import { openStore } from '../../../src/store/open-store.js'
import type { ShardStore } from '../../../src/store/shard-store.js'
import { checkUpperHistory, type HistoryOp } from '../lib/history.js'
import { row, type SuiteContext } from '../lib/context.js'
import { runCliProcess, Worker, type CliRun } from '../lib/processes.js'
import { latencyOf, type ScenarioRow } from '../lib/report.js'

interface WireOp {
  kind: 'read' | 'cas'
  process: number
  inv: number
  cmp: number
  value?: string
  expected?: string
  outcome?: 'ok' | 'mismatch'
  current?: string | null
  data?: string
}

export async function storeRaces(ctx: SuiteContext): Promise<ScenarioRow[]> {
  const rows: ScenarioRow[] = []
  for (const n of ctx.opts.raceProcesses) rows.push(await storeRace(ctx, n))
  return rows
}

async function storeRace(ctx: SuiteContext, n: number): Promise<ScenarioRow> {
  const started = performance.now()
  const path = ctx.path(`race-${n}.db`)
  const shard = shardId(randomUUID(), 1)
  const setup = await openStore(path, { create: true })
  await setup.openShard(shard, { shardName: 'race' })
  await setup.close()
  const quota = Math.ceil(ctx.opts.raceCommits / n)
  const workers = Array.from({ length: n }, (_, i) => new Worker('caa-worker.js', ['race', path, shard, String(quota), String(i)]))
  const zombie = new Worker('caa-worker.js', ['race', path, shard, String(Math.min(quota, 50)), String(n), 'zombie'])
  const all = [...workers, zombie]
  await Promise.all(all.map((w) => w.waitFor('ready')))
  for (const w of all) w.send({ type: 'go' })
  const reports = await Promise.all(all.map((w) => w.waitFor('history')))
  await Promise.all(all.map((w) => w.exited))

  const violations: string[] = []
  const store = await openStore(path, { readOnly: true })
  try {
    const final = (await store.fetchRecentUpper(shard)) ?? 0n
    const rowsAt = await committedRows(store, shard, final)
    const ops: HistoryOp[] = []
    let busy = 0
    let unknownCommitted = 0
    for (const r of reports) {
      busy += r.busy as number
      for (const o of r.ops as WireOp[]) ops.push(fromWire(o))
      for (const u of r.unknown as { inv: number; expected: string; data: string }[]) {
        const ts = [...rowsAt.entries()].find(([, d]) => d.includes(u.data))?.[0]
        if (ts !== undefined) {
          unknownCommitted++
          ops.push({ kind: 'cas', process: -1, inv: u.inv, cmp: Infinity, expected: ts, outcome: 'ok', data: u.data })
        }
      }
    }
    const oks = ops.filter((o): o is Extract<HistoryOp, { kind: 'cas' }> => o.kind === 'cas' && o.outcome === 'ok')
    let lost = 0
    for (const o of oks) if (!(rowsAt.get(o.expected) ?? []).includes(o.data ?? '')) lost++
    let partial = 0
    for (let ts = 0n; ts < final; ts++) {
      const at = rowsAt.get(ts) ?? []
      if (at.length !== 1) partial++
    }
    if (oks.length !== Number(final)) violations.push(`final upper ${final} but ${oks.length} acknowledged successes`)
    if (lost > 0) violations.push(`${lost} acknowledged appends missing`)
    if (partial > 0) violations.push(`${partial} timestamps without exactly one update (gap or duplicate)`)
    const lin = checkUpperHistory(ops, 0n, final)
    violations.push(...lin.problems)
    if (lin.mismatchBelowExpected > 0) violations.push(`${lin.mismatchBelowExpected} mismatches reported current < expected`)
    const integrity = await store.integrityCheck()
    if (integrity.length > 0) violations.push(`integrity: ${integrity[0]}`)
    const mismatches = ops.filter((o) => o.kind === 'cas' && o.outcome === 'mismatch').length
    const zombieOps = (reports[n]!.ops as WireOp[]).filter((o) => o.kind === 'cas')
    return row({
      scenario: `race: compare-and-append`,
      processes: `${n} + 1 zombie`,
      iterations: oks.length + mismatches,
      seed: ctx.opts.seed,
      successes: oks.length,
      mismatches,
      busySurfaced: busy,
      lostAckedCommits: lost,
      partialTxns: partial,
      integrityFailures: integrity.length > 0 ? 1 : 0,
      linearizable: lin.linearizable,
      latency: latencyOf(oks.filter((o) => Number.isFinite(o.cmp)).map((o) => (o.cmp - o.inv) / 1e6)),
      violations,
      notes: `${ops.length} ops checked in ${lin.checkMs.toFixed(0)} ms; zombie: ${zombieOps.filter((o) => o.outcome === 'ok').length} ok / ${zombieOps.length}${unknownCommitted > 0 ? `; ${unknownCommitted} unknown outcomes found committed` : ''}`,
      durationMs: performance.now() - started,
    })
  } finally {
    await store.close()
  }
}

/** ts → data of every update row at ts (the shard's full, unconsolidated contents). */
async function committedRows(store: ShardStore, shard: string, upper: bigint): Promise<Map<bigint, string[]>> {
  const out = new Map<bigint, string[]>()
  if (upper === 0n) return out
  for await (const u of store.snapshotStream(shard, upper - 1n, { keepTimestamps: true })) {
    for (let i = 0n; i < u.diff; i++) {
      const at = out.get(u.ts) ?? []
      at.push(u.data)
      out.set(u.ts, at)
    }
  }
  return out
}

function fromWire(o: WireOp): HistoryOp {
  if (o.kind === 'read') return { kind: 'read', process: o.process, inv: o.inv, cmp: o.cmp, value: BigInt(o.value!) }
  return {
    kind: 'cas',
    process: o.process,
    inv: o.inv,
    cmp: o.cmp,
    expected: BigInt(o.expected!),
    outcome: o.outcome!,
    current: o.current === undefined || o.current === null ? null : BigInt(o.current),
    ...(o.data === undefined ? {} : { data: o.data }),
  }
}

// ---- the command line's edit, racing ------------------------------------------------------------

export async function cliRaces(ctx: SuiteContext): Promise<ScenarioRow[]> {
  const rows: ScenarioRow[] = []
  for (const n of ctx.opts.cliProcesses) rows.push(await cliRace(ctx, n))
  return rows
}

interface EditRecord extends CliRun {
  readonly slot: number
  readonly key: string
  readonly value: string
}

async function cliRace(ctx: SuiteContext, n: number): Promise<ScenarioRow> {
  const started = performance.now()
  const { path, catalog } = await ctx.catalogCopy('v47')
  const shards = catalogShardIds(catalog.organizationId)
  const initialEpoch = await readEpoch(path, shards.catalog)
  const perSlot = Math.max(1, Math.ceil(ctx.opts.cliEdits / n))
  const records: EditRecord[] = []
  await Promise.all(
    Array.from({ length: n }, async (_, slot) => {
      for (let j = 0; j < perSlot; j++) {
        const key = j % 2 === 0 ? `race_${slot}` : 'race_shared'
        const value = `p${slot}-${j}`
        const r = await runCliProcess([
          '--store',
          path,
          'edit',
          'setting',
          JSON.stringify({ name: key }),
          JSON.stringify({ value }),
          '--yes',
        ])
        records.push({ ...r, slot, key, value })
      }
    }),
  )

  const violations: string[] = []
  const acked = records.filter((r) => r.code === 0)
  const busy = records.filter((r) => r.code === 5).length
  for (const r of records) {
    if (r.code !== 0 && r.code !== 5) violations.push(`edit exited ${r.code ?? r.signal}: ${r.stderr.trim().split('\n')[0]}`)
    if (/^\s+at /m.test(r.stderr)) violations.push('an edit printed a stack trace')
  }
  const store = await openStore(path, { readOnly: true })
  let partial = 0
  let lost = 0
  let linearizable = true
  try {
    const upper = (await store.fetchRecentUpper(shards.catalog))!
    const current = async (key: string): Promise<string[]> => {
      const [a, b] = keyLookup('Setting', { name: key })
      const rows = await store.snapshot(shards.catalog, upper - 1n, { where: { a, b } })
      return rows.flatMap((u) => {
        const d = decodeRow(u.data)
        const v = d.ok ? ((d.row.value as JsonObject).value as string) : `<undecodable ${u.data}>`
        return Array.from({ length: Number(u.diff) }, () => v)
      })
    }
    for (let slot = 0; slot < n; slot++) {
      const mine = records.filter((r) => r.slot === slot && r.key === `race_${slot}`)
      const lastAcked = [...mine].reverse().find((r) => r.code === 0)
      const now = await current(`race_${slot}`)
      if (now.length > 1) partial++
      if (lastAcked !== undefined && now[0] !== lastAcked.value) {
        // A later edit that failed may not have been applied; anything else is a lost update.
        lost++
        linearizable = false
        violations.push(`race_${slot} is ${JSON.stringify(now)}, but the last acknowledged edit set ${lastAcked.value}`)
      }
    }
    const shared = records.filter((r) => r.key === 'race_shared' && r.code === 0)
    if (shared.length > 0) {
      const now = await current('race_shared')
      if (now.length !== 1) partial++
      // The final value must come from an acknowledged edit that no other acknowledged edit followed.
      const maximal = shared.filter((a) => !shared.some((b) => b !== a && b.inv > a.cmp))
      if (!maximal.some((m) => m.value === now[0])) {
        linearizable = false
        violations.push(
          `race_shared is ${JSON.stringify(now)}, not the value of a last acknowledged edit (${maximal.map((m) => m.value).join(', ')})`,
        )
      }
    }
    const epochRows = await store.snapshot(shards.catalog, upper - 1n, { where: { a: 'Epoch' } })
    if (epochRows.length !== 1 || epochRows[0]!.diff !== 1n) {
      partial++
      violations.push(`${epochRows.length} current epoch rows`)
    }
    const finalEpoch = await readEpoch(path, shards.catalog, store)
    if (finalEpoch - initialEpoch !== BigInt(acked.length)) {
      violations.push(`the epoch moved ${finalEpoch - initialEpoch} times for ${acked.length} acknowledged edits`)
      if (finalEpoch - initialEpoch < BigInt(acked.length)) lost += acked.length - Number(finalEpoch - initialEpoch)
    }
    const integrity = await store.integrityCheck()
    if (integrity.length > 0) violations.push(`integrity: ${integrity[0]}`)
    return row({
      scenario: 'race: CLI edit',
      processes: n,
      iterations: records.length,
      seed: ctx.opts.seed,
      successes: acked.length,
      mismatches: null,
      busySurfaced: busy,
      lostAckedCommits: lost,
      partialTxns: partial,
      integrityFailures: integrity.length > 0 ? 1 : 0,
      linearizable,
      latency: latencyOf(records.map((r) => r.ms)),
      violations,
      notes: `half the edits on one shared key; epoch ${initialEpoch} → ${finalEpoch}`,
      durationMs: performance.now() - started,
    })
  } finally {
    await store.close()
  }
}

/** The current epoch, read from the store's rows (not through the code under test). */
async function readEpoch(path: string, shard: string, open?: ShardStore): Promise<bigint> {
  const store = open ?? (await openStore(path, { readOnly: true }))
  try {
    const upper = (await store.fetchRecentUpper(shard))!
    const rows = await store.snapshot(shard, upper - 1n, { where: { a: 'Epoch' } })
    const r = rows.length === 1 ? decodeRow(rows[0]!.data) : undefined
    if (r === undefined || !r.ok || r.row.kind !== 'Epoch') throw new Error(`cannot read the epoch: ${rows.length} rows`)
    return r.row.epoch
  } finally {
    if (open === undefined) await store.close()
  }
}
