/**
 * Crashes (test plan T-3, T-9): SIGKILL at a random moment during compare-and-appends, command-line
 * edits, migrations (a writable open of a v42 catalog) and online backups. Afterwards: the store
 * passes its integrity check, nothing acknowledged is lost, nothing is half-applied, and a retry
 * of the interrupted append with the same writer id and idempotency token reports success exactly
 * when the append had committed.
 */
import { randomUUID } from 'node:crypto'
import { existsSync, readdirSync, copyFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { JsonObject } from '../../../src/catalog/codec/json.js'
import { decodeRow, keyLookup, rowLookup } from '../../../src/catalog/codec/row-codec.js'
import { catalogShardIds } from '../../../src/catalog/catalog-shards.js'
import { openUnopenedCatalog } from '../../../src/catalog/index.js'
import { shardId } from '../../../src/store/shard-id.js'
import { openStore } from '../../../src/store/open-store.js'
import type { ShardStore } from '../../../src/store/shard-store.js'
import { sha256File } from '../../helpers/tmp.js'
import { median } from '../../../bench/measure.js'
import { row, removeStore, SuiteContext } from '../lib/context.js'
import { runCliProcess, Worker, type WorkerMessage } from '../lib/processes.js'
import { latencyOf, type ScenarioRow } from '../lib/report.js'

/** Shares of REL_KILLS: appends, CLI edits, migrations, backups. */
const SHARES = { appends: 0.4, edits: 0.25, migrations: 0.2, backups: 0.15 } as const

export async function crashScenarios(ctx: SuiteContext): Promise<ScenarioRow[]> {
  const k = (share: number): number => Math.max(1, Math.round(ctx.opts.kills * share))
  return [
    await killAppends(ctx, k(SHARES.appends)),
    await killEdits(ctx, k(SHARES.edits)),
    await killMigrations(ctx, k(SHARES.migrations)),
    await killBackups(ctx, k(SHARES.backups)),
  ]
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

// ---- compare-and-append -------------------------------------------------------------------------

async function killAppends(ctx: SuiteContext, kills: number): Promise<ScenarioRow> {
  const started = performance.now()
  const rng = ctx.rng('crash-appends')
  const violations: string[] = []
  let lost = 0
  let partial = 0
  let integrityFailures = 0
  let acked = 0
  let inFlight = 0
  let inFlightCommitted = 0
  const recoveryMs: number[] = []
  let path = ''
  let shard = ''
  for (let i = 0; i < kills; i++) {
    // A fresh store every 100 kills keeps each check's scan short.
    if (i % 100 === 0) {
      if (path !== '') removeStore(path)
      path = ctx.path('crash-appends.db')
      shard = shardId(randomUUID(), 1)
      const s = await openStore(path, { create: true })
      await s.openShard(shard, { shardName: 'crash' })
      await s.close()
    }
    const w = new Worker('caa-worker.js', ['crash', path, shard, String(i), String(rng.int(0, 2 ** 30))])
    await w.waitFor('ready')
    await sleep(rng.next() * 50)
    w.kill()
    await w.exited
    const t0 = performance.now()
    const store = await openStore(path, { busyTimeoutMs: 30_000 })
    recoveryMs.push(performance.now() - t0)
    try {
      const invokes = new Map<number, WorkerMessage>()
      const acks = new Set<number>()
      for (const m of w.messages) {
        if (m.type === 'invoke') invokes.set(m['seq'] as number, m)
        if (m.type === 'ack' && m['ok'] === true) acks.add(m['seq'] as number)
      }
      const present = await batchCounts(store, shard, `b${i}-`)
      for (const [seq, inv] of invokes) {
        const n = inv['n'] as number
        const have = present.get(seq) ?? 0
        if (have !== 0 && have !== n) {
          partial++
          violations.push(`kill ${i}: batch ${seq} has ${have} of ${n} updates`)
        }
        if (acks.has(seq)) {
          acked++
          if (have !== n) {
            lost++
            violations.push(`kill ${i}: acknowledged batch ${seq} missing`)
          }
          continue
        }
        // The interrupted append: retrying it with the same writer and token must succeed, as
        // "already committed" exactly when it had committed.
        inFlight++
        if (have === n) inFlightCommitted++
        const expected = BigInt(inv['expected'] as string)
        const updates = Array.from({ length: n }, (_, k) => ({ data: `b${i}-${seq}-${k}/${n}`, ts: expected, diff: 1n }))
        const res = await store.compareAndAppend(shard, updates, expected, expected + 1n, { writerId: inv['writerId'] as string, idempotencyToken: inv['token'] as string })
        if (have === n && !(res.ok && res.alreadyCommitted)) violations.push(`kill ${i}: retrying committed batch ${seq} did not report already-committed (${JSON.stringify(res, bigintJson)})`)
        if (have === 0 && res.ok && res.alreadyCommitted) violations.push(`kill ${i}: retrying uncommitted batch ${seq} reported already-committed`)
      }
      for (const [seq, have] of present) if (!invokes.has(seq)) violations.push(`kill ${i}: batch ${seq} (${have} updates) was never announced`)
      const problems = await store.integrityCheck()
      if (problems.length > 0) {
        integrityFailures++
        violations.push(`kill ${i}: integrity: ${problems[0]}`)
      }
    } finally {
      await store.close()
    }
  }
  removeStore(path)
  return row({
    scenario: 'crash: kill -9 during compare-and-append',
    processes: 1,
    iterations: kills,
    seed: ctx.opts.seed,
    successes: acked,
    lostAckedCommits: lost,
    partialTxns: partial,
    integrityFailures,
    latency: latencyOf(recoveryMs),
    violations,
    notes: `kill 0–50 ms after the writer was ready; ${inFlight} kills caught an append in flight (${inFlightCommitted} of them had committed; each retried with its token); latency = recovery open`,
    durationMs: performance.now() - started,
  })
}

/** Updates present per batch sequence number, for batches whose rows start with `prefix`. */
async function batchCounts(store: ShardStore, shard: string, prefix: string): Promise<Map<number, number>> {
  const out = new Map<number, number>()
  const upper = await store.fetchRecentUpper(shard)
  if (upper === null || upper === 0n) return out
  for await (const u of store.snapshotStream(shard, upper - 1n, { keepTimestamps: true })) {
    if (!u.data.startsWith(prefix)) continue
    const seq = Number(u.data.slice(prefix.length).split('-')[0])
    out.set(seq, (out.get(seq) ?? 0) + Number(u.diff))
  }
  return out
}

function bigintJson(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v
}

// ---- the command line's edit ---------------------------------------------------------------------

async function killEdits(ctx: SuiteContext, kills: number): Promise<ScenarioRow> {
  const started = performance.now()
  const rng = ctx.rng('crash-edits')
  const { path, catalog } = await ctx.catalogCopy('v47')
  const shard = catalogShardIds(catalog.organizationId).catalog
  const edit = (value: string, killAfterMs?: number) =>
    runCliProcess(['--store', path, 'edit', 'setting', '{"name":"crash_edit"}', JSON.stringify({ value }), '--yes'], killAfterMs === undefined ? {} : { killAfterMs })
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
    if (!changed && after.value !== before.value) violations.push(`kill ${i}: the value became ${after.value}, neither the old ${before.value} nor ${value}`)
    // An edit retracts the old value, inserts the new one and bumps the epoch in one append.
    const epochMoved = after.epoch - before.epoch
    if (after.values !== 1 || after.epochs !== 1 || epochMoved !== (changed ? 1n : 0n)) {
      partial++
      violations.push(`kill ${i}: ${after.values} current values, ${after.epochs} epoch rows, epoch moved by ${epochMoved} (value ${changed ? '' : 'un'}changed)`)
    }
    if (after.integrity.length > 0) {
      integrityFailures++
      violations.push(`kill ${i}: integrity: ${after.integrity[0]}`)
    }
    if (r.code !== 0 && r.signal === null && r.code !== 5) violations.push(`kill ${i}: edit exited ${r.code}: ${r.stderr.trim().split('\n')[0]}`)
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
      value: s?.ok === true ? ((s.row.value as JsonObject)['value'] as string) : null,
      values: settings.reduce((n, u) => n + Number(u.diff), 0),
      epoch: e?.ok === true && e.row.kind === 'Epoch' ? e.row.epoch : -1n,
      epochs: epochs.reduce((n, u) => n + Number(u.diff), 0),
      integrity: await store.integrityCheck(),
    }
  } finally {
    await store.close()
  }
}

