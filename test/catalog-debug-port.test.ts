/**
 * Materialize's `src/catalog/tests/debug.rs`, ported: an empty catalog has no trace and no epoch;
 * after the first writable open the epoch is 2 and every initial row sits at persist timestamp 2;
 * opening the debug mode changes nothing; editing a new setting returns nothing, editing it again
 * returns the first value; after deleting it the consolidated settings are empty.
 */

import { strict as assert } from 'node:assert'
import { after, before, test } from 'node:test'
import { UninitializedError } from '../src/errors.js'
import { openUnopenedCatalog } from '../src/catalog/index.js'
import { COLLECTION_NAMES } from '../src/catalog/kinds/collections.js'
import type { ShardStore } from '../src/store/shard-store.js'
import { collect, TEST_ORG, tempStore, type TempStore } from './helpers/catalog-store.js'

let t: TempStore
let store: ShardStore

before(async () => {
  t = tempStore('debug-port')
  store = await t.open()
})
after(async () => {
  await store.close()
  t.cleanup()
})

test('an empty catalog: trace and epoch fail with uninitialized', async () => {
  const unopened = await openUnopenedCatalog(store, TEST_ORG)
  assert.equal(await unopened.isInitialized(), false)
  await assert.rejects(
    collect(unopened.trace('config', { consolidated: false })),
    (e: unknown) => e instanceof UninitializedError && e.message === 'uninitialized',
  )
  await assert.rejects(unopened.epoch(), (e: unknown) => e instanceof UninitializedError && e.message === 'uninitialized')
})

test('after a writable open the epoch is 2 and the initial contents sit at ts 2', async () => {
  const unopened = await openUnopenedCatalog(store, TEST_ORG)
  const catalog = await unopened.openWritable({ replicaSize: '1', now: () => 0n })
  assert.equal(catalog.epoch, 2n)
  assert.equal(await unopened.epoch(), 2n)
  assert.equal(await unopened.userVersion(), 47n)
  let rows = 0
  for (const c of COLLECTION_NAMES) {
    for (const e of await collect(unopened.trace(c, { consolidated: false }))) {
      assert.equal(e.type, 'row')
      assert.equal(e.ts, 2n, `${c} row at ts ${e.ts}`)
      assert.equal(e.diff, 1n)
      rows++
    }
  }
  assert.equal(rows, 45)
})

test('opening a debug catalog does not modify the contents', async () => {
  const before = t.hash()
  const unopened = await openUnopenedCatalog(store, TEST_ORG)
  const upper = await store.fetchRecentUpper(unopened.shards.catalog)
  await unopened.openDebug()
  assert.equal(await store.fetchRecentUpper(unopened.shards.catalog), upper)
  assert.equal(t.hash(), before)
})

test('edit a new setting, edit it again, delete it', async () => {
  const debug = await (await openUnopenedCatalog(store, TEST_ORG)).openDebug()
  const key = { name: 'debug-key' }
  const first = await debug.edit('setting', key, { value: 'initial' })
  assert.equal(first.previous, null)
  assert.equal(first.committed, true)
  const second = await debug.edit('setting', key, { value: 'final' })
  assert.deepEqual(second.previous, { value: 'initial' })

  const unopened = await openUnopenedCatalog(store, TEST_ORG)
  const settings = await collect(unopened.trace('setting', { consolidated: true }))
  assert.deepEqual(
    settings.map((e) => (e.type === 'row' ? [e.key, e.value] : e.raw)),
    [[{ name: 'debug-key' }, { value: 'final' }]],
  )

  const del = await debug.delete('setting', key)
  assert.equal(del.found, true)
  assert.deepEqual(del.deleted, [{ value: 'final' }])
  assert.deepEqual(await collect(unopened.trace('setting', { consolidated: true })), [])
  // Each write bumped the epoch: opened at 2, then three debug writes.
  assert.equal(await unopened.epoch(), 5n)
})
