/**
 * A freshly initialised catalog: every row, at the persist timestamps Materialize uses (empty
 * append at 0, epoch 2 at 1, contents at 2), compared row by row with the golden file
 * `fixtures/golden/catalog/fresh-v47.ndjson` (lines `{"ts":N,"diff":N,"data":{…}}`, sorted by
 * ts then row text); plus the bootstrap role's extra rows, the deploy generation and the clock.
 */

import { strict as assert } from 'node:assert'
import { test } from 'node:test'
import { AlreadyExistsError, UsageError } from '../src/errors.js'
import { compareCodePoints, parseJson, type JsonObject } from '../src/json/lossless-json.js'
import { initializeCatalog, listCatalogs, openUnopenedCatalog } from '../src/catalog/index.js'
import { assertGoldenLines } from './helpers/catalog-golden.js'
import { collect, FIXED_NOW, TEST_ORG, tempStore } from './helpers/catalog-store.js'

async function freshUpdates(opts: { bootstrapRole?: string; deployGeneration?: bigint; now?: () => bigint; replicaSize?: string } = {}) {
  const t = tempStore('fresh')
  const store = await t.open()
  try {
    const catalog = await initializeCatalog(store, TEST_ORG, { replicaSize: opts.replicaSize ?? '1', now: opts.now ?? (() => 0n), ...opts })
    const updates = await store.snapshot(catalog.shards.catalog, catalog.upper - 1n, { keepTimestamps: true })
    const inspect = await store.inspect(catalog.shards.catalog)
    return { catalog, updates, upper: catalog.upper, inspect }
  } finally {
    await store.close()
    t.cleanup()
  }
}

test('fresh v47 catalog matches the golden rows, row by row', async () => {
  const { updates, upper } = await freshUpdates()
  assert.equal(upper, 3n)
  const sorted = [...updates].sort((a, b) => (a.ts !== b.ts ? (a.ts < b.ts ? -1 : 1) : compareCodePoints(a.data, b.data)))
  assertGoldenLines(
    'fresh-v47.ndjson',
    sorted.map((u) => `{"ts":${u.ts},"diff":${u.diff},"data":${u.data}}`),
  )
})

test('fresh catalog: timestamps, counts and allocators', async () => {
  const { updates } = await freshUpdates()
  const byKind = new Map<string, number>()
  for (const u of updates) {
    const kind = (parseJson(u.data) as JsonObject).kind as string
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1)
    assert.equal(u.diff, 1n)
    assert.equal(u.ts, kind === 'Epoch' ? 1n : 2n)
  }
  assert.deepEqual(Object.fromEntries([...byKind].sort()), {
    AuditLog: 11,
    Cluster: 1,
    ClusterReplica: 1,
    Config: 3,
    Database: 1,
    DefaultPrivileges: 4,
    Epoch: 1,
    IdAlloc: 11,
    Role: 5,
    Schema: 6,
    SystemPrivileges: 1,
    Timestamp: 1,
  })
  assert.ok(updates.some((u) => u.data === '{"key":{"name":"auditlog"},"kind":"IdAlloc","value":{"next_id":12}}'))
})

test('the catalog shard records the organization, so the store lists it', async () => {
  const t = tempStore('list')
  const store = await t.open()
  try {
    assert.deepEqual(await listCatalogs(store), [])
    await initializeCatalog(store, TEST_ORG, { replicaSize: '1' })
    const other = '00000000-0000-4000-8000-000000000002'
    await initializeCatalog(store, other, { replicaSize: '1' })
    const listed = await listCatalogs(store)
    assert.deepEqual(
      listed.map((c) => [c.organizationId, c.upper]),
      [
        [TEST_ORG, 3n],
        [other, 3n],
      ],
    )
  } finally {
    await store.close()
    t.cleanup()
  }
})

