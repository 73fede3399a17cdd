/**
 * Catalog transactions: Materialize's uniqueness rules, "unknown …" errors, id allocation, read
 * your writes, the append-only audit log and storage usage, storage-usage pruning, and one
 * atomic compare-and-append per commit. Also builds a realistic catalog with the typed helpers.
 */

import { strict as assert } from 'node:assert'
import { after, before, test } from 'node:test'
import { AlreadyExistsError, NotFoundError, ValidationError } from '../src/errors.js'
import { decodeRow } from '../src/catalog/codec/row-codec.js'
import { COLLECTION_NAMES, initializeCatalog, objects, openUnopenedCatalog, type DurableCatalog } from '../src/catalog/index.js'
import type { ShardStore } from '../src/store/shard-store.js'
import { collect, TEST_ORG, tempStore, type TempStore } from './helpers/catalog-store.js'

const { systemId, userId, publicRoleId, aclItem, ACL, managedClusterConfig, managedReplicaConfig, unmanagedClusterConfig } = objects
const mzSystem = systemId(1n)

let t: TempStore
let store: ShardStore
let catalog: DurableCatalog

before(async () => {
  t = tempStore('txn')
  store = await t.open()
  catalog = await initializeCatalog(store, TEST_ORG, { replicaSize: '1', now: () => 1000n })
})
after(async () => {
  await store.close()
  t.cleanup()
})

test('uniqueness: database, schema per database, item per schema, role, cluster, replica per cluster', async () => {
  const txn = await catalog.transaction()
  const dup = (f: () => unknown, message: string): void =>
    assert.throws(f, (e: unknown) => e instanceof AlreadyExistsError && e.message === message)
  dup(() => txn.insertDatabase({ name: 'materialize', ownerId: mzSystem }), "database 'materialize' already exists")
  const db2 = txn.insertDatabase({ name: 'analytics', ownerId: mzSystem })
  assert.deepEqual(db2, userId(2n))
  dup(() => txn.insertSchema({ databaseId: userId(1n), name: 'public', ownerId: mzSystem }), "schema 'public' already exists")
  const public2 = txn.insertSchema({ databaseId: db2, name: 'public', ownerId: mzSystem })
  assert.deepEqual(public2, userId(7n))
  txn.insertItem({ schemaId: public2, name: 't', createSql: 'CREATE TABLE t ()', ownerId: mzSystem })
  dup(
    () => txn.insertItem({ schemaId: public2, name: 't', createSql: 'CREATE VIEW t AS SELECT 1', ownerId: mzSystem }),
    "catalog item 't' already exists",
  )
  txn.insertItem({ schemaId: userId(3n), name: 't', createSql: 'CREATE TABLE t ()', ownerId: mzSystem })
  dup(() => txn.insertUserRole({ name: 'mz_system' }), "role 'mz_system' already exists")
  dup(
    () => txn.insertCluster({ name: 'quickstart', ownerId: mzSystem, config: unmanagedClusterConfig() }),
    "cluster 'quickstart' already exists",
  )
  dup(
    () => txn.insertClusterReplica({ clusterId: userId(1n), name: 'r1', ownerId: mzSystem, config: managedReplicaConfig({ size: '1' }) }),
    "cannot create multiple replicas named 'r1' on cluster 'quickstart'",
  )
  const c2 = txn.insertCluster({ name: 'etl', ownerId: mzSystem, config: managedClusterConfig({ size: '2' }) })
  txn.insertClusterReplica({ clusterId: c2, name: 'r1', ownerId: mzSystem, config: managedReplicaConfig({ size: '2' }) })
  dup(() => txn.insertIdAllocator('user', 5n), 'duplicate key {"name":"user"}')
  // Renaming a database onto another's name fails and changes nothing; onto a free name works.
  const dbs = txn.table('Database')
  assert.throws(() => dbs.update((_k, v) => ({ ...(v as object), name: 'materialize' }) as never), AlreadyExistsError)
  assert.deepEqual((dbs.get({ id: db2 }) as { name: string }).name, 'analytics')
  assert.equal(
    dbs.update((_k, v) => ((v as { name: string }).name === 'analytics' ? ({ ...(v as object), name: 'warehouse' } as never) : undefined)),
    1,
  )
  assert.equal((dbs.get({ id: db2 }) as { name: string }).name, 'warehouse')
  // Nothing committed: the catalog keeps its contents.
  assert.equal(catalog.collection('database').length, 1)
})