// ---- migrations (writable open of a v42 catalog) --------------------------------------------------

async function killMigrations(ctx: SuiteContext, kills: number): Promise<ScenarioRow> {
  const started = performance.now()
  const rng = ctx.rng('crash-migrations')
  const template = await ctx.catalog('v42')
  const org = template.organizationId
  const shard = catalogShardIds(org).catalog
  const migrate = async (path: string, killAfterMs?: number): Promise<{ done: boolean; ms: number }> => {
    const w = new Worker('catalog-worker.js', ['migrate', path, org])
    await w.waitFor('ready')
    const t0 = performance.now()
    if (killAfterMs !== undefined) setTimeout(() => w.kill(), killAfterMs)
    const exit = await w.exited
    const done = w.messages.some((m) => m.type === 'done')
    if (!done && exit.signal === null) throw new Error(`migration worker failed: ${w.stderr.trim().split('\n').slice(-2).join(' | ')}`)
    return { done, ms: performance.now() - t0 }
  }
  const violations: string[] = []
  const calibrationPath = ctx.path('migrate-calibration.db')
  copyFileSync(template.storePath, calibrationPath)
  const span = (await migrate(calibrationPath)).ms
  removeStore(calibrationPath)
  let lost = 0
  let partial = 0
  let integrityFailures = 0
  let completed = 0
  const versions = new Map<string, number>()
  const recoveryMs: number[] = []
  for (let i = 0; i < kills; i++) {
    const path = ctx.path('migrate.db')
    copyFileSync(template.storePath, path)
    const r = await migrate(path, rng.next() * span * 1.1)
    if (r.done) completed++
    const state = await migrationState(path, shard)
    versions.set(String(state.version), (versions.get(String(state.version)) ?? 0) + 1)
    if (r.done && state.version !== 47n) {
      lost++
      violations.push(`kill ${i}: the open finished but user_version is ${state.version}`)
    }
    if (state.problems.length > 0) {
      partial++
      violations.push(`kill ${i} (at v${state.version}): ${state.problems[0]}`)
    }
    if (state.integrity.length > 0) {
      integrityFailures++
      violations.push(`kill ${i}: integrity: ${state.integrity[0]}`)
    }
    // Recovery: the next writable open finishes the job.
    const t0 = performance.now()
    const store = await openStore(path, { lookup: rowLookup })
    try {
      await (await openUnopenedCatalog(store, org)).openWritable()
    } catch (err) {
      violations.push(`kill ${i}: the recovery open failed: ${(err as Error).message}`)
    } finally {
      await store.close()
    }
    recoveryMs.push(performance.now() - t0)
    const recovered = await migrationState(path, shard)
    if (recovered.version !== 47n || recovered.problems.length > 0) violations.push(`kill ${i}: after recovery v${recovered.version}: ${recovered.problems[0] ?? ''}`)
    removeStore(path)
  }
  return row({
    scenario: 'crash: kill -9 during migration (v42 → v47)',
    processes: 1,
    iterations: kills,
    seed: ctx.opts.seed,
    successes: completed,
    lostAckedCommits: lost,
    partialTxns: partial,
    integrityFailures,
    latency: latencyOf(recoveryMs),
    violations,
    notes: `killed within ${span.toFixed(0)} ms (one un-killed open); found at user_version ${[...versions.entries()].sort().map(([v, n]) => `${v}: ${n}`).join(', ')}; every current row decodes exactly at its version; latency = recovery open`,
    durationMs: performance.now() - started,
  })
}

