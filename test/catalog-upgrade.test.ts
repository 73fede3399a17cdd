/**
 * Catalog migrations v42 → v47: each step on before/after data, writable upgrades (one
 * compare-and-append per step, retractions cancelling the stored bytes), savepoint upgrades (in
 * memory), version refusals, and `upgradeCheck`.
 */

import { strict as assert } from 'node:assert'
import { test } from 'node:test'
import { CatalogDebugError, IncompatibleCatalogVersionError } from '../src/errors.js'
import { canonicalJson, parseJson, type JsonObject } from '../src/json/lossless-json.js'
import { openUnopenedCatalog, upgradeCheck } from '../src/catalog/index.js'
import type { OldRow } from '../src/catalog/upgrade/migration.js'
import { v42ToV43 } from '../src/catalog/upgrade/v42-to-v43.js'
import { v43ToV44 } from '../src/catalog/upgrade/v43-to-v44.js'
import { v44ToV45 } from '../src/catalog/upgrade/v44-to-v45.js'
import { v45ToV46 } from '../src/catalog/upgrade/v45-to-v46.js'
import { v46ToV47 } from '../src/catalog/upgrade/v46-to-v47.js'
import { collect, TEST_ORG, tempStore, type TempStore } from './helpers/catalog-store.js'
import { freshRows, legacyCluster, toLegacyRows, writeCatalogRows } from './helpers/catalog-legacy.js'

function oldRow(text: string): OldRow {
  const r = parseJson(text) as JsonObject
  return { kind: r.kind as OldRow['kind'], key: r.key as JsonObject, value: r.value ?? null, text }
}

const MANAGED_V46 =
  '{"key":{"id":{"value":{"User":1}}},"kind":"Cluster","value":{"config":{"variant":{"Managed":{"availability_zones":[],"disk":false,"idle_arrangement_merge_effort":null,"logging":{"interval":{"nanos":0,"secs":1},"log_logging":false},"replication_factor":1,"size":"1"}}},"name":"quickstart","owner_id":{"value":{"System":1}},"privileges":[]}}'
const UNMANAGED_V46 =
  '{"key":{"id":{"value":{"User":2}}},"kind":"Cluster","value":{"config":{"variant":{"Unmanaged":{}}},"name":"legacy","owner_id":{"value":{"User":1}},"privileges":[]}}'

test('v42 → v43 and v43 → v44 change no data', () => {
  const rows = [oldRow(MANAGED_V46)]
  assert.deepEqual(v42ToV43.migrate(rows), [])
  assert.deepEqual(v43ToV44.migrate(rows), [])
})

test('v44 → v45 moves config_has_synced_once to system_config_synced', () => {
  const sc = (v: string): OldRow =>
    oldRow(`{"key":{"name":"config_has_synced_once"},"kind":"ServerConfiguration","value":{"value":"${v}"}}`)
  const other = oldRow('{"key":{"name":"max_tables"},"kind":"ServerConfiguration","value":{"value":"200"}}')
  const insert = (value: bigint) => ({ action: 'insert', row: { kind: 'Config', key: { key: 'system_config_synced' }, value: { value } } })
  assert.deepEqual(v44ToV45.migrate([other, sc('on')]), [{ action: 'delete', row: sc('on') }, insert(1n)])
  assert.deepEqual(v44ToV45.migrate([sc('off')]), [{ action: 'delete', row: sc('off') }, insert(0n)])
  assert.deepEqual(v44ToV45.migrate([other]), [insert(0n)])
})

test('v45 → v46 drops linked_object_id from every cluster', () => {
  const m45 = parseJson(MANAGED_V46) as JsonObject
  legacyCluster(m45.value as JsonObject, 45)
  const u45 = parseJson(UNMANAGED_V46) as JsonObject
  legacyCluster(u45.value as JsonObject, 45)
  const actions = v45ToV46.migrate([oldRow(canonicalJson(m45)), oldRow(canonicalJson(u45))])
  assert.equal(actions.length, 2)
  for (const a of actions) {
    assert.equal(a.action, 'update')
    if (a.action !== 'update') continue
    assert.equal('linked_object_id' in (a.before.value as JsonObject), true)
    assert.equal('linked_object_id' in (a.after as JsonObject), false)
  }
})

test('v46 → v47 adds empty optimizer_feature_overrides to managed clusters only', () => {
  const noConfig = oldRow(
    '{"key":{"id":{"value":{"User":3}}},"kind":"Cluster","value":{"config":null,"name":"odd","owner_id":null,"privileges":[]}}',
  )
  const actions = v46ToV47.migrate([oldRow(MANAGED_V46), oldRow(UNMANAGED_V46), noConfig])
  assert.equal(actions.length, 1)
  const a = actions[0]!
  assert.equal(a.action, 'update')
  if (a.action === 'update') {
    const managed = ((a.after as JsonObject).config as JsonObject).variant as JsonObject
    assert.deepEqual((managed.Managed as JsonObject).optimizer_feature_overrides, [])
  }
})

