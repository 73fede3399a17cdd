/**
 * Streamed diff, import and verify (issue 13) give what the whole-contents versions give.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { contentsFromStore, diff, diffCatalogs } from '../../src/catalog/diff/index.js'
import { exportCatalog, importFixture, linesToText, textLines } from '../../src/catalog/fixture/index.js'
import { verifyStore } from '../../src/catalog/verify/verify.js'
import { runPrefix } from '../../src/catalog/codec/row-prefix.js'
import { CATALOG_SEED, shardId } from '../../src/store/shard-id.js'
import type { ShardStore, Update } from '../../src/store/shard-store.js'
import { FRESH_ROWS, newMemoryStore, seedCatalog, settingRow, TEST_ORG } from '../helpers/fixture-testing.js'

const SHARD = shardId(TEST_ORG, CATALOG_SEED)

async function appendAtUpper(store: ShardStore, rows: readonly [string, bigint][]): Promise<void> {
  const upper = (await store.fetchRecentUpper(SHARD)) as bigint
  const updates: Update[] = rows.map(([data, diff]) => ({ data, ts: upper, diff }))
  assert.equal((await store.compareAndAppend(SHARD, updates, upper, upper + 1n)).ok, true)
}

test('runPrefix groups the rows of one (key, kind) and leaves other shapes alone', () => {
  assert.equal(runPrefix('{"key":{"id":1},"kind":"Item","value":{}}'), '{"key":{"id":1},"kind":"Item"')
  assert.equal(runPrefix('{"key":"a,b}","kind":"Setting","value":1}'), '{"key":"a,b}","kind":"Setting"')
  assert.equal(runPrefix('{"key":{"s":"x\\"}"},"kind":"Role"}'), '{"key":{"s":"x\\"}"},"kind":"Role"')
  assert.equal(runPrefix('{"epoch":2,"kind":"Epoch"}'), undefined)
  assert.equal(runPrefix('{"key": {"id":1},"kind":"Item"}'), undefined)
  assert.equal(runPrefix('not json'), undefined)
})

test('the streamed diff of two stores equals the diff of their whole contents, damaged rows included', async () => {
  const a = await newMemoryStore()
  const b = await newMemoryStore()
  await seedCatalog(a)
  await seedCatalog(b)
  const role = (FRESH_ROWS.find((r) => r.includes('"kind":"Role"')) as string).replace(/"name":"[^"]*"/, '"name":"renamed"')
  await appendAtUpper(a, [
    [settingRow('only_in_a', 'x'), 1n],
    [settingRow('twice', 'v'), 2n],
    ['{"key": {"name":"spaced"},"kind":"Setting","value":{"value":"1"}}', 1n],
    ['not json at all', 1n],
  ])
  await appendAtUpper(b, [
    [settingRow('only_in_b', 'y'), 1n],
    [settingRow('twice', 'v'), 1n],
    [role, 1n],
    ['{"epoch":9,"kind":"Epoch"}', 1n],
  ])
  const streamed = await diff({ store: a, organizationId: TEST_ORG }, { store: b, organizationId: TEST_ORG }, { includeEpoch: true })
  const whole = diffCatalogs(await contentsFromStore(a, TEST_ORG), await contentsFromStore(b, TEST_ORG), { includeEpoch: true })
  assert.deepEqual(streamed, whole)
  assert.equal(streamed.equal, false)
  assert.ok(streamed.summary.added >= 1 && streamed.summary.removed >= 2 && streamed.summary.changed >= 2)
  const same = await diff({ store: a, organizationId: TEST_ORG }, { store: a, organizationId: TEST_ORG }, { includeEpoch: true })
  assert.equal(same.equal, true)
})

test('import of a fixture with a bad line in the middle writes nothing', async () => {
  const source = await newMemoryStore()
  await seedCatalog(source)
  const lines = textLines(await linesToText(exportCatalog(source, TEST_ORG)))
  const bad = [
    ...lines.slice(0, 20),
    '{"ts":2,"diff":1,"data":{"key":{"name":"x"},"kind":"Setting","value":{"value":7}}}',
    ...lines.slice(20),
  ]
  const target = await newMemoryStore()
  await assert.rejects(importFixture(target, undefined, bad, { name: 'bad.ndjson' }), /bad\.ndjson:21: data\.value\.value/)
  assert.deepEqual(await target.listShards(), [])
  const good = await importFixture(target, undefined, lines, { name: 'good.ndjson' })
  assert.equal(good.updates, lines.length - 1)
  assert.equal(await linesToText(exportCatalog(target, TEST_ORG)), `${lines.join('\n')}\n`)
})

test('import consolidates adjacent lines of one (ts, data)', async () => {
  const source = await newMemoryStore()
  await seedCatalog(source)
  const lines = textLines(await linesToText(exportCatalog(source, TEST_ORG)))
  const doubled = [lines[0] as string, lines[1] as string, ...lines.slice(1)]
  const target = await newMemoryStore()
  const r = await importFixture(target, undefined, doubled)
  assert.equal(r.updates, lines.length - 1)
  const exported = textLines(await linesToText(exportCatalog(target, TEST_ORG)))
  assert.equal(exported[1], (lines[1] as string).replace('"diff":1', '"diff":2'))
})

test('verify streams: a key with two current values and a non-canonical row are found', async () => {
  const store = await newMemoryStore()
  await seedCatalog(store)
  await appendAtUpper(store, [
    [settingRow('dup', 'a'), 1n],
    [settingRow('dup', 'b'), 1n],
    ['{"key": {"name":"spaced"},"kind":"Setting","value":{"value":"1"}}', 1n],
  ])
  const report = await verifyStore(store, TEST_ORG)
  const messages = report.findings.map((f) => `${f.check}: ${f.message}`)
  assert.ok(
    messages.some((m) => m.startsWith('multiplicity: Setting key {"name":"dup"} has 2 current values')),
    messages.join('\n'),
  )
  assert.ok(messages.some((m) => m.startsWith('canonical-encoding:')))
  assert.equal(report.rows, FRESH_ROWS.length + 1 + 3)
})