/** The catalog's user_version and whether every current row is an exact row of that version. */
async function migrationState(path: string, shard: string): Promise<{ version: bigint; problems: string[]; integrity: string[] }> {
  const store = await openStore(path, { readOnly: true })
  try {
    const upper = (await store.fetchRecentUpper(shard))!
    const current = await store.snapshot(shard, upper - 1n)
    const problems: string[] = []
    const versions = current.filter((u) => rowLookup(u.data)[0] === 'Config' && rowLookup(u.data)[1] === '{"key":"user_version"}')
    if (versions.length !== 1 || versions[0]!.diff !== 1n) problems.push(`${versions.length} current user_version rows`)
    const v = versions.length === 1 ? decodeRow(versions[0]!.data) : undefined
    const version = v?.ok === true ? ((v.row.value as JsonObject)['value'] as bigint) : -1n
    for (const u of current) {
      if (u.diff !== 1n) problems.push(`a row with multiplicity ${u.diff}: ${u.data.slice(0, 80)}`)
      if (version < 42n) break
      const d = decodeRow(u.data, Number(version), { strict: true })
      if (!d.ok) {
        problems.push(`not an exact v${version} row: ${d.reason}`)
        break
      }
    }
    return { version, problems, integrity: await store.integrityCheck() }
  } finally {
    await store.close()
  }
}