async function legacyStore(
  name: string,
  version: number,
  opts: Parameters<typeof toLegacyRows>[2] = {},
  rows?: string[],
): Promise<TempStore> {
  const t = tempStore(name)
  const s = await t.open()
  await writeCatalogRows(s, TEST_ORG, rows ?? toLegacyRows(await freshRows(), version, opts))
  await s.close()
  return t
}

test('writable upgrade from v42: one compare-and-append per step, ending at the fresh v47 contents', async () => {
  const t = await legacyStore('up42', 42, { syncedOnce: 'off' })
  const store = await t.open()
  try {
    const unopened = await openUnopenedCatalog(store, TEST_ORG)
    const catalog = await unopened.openWritable()
    assert.equal(catalog.epoch, 3n)
    assert.deepEqual(
      catalog.upgradeSteps.map((s) => [s.from, s.to]),
      [
        [42, 43],
        [43, 44],
        [44, 45],
        [45, 46],
        [46, 47],
      ],
    )
    assert.deepEqual(catalog.upgradeSteps[0]!.changes, [])
    assert.deepEqual(
      catalog.upgradeSteps[2]!.changes.map((c) => [c.action, c.collection]),
      [
        ['delete', 'system_configuration'],
        ['insert', 'config'],
      ],
    )
    assert.deepEqual(
      catalog.upgradeSteps[3]!.changes.map((c) => [c.action, c.collection]),
      [['update', 'compute_instance']],
    )
    // Epoch fence at ts 3, then the five steps at 4..8.
    assert.equal(catalog.upper, 9n)
    const consolidated = await store.snapshot(catalog.shards.catalog, 8n)
    const expected = new Set(await freshRows())
    const actual = consolidated.filter((u) => !u.data.includes('"kind":"Epoch"'))
    assert.ok(actual.every((u) => u.diff === 1n))
    assert.deepEqual(new Set(actual.map((u) => u.data)), expected)

    // The unconsolidated config trace shows the stack of user_version updates, one step per ts.
    const versions = (await collect(unopened.trace('config', { consolidated: false })))
      .filter((e) => e.type === 'row' && (e.key as JsonObject).key === 'user_version')
      .map((e) => (e.type === 'row' ? [(e.value as JsonObject).value as bigint, e.ts, e.diff] : []))
    assert.deepEqual(
      versions,
      [
        [42n, 2n, 1n],
        [42n, 4n, -1n],
        [43n, 4n, 1n],
        [43n, 5n, -1n],
        [44n, 5n, 1n],
        [44n, 6n, -1n],
        [45n, 6n, 1n],
        [45n, 7n, -1n],
        [46n, 7n, 1n],
        [46n, 8n, -1n],
        [47n, 8n, 1n],
      ].sort((a, b) => Number(a[1]! - b[1]!) || Number(a[2]! - b[2]!)),
    )
    // Old cluster rows (retracted) still read as rows, with the schema of their version.
    const clusters = await collect(unopened.trace('compute_instance', { consolidated: false }))
    assert.equal(clusters.length, 5)
    assert.ok(clusters.every((e) => e.type === 'row'))
    assert.deepEqual(clusters.map((e) => (e.type === 'row' ? (e.decodedWith ?? 47) : 0)).sort(), [45, 45, 46, 46, 47])
  } finally {
    await store.close()
    t.cleanup()
  }
})

test('retractions reproduce the stored bytes, even of a non-canonical row', async () => {
  const rows = toLegacyRows(await freshRows(), 46).map((r) => (r.includes('"kind":"Cluster"') ? r.replace(/,/g, ', ') : r))
  const t = await legacyStore('bytes', 46, {}, rows)
  const store = await t.open()
  try {
    const catalog = await (await openUnopenedCatalog(store, TEST_ORG)).openWritable()
    const clusterRows = await store.snapshot(catalog.shards.catalog, catalog.upper - 1n, { where: { a: 'Cluster' } })
    assert.equal(clusterRows.length, 1)
    assert.equal(clusterRows[0]!.diff, 1n)
    assert.ok(clusterRows[0]!.data.includes('"optimizer_feature_overrides":[]'))
  } finally {
    await store.close()
    t.cleanup()
  }
})

test('v44 with config_has_synced_once "on" ends with system_config_synced = 1', async () => {
  const t = await legacyStore('on', 44, { syncedOnce: 'on' })
  const store = await t.open()
  try {
    const catalog = await (await openUnopenedCatalog(store, TEST_ORG)).openWritable()
    assert.equal(catalog.state.config('system_config_synced'), 1n)
    assert.deepEqual(catalog.collection('system_configuration'), [])
  } finally {
    await store.close()
    t.cleanup()
  }
})