test('unknown containers are NotFoundErrors', async () => {
  const txn = await catalog.transaction()
  assert.throws(
    () => txn.insertSchema({ databaseId: userId(99n), name: 's', ownerId: mzSystem }),
    (e: unknown) => e instanceof NotFoundError && e.message === "unknown database 'u99'",
  )
  assert.throws(
    () => txn.insertItem({ schemaId: userId(99n), name: 'i', createSql: 'x', ownerId: mzSystem }),
    (e: unknown) => e instanceof NotFoundError && e.message === "unknown schema 'u99'",
  )
  assert.throws(
    () => txn.insertClusterReplica({ clusterId: userId(99n), name: 'r', ownerId: mzSystem, config: managedReplicaConfig({ size: '1' }) }),
    (e: unknown) => e instanceof NotFoundError && e.message === "unknown cluster 'u99'",
  )
  assert.throws(
    () => txn.removeItem(userId(99n)),
    (e: unknown) => e instanceof NotFoundError && e.message === "unknown catalog item 'u99'",
  )
  assert.throws(
    () => txn.getAndIncrementId('nope'),
    (e: unknown) => e instanceof NotFoundError && e.message === 'nope id allocator missing',
  )
})

test('id allocation and read your writes', async () => {
  const txn = await catalog.transaction()
  assert.deepEqual(txn.getAndIncrementIdBy('user', 3n), [1n, 2n, 3n])
  assert.deepEqual(txn.getAndIncrementIdBy('user', 2n), [4n, 5n])
  txn.setSetting('a', '1')
  assert.equal(txn.getSetting('a'), '1')
  txn.setSetting('a', null)
  assert.equal(txn.getSetting('a'), undefined)
  assert.equal(txn.getConfig('user_version'), 47n)
  txn.setConfig('deploy_generation', 0n) // the committed value: contributes nothing
  assert.equal(txn.batch().updates.length, 2) // the id allocator only: retract 1, insert 6
})

test('a commit is one atomic compare-and-append; invalid rows commit nothing', async () => {
  const upper = catalog.upper
  const txn = await catalog.transaction()
  const db = txn.insertDatabase({ name: 'shop', ownerId: mzSystem, privileges: [aclItem(publicRoleId(), mzSystem, ACL.USAGE)] })
  const schema = txn.insertSchema({ databaseId: db, name: 'public', ownerId: mzSystem })
  txn.insertItem({ schemaId: schema, name: 'orders', createSql: 'CREATE TABLE orders (id int8)', ownerId: mzSystem })
  txn.insertAuditLogEvent({
    eventType: 'Create',
    objectType: 'Database',
    details: { IdNameV1: { id: 'u2', name: 'shop' } },
    occurredAt: 2000n,
    user: 'alice@example.com',
  })
  await txn.commit()
  assert.equal(catalog.upper, upper + 1n)
  const written = await store.snapshot(catalog.shards.catalog, upper, { keepTimestamps: true })
  assert.ok(written.filter((u) => u.ts === upper).length >= 8)
  assert.throws(() => txn.setSetting('late', 'x'), /already committed/)

  const bad = await catalog.transaction()
  bad.setTimestamp('M', -1n)
  await assert.rejects(bad.commit(), ValidationError)
  assert.equal(await store.fetchRecentUpper(catalog.shards.catalog), upper + 1n)
})

