/**
 * The catalog finds the epoch, the configs and one key through the store's lookup index: on a
 * catalog with thousands of audit and storage-usage rows, `epoch`, `userVersion`, `edit`,
 * `delete`, `history` and a read-only open never read those rows, and never scan the shard.
 */

import { strict as assert } from 'node:assert'
import { after, before, test } from 'node:test'
import { initializeCatalog, openUnopenedCatalog } from '../src/catalog/index.js'
import type { LookupFilter, ShardStore, SnapshotOptions } from '../src/store/shard-store.js'
import { TEST_ORG, tempStore, type TempStore } from './helpers/catalog-store.js'

let t: TempStore
let store: ShardStore

before(async () => {
  t = tempStore('cost')
  store = await t.open()
  const catalog = await initializeCatalog(store, TEST_ORG, { replicaSize: '1' })
  const txn = await catalog.transaction()
  for (let i = 0n; i < 3000n; i++) {
    txn.insertAuditLogEvent({
      eventType: 'Create',
      objectType: 'Table',
      details: { IdNameV1: { id: `u${i}`, name: `t${i}` } },
      occurredAt: i,
    })
    txn.insertStorageUsageEvent({ shardId: `s${i}`, sizeBytes: i, collectionTimestamp: i })
  }
  await txn.commit()
})
after(async () => {
  await store.close()
  t.cleanup()
})

/** A store that records the lookup filter of every read. */
function recording(inner: ShardStore): { store: ShardStore; reads: (LookupFilter | undefined)[] } {
  const reads: (LookupFilter | undefined)[] = []
  const proxy = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'snapshot' || prop === 'snapshotStream') {
        return (shard: string, asOf: bigint, opts?: SnapshotOptions) => {
          reads.push(opts?.where)
          return (target[prop] as (s: string, a: bigint, o?: SnapshotOptions) => unknown).call(target, shard, asOf, opts)
        }
      }
      if (prop === 'countUpdates') {
        return (shard: string, asOf: bigint, where?: LookupFilter) => {
          reads.push(where)
          return target.countUpdates(shard, asOf, where)
        }
      }
      const v = Reflect.get(target, prop, receiver) as unknown
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
    },
  })
  return { store: proxy, reads }
}

test('epoch, configs, edit, delete, history and read-only opens use the lookup index only', async () => {
  const { store: s, reads } = recording(store)
  const unopened = await openUnopenedCatalog(s, TEST_ORG)
  await unopened.epoch()
  await unopened.userVersion()
  await unopened.isInitialized()
  const debug = await unopened.openDebug()
  await debug.edit('setting', { name: 'k' }, { value: 'v' })
  await debug.history('setting', { name: 'k' })
  await debug.delete('setting', { name: 'k' })
  const keyReads = reads.length
  // A read-only open loads the small collections, each through its own lookup.
  await unopened.openReadOnly()
  assert.ok(keyReads > 0 && reads.length > keyReads)
  reads.forEach((where, i) => {
    assert.ok(where !== undefined, 'a read without a lookup filter scans the shard')
    assert.ok(where.a !== 'AuditLog' && where.a !== 'StorageUsage', `read the large collection ${where.a}`)
    if (i < keyReads && where.a === 'Setting') assert.equal(where.b, '{"name":"k"}', 'a key lookup must name the key')
  })
})