test('catalog versions outside 42..47 are refused', async () => {
  for (const version of [41, 48]) {
    const t = await legacyStore(`v${version}`, version)
    const store = await t.open()
    try {
      const message = `incompatible Catalog version ${version}, minimum: 42, current: 47`
      const unopened = await openUnopenedCatalog(store, TEST_ORG)
      await assert.rejects(unopened.openSavepoint(), (e: unknown) => e instanceof IncompatibleCatalogVersionError && e.message === message)
      const before = t.hash()
      const report = await upgradeCheck(unopened)
      assert.equal(report.ok, false)
      assert.equal(report.fromVersion, BigInt(version))
      assert.deepEqual(report.errors, [message])
      assert.equal(t.hash(), before)
      // Read-only opens do not migrate, so they still work.
      assert.equal((await unopened.openReadOnly()).userVersion, BigInt(version))
      // A writable open is refused before it bumps the epoch: a running environment is not fenced.
      await assert.rejects(unopened.openWritable(), IncompatibleCatalogVersionError)
      assert.equal(await unopened.epoch(), 2n)
      assert.equal(t.hash(), before)
    } finally {
      await store.close()
      t.cleanup()
    }
  }
})

test('a row a step cannot decode with its version stops the migration', async () => {
  const bad = '{"key":{"id":{"value":{"User":9}}},"kind":"Cluster","value":{"name":7}}'
  const t = await legacyStore('bad', 46, {}, [...toLegacyRows(await freshRows(), 46), bad])
  const store = await t.open()
  try {
    const unopened = await openUnopenedCatalog(store, TEST_ORG)
    await assert.rejects(unopened.openSavepoint(), (e: unknown) => e instanceof CatalogDebugError && e.code === 'invalid-catalog-data')
    const report = await upgradeCheck(unopened)
    assert.equal(report.ok, false)
    assert.match(report.errors[0]!, /^invalid catalog data persisted: a Cluster row does not decode as catalog version 46: value.name/)
  } finally {
    await store.close()
    t.cleanup()
  }
})

test('upgradeCheck: migrations in memory, a report of every change, nothing committed', async () => {
  const t = await legacyStore('check', 44, { syncedOnce: 'on' })
  const store = await t.open()
  try {
    const unopened = await openUnopenedCatalog(store, TEST_ORG)
    const before = t.hash()
    let clock = 1000
    const report = await upgradeCheck(unopened, { now: () => (clock += 5) })
    assert.equal(report.ok, true, report.errors.join('\n'))
    assert.equal(report.fromVersion, 44n)
    assert.equal(report.toVersion, 47)
    assert.equal(report.buildVersion, '0.91.0')
    assert.equal(report.durationMs, 5)
    assert.deepEqual(
      report.steps.map((s) => [s.from, s.to, s.changes.length]),
      [
        [44, 45, 2],
        [45, 46, 1],
        [46, 47, 1],
      ],
    )
    const [del, ins] = report.steps[0]!.changes
    assert.deepEqual(del, {
      action: 'delete',
      collection: 'system_configuration',
      key: { name: 'config_has_synced_once' },
      before: { value: 'on' },
      after: null,
    })
    assert.deepEqual(ins, {
      action: 'insert',
      collection: 'config',
      key: { key: 'system_config_synced' },
      before: null,
      after: { value: 1n },
    })
    assert.equal(await unopened.userVersion(), 44n)
    assert.equal(await unopened.epoch(), 2n)

    const sized = await upgradeCheck(unopened, { replicaSizes: { '1': {}, '2': {} } })
    assert.equal(sized.ok, true)
    const missing = await upgradeCheck(unopened, { replicaSizes: { xsmall: {} } })
    assert.equal(missing.ok, false)
    assert.deepEqual(missing.errors, [
      `cluster u1 'quickstart' uses unknown replica size "1"`,
      `replica u1 'r1' uses unknown replica size "1"`,
    ])
    await store.close()
    assert.equal(t.hash(), before)
  } finally {
    t.cleanup()
  }
})

test('upgradeCheck of an uninitialised catalog reports it', async () => {
  const t = tempStore('check-empty')
  const store = await t.open()
  try {
    const report = await upgradeCheck(await openUnopenedCatalog(store, TEST_ORG))
    assert.equal(report.ok, false)
    assert.equal(report.fromVersion, null)
    assert.deepEqual(report.errors, ['catalog tables do not exist; will not create in Savepoint mode'])
  } finally {
    await store.close()
    t.cleanup()
  }
})