test('replica size, clock and deploy generation are parameters', async () => {
  const { updates } = await freshUpdates({ replicaSize: 'xsmall', now: FIXED_NOW, deployGeneration: 7n })
  const texts = updates.map((u) => u.data)
  assert.ok(texts.includes('{"key":{"id":"M"},"kind":"Timestamp","value":{"ts":{"internal":1709251200000}}}'))
  assert.ok(texts.includes('{"key":{"key":"deploy_generation"},"kind":"Config","value":{"value":7}}'))
  assert.ok(texts.some((t) => t.includes('"kind":"Cluster"') && t.includes('"size":"xsmall"')))
  assert.ok(texts.some((t) => t.includes('"kind":"ClusterReplica"') && t.includes('"size":"xsmall"')))
  assert.ok(texts.some((t) => t.includes('"logical_size":"xsmall"') && t.includes('"occurred_at":{"millis":1709251200000}')))
})

test('a bootstrap role gets a role, privileges on the defaults, system privileges and audit events', async () => {
  const { updates } = await freshUpdates({ bootstrapRole: 'alice' })
  const texts = updates.map((u) => u.data)
  const has = (s: string): void => assert.ok(texts.includes(s), `missing ${s}`)
  has(
    '{"key":{"id":{"value":{"User":1}}},"kind":"Role","value":{"attributes":{"inherit":true},"membership":{"map":[]},"name":"alice","vars":{"entries":[]}}}',
  )
  has('{"key":{"name":"user_role"},"kind":"IdAlloc","value":{"next_id":2}}')
  has('{"key":{"name":"auditlog"},"kind":"IdAlloc","value":{"next_id":17}}')
  has(
    '{"key":{"grantee":{"value":{"User":1}},"grantor":{"value":{"System":1}}},"kind":"SystemPrivileges","value":{"acl_mode":{"bitflags":3758096384}}}',
  )
  const bootstrapAcl = '{"acl_mode":{"bitflags":768},"grantee":{"value":{"User":1}},"grantor":{"value":{"System":1}}}'
  for (const kind of ['Database', 'Cluster'])
    assert.ok(
      texts.some((t) => t.includes(`"kind":"${kind}"`) && t.includes(bootstrapAcl)),
      kind,
    )
  assert.ok(texts.some((t) => t.includes('"name":"public"') && t.includes('"kind":"Schema"') && t.includes(bootstrapAcl)))
  assert.ok(!texts.some((t) => t.includes('"name":"mz_catalog"') && t.includes(bootstrapAcl)))
  const audit = texts.filter((t) => t.includes('"kind":"AuditLog"'))
  assert.equal(audit.length, 16)
  // The role's creation is event 1; the schema grant names the schema as S<database>.<schema>.
  assert.ok(
    audit.some((t) => t.includes('"IdNameV1":{"id":"u1","name":"alice"}') && t.includes('"id":1,') && t.includes('"object_type":8')),
  )
  assert.ok(audit.some((t) => t.includes('"object_id":"Su1.u3"') && t.includes('"grantee_id":"u1"') && t.includes('"privileges":"UC"')))
  assert.ok(audit.some((t) => t.includes('"object_id":"SYSTEM"') && t.includes('"grantee_id":"u1"') && t.includes('"privileges":"RBN"')))
})

test('initializing twice is refused; initializing needs a replica size', async () => {
  const t = tempStore('twice')
  const store = await t.open()
  try {
    await initializeCatalog(store, TEST_ORG, { replicaSize: '1' })
    await assert.rejects(initializeCatalog(store, TEST_ORG, { replicaSize: '1' }), AlreadyExistsError)
    const other = '00000000-0000-4000-8000-000000000003'
    const shards = (await store.listShards()).length
    await assert.rejects(
      (await openUnopenedCatalog(store, other)).openWritable({}),
      (e: unknown) => e instanceof UsageError && /replica size/.test((e as Error).message),
    )
    assert.equal((await store.listShards()).length, shards, 'refused before creating anything')
    const unopened = await openUnopenedCatalog(store, TEST_ORG)
    assert.equal(await unopened.deployGeneration(), 0n)
    assert.equal(await unopened.catalogContentVersion(), null)
    assert.equal((await collect(unopened.trace('audit_log', { consolidated: true }))).length, 11)
  } finally {
    await store.close()
    t.cleanup()
  }
})
