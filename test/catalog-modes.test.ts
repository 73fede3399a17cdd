/**
 * Open modes and the persist version gate: read-only and savepoint never change the store file
 * (sha256 after closing); writable opens bump the epoch; a build more than one minor version ahead
 * of the catalog-upgrade shard is refused before anything is read. Fencing (earlier writers'
 * commits fail and write nothing) runs on both backends in `catalog-fencing.test.ts`.
 */

import { strict as assert } from 'node:assert'
import { test } from 'node:test'
import { IncompatibleVersionError, NotWritableError } from '../src/errors.js'
import { initializeCatalog, openUnopenedCatalog } from '../src/catalog/index.js'
import { collect, TEST_ORG, tempStore, type TempStore } from './helpers/catalog-store.js'
import { freshRows, toLegacyRows, writeCatalogRows } from './helpers/catalog-legacy.js'

async function withStore<T>(name: string, f: (t: TempStore) => Promise<T>): Promise<T> {
  const t = tempStore(name)
  try {
    return await f(t)
  } finally {
    t.cleanup()
  }
}

/** Runs `f` on a freshly opened store, closes it, and returns the file hash before and after. */
async function hashAround(t: TempStore, f: (store: Awaited<ReturnType<TempStore['open']>>) => Promise<void>): Promise<[string, string]> {
  const before = t.hash()
  const store = await t.open()
  try {
    await f(store)
  } finally {
    await store.close()
  }
  return [before, t.hash()]
}

test('read-only and savepoint refuse an uninitialised catalog and write nothing', () =>
  withStore('uninit', async (t) => {
    await (await t.open()).close()
    const [before, after] = await hashAround(t, async (store) => {
      const unopened = await openUnopenedCatalog(store, TEST_ORG)
      await assert.rejects(
        unopened.openReadOnly(),
        (e: unknown) => e instanceof NotWritableError && e.message === 'catalog tables do not exist; will not create in Readonly mode',
      )
      await assert.rejects(
        unopened.openSavepoint(),
        (e: unknown) => e instanceof NotWritableError && e.message === 'catalog tables do not exist; will not create in Savepoint mode',
      )
    })
    assert.equal(after, before)
  }))

test('read-only: the file stays byte-identical; non-empty commits are refused', () =>
  withStore('readonly', async (t) => {
    const s = await t.open()
    await initializeCatalog(s, TEST_ORG, { replicaSize: '1' })
    await s.close()
    const [before, after] = await hashAround(t, async (store) => {
      const unopened = await openUnopenedCatalog(store, TEST_ORG)
      const catalog = await unopened.openReadOnly({ deployGeneration: 9n })
      assert.equal(catalog.mode, 'readonly')
      assert.equal(catalog.epoch, 2n)
      assert.equal(catalog.deployGeneration, 9n) // applied in memory only
      const txn = await catalog.transaction()
      await txn.commit() // an empty commit is fine even read-only
      const txn2 = await catalog.transaction()
      txn2.setSetting('x', 'y')
      await assert.rejects(
        txn2.commit(),
        (e: unknown) => e instanceof NotWritableError && e.message === 'cannot commit a transaction in a read-only catalog',
      )
      assert.equal(await unopened.deployGeneration(), 0n)
      await collect(unopened.trace('item', { consolidated: false }))
      await unopened.epoch()
    })
    assert.equal(after, before)
  }))

test('read-only through a read-only store handle works too', () =>
  withStore('readonly-handle', async (t) => {
    const s = await t.open()
    await initializeCatalog(s, TEST_ORG, { replicaSize: '1' })
    await s.close()
    const before = t.hash()
    const store = await t.open({ readOnly: true })
    const catalog = await (await openUnopenedCatalog(store, TEST_ORG)).openReadOnly()
    assert.equal(catalog.collection('database').length, 1)
    await store.close()
    assert.equal(t.hash(), before)
  }))