// ---- online backup ----------------------------------------------------------------------------------

async function killBackups(ctx: SuiteContext, kills: number): Promise<ScenarioRow> {
  const started = performance.now()
  const rng = ctx.rng('crash-backups')
  const { path, catalog } = await ctx.catalogCopy('v47')
  const sourceHash = sha256File(path)
  const backup = async (target: string, killAfterMs?: number): Promise<{ done: boolean; ms: number }> => {
    const w = new Worker('catalog-worker.js', ['backup', path, target])
    await w.waitFor('ready')
    const t0 = performance.now()
    if (killAfterMs !== undefined) setTimeout(() => w.kill(), killAfterMs)
    const exit = await w.exited
    const done = w.messages.some((m) => m.type === 'done')
    if (!done && exit.signal === null) throw new Error(`backup worker failed: ${w.stderr.trim().split('\n').slice(-2).join(' | ')}`)
    return { done, ms: performance.now() - t0 }
  }
  const dir = ctx.dir('backups')
  const span = (await backup(join(dir, 'calibration.db'))).ms
  const violations: string[] = []
  let completed = 0
  let partialLeft = 0
  let lost = 0
  let integrityFailures = 0
  let complete = 0
  for (let i = 0; i < kills; i++) {
    const target = join(dir, `backup-${i}.db`)
    const r = await backup(target, rng.next() * span)
    if (r.done) completed++
    if (existsSync(target)) {
      complete++
      const problems = await backupProblems(target, catalog.organizationId, path)
      if (problems.length > 0) {
        integrityFailures++
        violations.push(`kill ${i}: the backup at its final name is not a good copy: ${problems[0]}`)
      }
    } else if (r.done) {
      lost++
      violations.push(`kill ${i}: the backup finished but ${basename(target)} is missing`)
    }
    partialLeft += readdirSync(dirname(target)).filter((f) => f.startsWith(`backup-${i}.db.partial`)).length
    removeStore(target)
  }
  if (sha256File(path) !== sourceHash) violations.push('the source store changed during the backups')
  removeStore(path)
  return row({
    scenario: 'crash: kill -9 during backup',
    processes: 1,
    iterations: kills,
    seed: ctx.opts.seed,
    successes: completed,
    lostAckedCommits: lost,
    partialTxns: 0,
    integrityFailures,
    violations,
    notes: `killed within ${span.toFixed(0)} ms; ${complete} backups reached their final name (all verified), ${partialLeft} partial files left under a \`.partial-<pid>\` name; source unchanged (hash)`,
    durationMs: performance.now() - started,
  })
}

/** A finished backup must pass the integrity check and hold the source's shards at the same uppers. */
async function backupProblems(target: string, _org: string, source: string): Promise<string[]> {
  const b = await openStore(target, { readOnly: true })
  const s = await openStore(source, { readOnly: true })
  try {
    const problems = await b.integrityCheck()
    const want = (await s.listShards()).map((x) => `${x.shardId}@${x.upper}`).join(',')
    const got = (await b.listShards()).map((x) => `${x.shardId}@${x.upper}`).join(',')
    if (want !== got) problems.push(`shards ${got} instead of ${want}`)
    return problems
  } finally {
    await b.close()
    await s.close()
  }
}
