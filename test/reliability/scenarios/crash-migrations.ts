/** SIGKILL during a writable open of a v42 catalog: every current row is exact at the catalog's version; the next open finishes. */
import { copyFileSync } from 'node:fs'
import type { JsonObject } from '../../../src/json/lossless-json.js'
import { decodeRow, rowLookup } from '../../../src/catalog/codec/row-codec.js'
import { catalogShardIds } from '../../../src/catalog/catalog-shards.js'
import { openUnopenedCatalog } from '../../../src/catalog/index.js'
import { openStore } from '../../../src/store/open-store.js'
import { row, removeStore, type SuiteContext } from '../lib/context.js'
import { Worker } from '../lib/processes.js'
import { latencyOf, type ScenarioRow } from '../lib/report.js'

export async function killMigrations(ctx: SuiteContext, kills: number): Promise<ScenarioRow> {
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
    if (recovered.version !== 47n || recovered.problems.length > 0)
      violations.push(`kill ${i}: after recovery v${recovered.version}: ${recovered.problems[0] ?? ''}`)
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
    notes: `killed within ${span.toFixed(0)} ms (one un-killed open); found at user_version ${[...versions.entries()]
      .sort()
      .map(([v, n]) => `${v}: ${n}`)
      .join(', ')}; every current row decodes exactly at its version; latency = recovery open`,
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
    const version = v?.ok === true ? ((v.row.value as JsonObject).value as bigint) : -1n
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
