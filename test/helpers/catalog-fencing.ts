/**
 * Catalog fencing, one definition for every store backend: two writable catalogs on one store
 * (the second fences the first, whose next commit fails with Materialize's `FenceError` and writes
 * nothing), a fenced catalog refusing every further write, a newer epoch fencing with the epoch
 * message, and a debug edit fencing a writable catalog.
 *
 * "Writes nothing" is checked on the store itself: the catalog shard's upper, seqno and stored row
 * count (`update_count`) are unchanged.
 */
import { strict as assert } from 'node:assert'
import { describe, it } from 'node:test'
import { FenceError } from '../../src/errors.js'
import { initializeCatalog, openUnopenedCatalog } from '../../src/catalog/index.js'
import type { ShardStore } from '../../src/store/shard-store.js'
import { TEST_ORG } from './catalog-store.js'

/** A store for one test. */
export interface CatalogStoreFixture {
  /**
   * Opens another handle on the fixture's store (writable, created on first use, with the
   * catalog's lookup extractor and the test build version, as `catalog-store.ts` does).
   */
  open(): Promise<ShardStore>
  /** Removes the store; handles opened through `open` are closed before. */
  cleanup(): void | Promise<void>
}

/** Makes a fresh, empty store for one test. */
export type CatalogStoreFactory = () => Promise<CatalogStoreFixture>

/** The state of the catalog shard that any write would change. */
async function shardState(store: ShardStore, shard: string): Promise<{ upper: readonly bigint[]; seqno: bigint; rows: bigint }> {
  const s = await store.inspect(shard)
  return { upper: s.upper, seqno: s.seqno, rows: s.update_count }
}

const fence =
  (message: string) =>
  (e: unknown): boolean => {
    assert.ok(e instanceof FenceError, `expected FenceError, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`)
    assert.equal(e.message, message)
    return true
  }

/** Runs `f` with two handles on a fresh store, closes them and removes the store. */
async function withTwoHandles(make: CatalogStoreFactory, f: (a: ShardStore, b: ShardStore) => Promise<void>): Promise<void> {
  const fixture = await make()
  const handles: ShardStore[] = []
  try {
    handles.push(await fixture.open(), await fixture.open())
    await f(handles[0]!, handles[1]!)
  } finally {
    for (const h of handles) await h.close()
    await fixture.cleanup()
  }
}

/** Registers the fencing tests under `describe(name)`; `makeStore` gives each test a fresh store. */
export function defineCatalogFencing(name: string, makeStore: CatalogStoreFactory): void {
  describe(name, () => {
    it('two writable catalogs on one store: the second fences the first, whose commit fails and writes nothing', () =>
      withTwoHandles(makeStore, async (storeA, storeB) => {
        const a = await initializeCatalog(storeA, TEST_ORG, { replicaSize: '1' })
        assert.equal(a.upper, 3n)
        const pending = await a.transaction()
        pending.setSetting('from-a', '1')

        const b = await (await openUnopenedCatalog(storeB, TEST_ORG)).openWritable()
        assert.equal(b.epoch, 3n)
        const before = await shardState(storeA, a.shards.catalog)

        await assert.rejects(pending.commit(), fence(`current catalog upper 3 fenced by new catalog upper ${before.upper[0]}`))
        assert.deepEqual(await shardState(storeA, a.shards.catalog), before, 'the fenced commit wrote nothing')
        assert.ok(a.fenced instanceof FenceError)
      }))

    it('a fenced catalog refuses every further write without touching the store', () =>
      withTwoHandles(makeStore, async (storeA, storeB) => {
        const a = await initializeCatalog(storeA, TEST_ORG, { replicaSize: '1' })
        const first = await a.transaction()
        first.setSetting('first', '1')
        const second = await a.transaction()
        second.setSetting('second', '1')
        await (await openUnopenedCatalog(storeB, TEST_ORG)).openWritable()
        const before = await shardState(storeA, a.shards.catalog)

        await assert.rejects(first.commit(), FenceError)
        // Remembered: no further attempt touches the store.
        await assert.rejects(second.commit(), (e: unknown) => e === a.fenced)
        await assert.rejects(a.transaction(), (e: unknown) => e === a.fenced)
        await assert.rejects(a.confirmLeadership(), (e: unknown) => e === a.fenced)
        assert.deepEqual(await shardState(storeA, a.shards.catalog), before, 'nothing was written')
      }))

    it('a newer epoch fences with the epoch message; the newest writer commits', () =>
      withTwoHandles(makeStore, async (storeA, storeB) => {
        await initializeCatalog(storeA, TEST_ORG, { replicaSize: '1' })
        const b = await (await openUnopenedCatalog(storeB, TEST_ORG)).openWritable()
        assert.equal(b.epoch, 3n)
        const c = await (await openUnopenedCatalog(storeA, TEST_ORG)).openWritable()
        assert.equal(c.epoch, 4n)
        const before = await shardState(storeB, b.shards.catalog)

        await assert.rejects(b.transaction(), fence('current catalog epoch 3 fenced by new catalog epoch 4'))
        assert.deepEqual(await shardState(storeB, b.shards.catalog), before, 'the fenced catalog wrote nothing')
        const txn = await c.transaction()
        txn.setSetting('from-c', '1')
        await txn.commit()
        assert.equal(await (await openUnopenedCatalog(storeB, TEST_ORG)).epoch(), 4n)
      }))

    it('a debug edit fences a writable catalog: its pending commit and its next transaction fail, writing nothing', () =>
      withTwoHandles(makeStore, async (storeA, storeB) => {
        await initializeCatalog(storeA, TEST_ORG, { replicaSize: '1' })
        const debug = await (await openUnopenedCatalog(storeB, TEST_ORG)).openDebug()

        // A transaction started before the edit: its commit loses the compare-and-append.
        const w = await (await openUnopenedCatalog(storeA, TEST_ORG)).openWritable()
        assert.equal(w.epoch, 3n)
        const pending = await w.transaction()
        pending.setSetting('from-w', '1')
        const edit = await debug.edit('setting', { name: 'fence' }, { value: 'debug' })
        assert.equal(edit.committed, true)
        assert.deepEqual(edit.epoch, { from: 3n, to: 4n })
        let before = await shardState(storeA, w.shards.catalog)
        await assert.rejects(pending.commit(), fence(`current catalog upper ${w.upper} fenced by new catalog upper ${before.upper[0]}`))
        await assert.rejects(w.transaction(), FenceError)
        assert.deepEqual(await shardState(storeA, w.shards.catalog), before, 'the fenced commit wrote nothing')

        // A transaction started after the edit: the writable catalog sees the newer epoch.
        const x = await (await openUnopenedCatalog(storeA, TEST_ORG)).openWritable()
        assert.equal(x.epoch, 5n)
        assert.deepEqual((await debug.edit('setting', { name: 'fence' }, { value: 'again' })).epoch, { from: 5n, to: 6n })
        before = await shardState(storeA, x.shards.catalog)
        await assert.rejects(x.transaction(), fence('current catalog epoch 5 fenced by new catalog epoch 6'))
        assert.deepEqual(await shardState(storeA, x.shards.catalog), before, 'the fenced catalog wrote nothing')
      }))
  })
}