test('storage usage: append-only, pruned by retention period', async () => {
  const txn = await catalog.transaction()
  for (const [i, ts] of [
    [1n, 1_000n],
    [2n, 5_000n],
    [3n, 9_000n],
  ] as const) {
    assert.equal(txn.insertStorageUsageEvent({ shardId: `s${i}`, sizeBytes: 1024n * i, collectionTimestamp: ts }), i)
  }
  await txn.commit()
  const unopened = await openUnopenedCatalog(store, TEST_ORG)
  assert.equal((await collect(unopened.trace('storage_usage', { consolidated: true }))).length, 3)

  const kept = await catalog.getAndPruneStorageUsage({ retentionPeriodMs: 5_000n, bootTs: 10_000n })
  assert.equal(kept.pruned, 1)
  assert.deepEqual(
    kept.events.map((k) => (k.usage as { V1: { id: bigint } }).V1.id),
    [2n, 3n],
  )
  const left = await collect(unopened.trace('storage_usage', { consolidated: true }))
  assert.equal(left.length, 2)
  assert.deepEqual(await unopened.traceStats('storage_usage', { consolidated: false }), { total: 4n, additions: 3n, retractions: 1n })
  assert.deepEqual(await unopened.traceStats('storage_usage', { consolidated: true }), { total: 2n, additions: 2n, retractions: 0n })
  const all = await catalog.getAndPruneStorageUsage({ retentionPeriodMs: null, bootTs: 10_000n })
  assert.equal(all.events.length, 2)
})

test('the typed helpers build a realistic catalog that decodes exactly', async () => {
  const txn = await catalog.transaction()
  const alice = txn.insertUserRole({
    name: 'alice@example.com',
    membership: [[systemId(3n), mzSystem]],
    vars: [
      ['cluster', 'etl2'],
      ['search_path', ['public', 'mz_catalog']],
    ],
  })
  const cluster = txn.insertCluster({
    name: 'etl2',
    ownerId: alice,
    privileges: [aclItem(alice, alice, ACL.USAGE | ACL.CREATE)],
    config: managedClusterConfig({ size: 'small', replicationFactor: 2n, optimizerFeatureOverrides: { enable_eager_delta_joins: 'true' } }),
  })
  txn.insertClusterReplica({
    clusterId: cluster,
    name: 'r1',
    ownerId: alice,
    config: managedReplicaConfig({ size: 'small', availabilityZone: 'use1-az1' }),
  })
  txn.insertIntrospectionSourceIndex(cluster, 'mz_active_peeks_per_worker', 1000n)
  const item = txn.insertItem({ schemaId: userId(3n), name: 'events', createSql: 'CREATE TABLE events (a int4)', ownerId: alice })
  txn.setComment({ Table: item }, null, 'raw events')
  txn.setComment({ Table: item }, 1n, 'first column')
  txn.setDefaultPrivilege({ roleId: alice, databaseId: userId(1n), objectType: 'Table', grantee: publicRoleId() }, ACL.SELECT)
  txn.setSystemPrivilege(alice, mzSystem, objects.ALL_SYSTEM_PRIVILEGES)
  txn.upsertSystemConfig('max_tables', '200')
  txn.setSystemObjectMapping('mz_catalog', objects.CATALOG_ITEM_TYPE.Table, 'mz_tables', 1n, 'fp')
  txn.setCatalogContentVersion('0.91.0')
  txn.insertTimestamp('E.external', 5n)
  await txn.commit()

  const unopened = await openUnopenedCatalog(store, TEST_ORG)
  assert.equal(await unopened.catalogContentVersion(), '0.91.0')
  for (const c of COLLECTION_NAMES) {
    for (const e of await collect(unopened.trace(c, { consolidated: true }))) {
      assert.equal(e.type, 'row', `${c}: ${e.type === 'undecodable' ? e.reason : ''}`)
    }
  }
  const rows = await store.snapshot(catalog.shards.catalog, catalog.upper - 1n)
  for (const r of rows) {
    const d = decodeRow(r.data, 47, { strict: true })
    assert.ok(d.ok, `${r.data}: ${d.ok ? '' : d.reason}`)
  }
  // Removing the cluster cascades to its replica and introspection source index.
  const rm = await catalog.transaction()
  rm.removeCluster(cluster)
  await rm.commit()
  assert.equal(catalog.collection('compute_replicas').length, 1)
  assert.equal(catalog.collection('compute_introspection_source_index').length, 0)
})