test('savepoint: migrations and commits in memory only, the file stays byte-identical', () =>
  withStore('savepoint', async (t) => {
    const s = await t.open()
    await writeCatalogRows(s, TEST_ORG, toLegacyRows(await freshRows(), 44, { syncedOnce: 'on' }))
    await s.close()
    const [before, after] = await hashAround(t, async (store) => {
      const unopened = await openUnopenedCatalog(store, TEST_ORG)
      const catalog = await unopened.openSavepoint({ deployGeneration: 4n })
      assert.equal(catalog.mode, 'savepoint')
      assert.equal(catalog.epoch, 2n, 'a savepoint does not bump the epoch')
      assert.equal(catalog.userVersion, 47n)
      assert.deepEqual(
        catalog.upgradeSteps.map((s) => [s.from, s.to]),
        [
          [44, 45],
          [45, 46],
          [46, 47],
        ],
      )
      const txn = await catalog.transaction()
      txn.insertDatabase({ name: 'scratch', ownerId: { value: { System: 1n } } })
      await txn.commit()
      assert.equal(catalog.collection('database').length, 2)
      assert.equal(catalog.deployGeneration, 4n)
      assert.equal(await unopened.userVersion(), 44n, 'the store still holds v44')
      assert.equal(await unopened.epoch(), 2n)
    })
    assert.equal(after, before)
  }))

test('writable reopen: epoch + 1 at the upper, deploy generation, upgrade shard stamped', () =>
  withStore('reopen', async (t) => {
    const store = await t.open()
    try {
      const first = await initializeCatalog(store, TEST_ORG, { replicaSize: '1' })
      const upgradeBefore = await store.inspect(first.shards.upgrade)
      const unopened = await openUnopenedCatalog(store, TEST_ORG)
      const second = await unopened.openWritable({ deployGeneration: 3n })
      assert.equal(second.epoch, 3n)
      // ts 3: epoch 2 → 3; ts 4: deploy_generation 0 → 3.
      assert.equal(second.upper, 5n)
      const epochRows = await store.snapshot(first.shards.catalog, 4n, { keepTimestamps: true, where: { a: 'Epoch' } })
      assert.deepEqual(
        epochRows.map((u) => [u.data, u.ts, u.diff]).sort(),
        [
          ['{"epoch":2,"kind":"Epoch"}', 1n, 1n],
          ['{"epoch":2,"kind":"Epoch"}', 3n, -1n],
          ['{"epoch":3,"kind":"Epoch"}', 3n, 1n],
        ].sort(),
      )
      assert.equal(await unopened.deployGeneration(), 3n)
      const upgradeAfter = await store.inspect(first.shards.upgrade)
      assert.ok(upgradeAfter.upper[0]! > upgradeBefore.upper[0]!, 'the upgrade shard got an empty append')
      assert.equal(upgradeAfter.update_count, 0n)
      // Same deploy generation again: no write for it.
      const third = await (await openUnopenedCatalog(store, TEST_ORG)).openWritable({ deployGeneration: 3n, epochLowerBound: 10n })
      assert.equal(third.epoch, 10n)
      assert.equal(third.upper, 6n)
      const critical = (await store.inspect(first.shards.catalog)).critical_readers
      assert.ok(Object.keys(critical).includes('c00000000-1111-2222-3333-444444444444'))
    } finally {
      await store.close()
    }
  }))

test('persist version gate: a build more than one minor ahead of the upgrade shard is refused', () =>
  withStore('gate', async (t) => {
    const s = await t.open({ buildVersion: '0.91.0' })
    await initializeCatalog(s, TEST_ORG, { replicaSize: '1' })
    await s.close()
    const before = t.hash()
    const future = await t.open({ buildVersion: '0.93.0' })
    try {
      await assert.rejects(openUnopenedCatalog(future, TEST_ORG), (e: unknown) => {
        assert.ok(e instanceof IncompatibleVersionError)
        assert.equal(e.code, 'incompatible-persist-version')
        assert.equal(
          e.message,
          'incompatible persist version 0.91.0, current: 0.93.0, make sure to upgrade the catalog one version at a time',
        )
        return true
      })
      // One minor ahead is fine. An older build passes this check, but more than one minor behind
      // the catalog shard's stamp it meets persist's data-version gate: state from the future.
      await openUnopenedCatalog(future, TEST_ORG, { buildVersion: '0.92.5' })
      await openUnopenedCatalog(future, TEST_ORG, { buildVersion: '0.90.0' })
      await assert.rejects(openUnopenedCatalog(future, TEST_ORG, { buildVersion: '0.80.0' }), {
        message: '0.80.0 received persist state from the future 0.91.0',
      })
      // No upgrade shard (a new environment): no check.
      await openUnopenedCatalog(future, '00000000-0000-4000-8000-000000000009')
    } finally {
      await future.close()
    }
    assert.equal(t.hash(), before, 'the refusal wrote nothing')
  }))
