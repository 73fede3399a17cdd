/**
 * Review fixes in the catalog core:
 * - rows whose consolidated diff is not 1 (a huge diff, a negative one) are kept as (text, count)
 *   pairs, never expanded: edit refuses with the rows and their diffs, delete retracts each with
 *   −count in one append, upgrade-check reports them, history shows the count, a weird epoch is a
 *   clear error;
 * - a debug write whose commit outcome was unknown is re-sent with its idempotency token on retry
 *   (DebugWriteSession) and reported as what it did;
 * - a since at or past the upper is corruption, not a wait;
 * - upgrade-check's fromVersion is exact;
 * - a TableTransaction update checks uniqueness once, after applying every change.
 */

import { strict as assert } from 'node:assert'
import { test } from 'node:test'
import { AlreadyExistsError, AmbiguousKeyError, CatalogDebugError, StoreBusyError, StoreCorruptError } from '../src/errors.js'
import { DebugWriteSession, initializeCatalog, openUnopenedCatalog, upgradeCheck } from '../src/catalog/index.js'
import { currentReadPoint, readRows } from '../src/catalog/catalog-reads.js'
import { catalogShardIds } from '../src/catalog/catalog-shards.js'
import { encodeRow } from '../src/catalog/codec/row-codec.js'
import { TableTransaction } from '../src/catalog/table-transaction.js'
import { canonicalJson, type JsonValue } from '../src/json/lossless-json.js'
import { retry } from '../src/retry.js'
import type { ShardStore } from '../src/store/shard-store.js'
import { TEST_ORG, tempStore } from './helpers/catalog-store.js'
import { appendAtUpper } from './helpers/catalog-legacy.js'

const HUGE = 5_000_000_000n
const SETTING = (v: string): string => `{"key":{"name":"huge"},"kind":"Setting","value":{"value":"${v}"}}`

async function withCatalog(name: string, body: (store: ShardStore, shard: string) => Promise<void>): Promise<void> {
  const t = tempStore(name)
  const store = await t.open()
  try {
    const catalog = await initializeCatalog(store, TEST_ORG, { replicaSize: '1' })
    await body(store, catalog.shards.catalog)
  } finally {
    await store.close()
    t.cleanup()
  }
}

test('a Setting row with diff 5e9: edit refuses listing it, delete (dry run and real) zeroes it, nothing is expanded', async () => {
  await withCatalog('huge-diff', async (store, shard) => {
    await appendAtUpper(store, shard, [{ data: SETTING('a'), diff: HUGE }])
    const unopened = await openUnopenedCatalog(store, TEST_ORG)
    const debug = await unopened.openDebug()

    await assert.rejects(debug.edit('setting', { name: 'huge' }, { value: 'b' }), (e: unknown) => {
      assert.ok(e instanceof AmbiguousKeyError)
      assert.match(e.message, new RegExp(`\\(diff ${HUGE}\\)`))
      return true
    })

    const history = await debug.history('setting', { name: 'huge' })
    assert.equal(history.length, 1)
    assert.equal(history[0]?.count, HUGE)
    assert.equal(history[0]?.retractedAt, null)

    const report = await upgradeCheck(unopened)
    assert.equal(report.ok, false)
    assert.ok(
      report.errors.some((e) => e.includes(`${HUGE} times`)),
      report.errors.join('\n'),
    )

    const dry = await debug.delete('setting', { name: 'huge' }, { dryRun: true })
    assert.equal(dry.found, true)
    assert.equal(dry.committed, false)

    const upper = await store.fetchRecentUpper(shard)
    const del = await debug.delete('setting', { name: 'huge' })
    assert.equal(del.found, true)
    assert.deepEqual(del.deleted, [{ value: 'a' }])
    // One append, and the key is gone (its consolidated count is 0).
    assert.equal(await store.fetchRecentUpper(shard), (upper as bigint) + 1n)
    const now = (await store.fetchRecentUpper(shard)) as bigint
    assert.deepEqual(await readRows(store, shard, now - 1n, 'Setting', canonicalJson({ name: 'huge' })), [])
    const again = await debug.edit('setting', { name: 'huge' }, { value: 'c' })
    assert.equal(again.previous, null)
    assert.equal((await upgradeCheck(unopened)).ok, true)
  })
})

test('a negative count is ambiguous; delete brings it back to 0', async () => {
  await withCatalog('negative-diff', async (store, shard) => {
    await appendAtUpper(store, shard, [{ data: SETTING('x'), diff: -3n }])
    const debug = await (await openUnopenedCatalog(store, TEST_ORG)).openDebug()
    await assert.rejects(
      debug.edit('setting', { name: 'huge' }, { value: 'b' }),
      (e: unknown) => e instanceof AmbiguousKeyError && /\(diff -3\)/.test(e.message),
    )
    const del = await debug.delete('setting', { name: 'huge' })
    assert.equal(del.found, true)
    const now = (await store.fetchRecentUpper(shard)) as bigint
    assert.deepEqual(await readRows(store, shard, now - 1n, 'Setting', canonicalJson({ name: 'huge' })), [])
  })
})

test('an epoch row with a huge diff is a clear invalid-catalog-data error, reported by upgrade-check', async () => {
  await withCatalog('huge-epoch', async (store, shard) => {
    const now = (await store.fetchRecentUpper(shard)) as bigint
    const [epochRow] = await readRows(store, shard, now - 1n, 'Epoch')
    await appendAtUpper(store, shard, [{ data: (epochRow as { data: string }).data, diff: HUGE }])
    const unopened = await openUnopenedCatalog(store, TEST_ORG)
    const debug = await unopened.openDebug()
    await assert.rejects(
      debug.edit('setting', { name: 'x' }, { value: 'b' }),
      (e: unknown) => e instanceof CatalogDebugError && e.code === 'invalid-catalog-data',
    )
    const report = await upgradeCheck(unopened)
    assert.equal(report.ok, false)
    assert.match(report.errors.join('\n'), /epoch row/)
  })
})

test('storage usage rows with a huge diff are pruned with one retraction', async () => {
  await withCatalog('huge-usage', async (store, shard) => {
    const key = { usage: { V1: { id: 7n, shard_id: { inner: 's1' }, size_bytes: 1n, collection_timestamp: { millis: 1n } } } }
    await appendAtUpper(store, shard, [{ data: encodeRow('StorageUsage', key, null), diff: HUGE }])
    const catalog = await (await openUnopenedCatalog(store, TEST_ORG)).openWritable()
    const r = await catalog.getAndPruneStorageUsage({ retentionPeriodMs: 10n, bootTs: 1_000n })
    assert.equal(r.pruned, Number(HUGE))
    assert.deepEqual(await readRows(store, shard, catalog.upper - 1n, 'StorageUsage'), [])
  })
})

/** A store that throws StoreBusyError right after the first successful compare-and-append of the catalog shard. */
function lossyCommit(store: ShardStore, shard: string): { store: ShardStore; appends: () => number } {
  let thrown = false
  let appends = 0
  const wrapped = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'compareAndAppend') {
        return async (...args: Parameters<ShardStore['compareAndAppend']>) => {
          const res = await target.compareAndAppend(...args)
          if (args[0] === shard && res.ok && !res.alreadyCommitted) appends++
          if (args[0] === shard && res.ok && !thrown) {
            thrown = true
            throw new StoreBusyError('connection lost during COMMIT')
          }
          return res
        }
      }
      const v = Reflect.get(target, prop, receiver) as unknown
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
    },
  })
  return { store: wrapped, appends: () => appends }
}

const fastRetry = { clock: { now: () => 0, sleep: async () => {} } }

test('an edit whose commit outcome was lost is reported as what it did on retry, and applied once', async () => {
  await withCatalog('lost-commit-edit', async (store, shard) => {
    const base = await (await openUnopenedCatalog(store, TEST_ORG)).openDebug()
    await base.edit('setting', { name: 'lost' }, { value: 'old' })
    const lossy = lossyCommit(store, shard)
    const session = new DebugWriteSession()
    let attempts = 0
    const result = await retry(async () => {
      attempts++
      const debug = await (await openUnopenedCatalog(lossy.store, TEST_ORG)).openDebug()
      return debug.edit('setting', { name: 'lost' }, { value: 'new' }, { session })
    }, fastRetry)
    assert.equal(attempts, 2)
    assert.equal(result.changed, true)
    assert.equal(result.committed, true)
    assert.deepEqual(result.previous, { value: 'old' })
    assert.equal(lossy.appends(), 1)
    assert.equal(session.pending, undefined)
    const now = (await store.fetchRecentUpper(shard)) as bigint
    const rows = await readRows(store, shard, now - 1n, 'Setting', canonicalJson({ name: 'lost' }))
    assert.deepEqual(
      rows.map((r) => [r.data, r.diff]),
      [[encodeRow('Setting', { name: 'lost' }, { value: 'new' }), 1n]],
    )
  })
})

test('a delete whose commit outcome was lost reports found:true on retry', async () => {
  await withCatalog('lost-commit-delete', async (store, shard) => {
    const base = await (await openUnopenedCatalog(store, TEST_ORG)).openDebug()
    await base.edit('setting', { name: 'gone' }, { value: 'v' })
    const lossy = lossyCommit(store, shard)
    const session = new DebugWriteSession()
    const result = await retry(async () => {
      const debug = await (await openUnopenedCatalog(lossy.store, TEST_ORG)).openDebug()
      return debug.delete('setting', { name: 'gone' }, { session })
    }, fastRetry)
    assert.equal(result.found, true)
    assert.deepEqual(result.deleted, [{ value: 'v' }])
    assert.equal(lossy.appends(), 1)
  })
})

test('a pending append whose upper moved on without it is dropped and the write re-read', async () => {
  await withCatalog('pending-dropped', async (store, shard) => {
    const debug = await (await openUnopenedCatalog(store, TEST_ORG)).openDebug()
    const session = new DebugWriteSession()
    const upper = (await store.fetchRecentUpper(shard)) as bigint
    // An append that never landed, at an upper that has since been taken by another write.
    session.pending = {
      request: `edit setting ${canonicalJson({ name: 'p' })} ${encodeRow('Setting', { name: 'p' }, { value: 'v' })}`,
      updates: [{ data: SETTING('never'), ts: upper, diff: 1n }],
      expectedUpper: upper,
      token: 'i00000000-0000-4000-8000-000000000000',
      result: { collection: 'setting', key: { name: 'p' }, previous: 'bogus', value: { value: 'v' }, changed: true, committed: true },
    }
    await debug.edit('setting', { name: 'other' }, { value: 'x' })
    const r = await debug.edit('setting', { name: 'p' }, { value: 'v' }, { session })
    assert.equal(r.previous, null)
    assert.equal(session.pending, undefined)
  })
})

test('a since at or past the upper is StoreCorruptError, not a wait', async () => {
  await withCatalog('since-upper', async (store, shard) => {
    const upper = (await store.fetchRecentUpper(shard)) as bigint
    const broken = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'fetchSince') return async () => upper
        const v = Reflect.get(target, prop, receiver) as unknown
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
      },
    })
    await assert.rejects(currentReadPoint(broken, shard), (e: unknown) => e instanceof StoreCorruptError && !e.transient)
    assert.deepEqual(await currentReadPoint(store, shard), { asOf: upper - 1n, upper })
  })
})

test('upgrade-check reports a u64 user_version exactly', async () => {
  await withCatalog('huge-version', async (store, shard) => {
    const big = 18446744073709551615n
    const { readConfigs } = await import('../src/catalog/catalog-reads.js')
    const now = (await store.fetchRecentUpper(shard)) as bigint
    const uv = (await readConfigs(store, shard, now - 1n)).get('user_version')!
    await appendAtUpper(store, shard, [
      ...uv.rows.map((r) => ({ data: r.data, diff: -r.count })),
      { data: encodeRow('Config', { key: 'user_version' }, { value: big }), diff: 1n },
    ])
    const report = await upgradeCheck(await openUnopenedCatalog(store, TEST_ORG))
    assert.equal(report.ok, false)
    assert.equal(report.fromVersion, big)
    const { renderUpgradeReport } = await import('../src/render/upgrade-report.js')
    assert.match(renderUpgradeReport(report, 'json'), /"from_version": 18446744073709551615\b/)
    assert.match(renderUpgradeReport(report, 'text'), /incompatible Catalog version 18446744073709551615, /)
  })
  assert.equal(catalogShardIds(TEST_ORG).organizationId, TEST_ORG)
})

test('a TableTransaction update may swap two unique names; a real clash restores everything', () => {
  const rule = {
    uniqueName: (v: JsonValue) => (v as { name: string }).name,
    violation: (v: JsonValue) => new AlreadyExistsError(`name ${(v as { name: string }).name} already exists`),
  }
  const row = (id: number, name: string) => [`${id}`, { key: { id }, value: { name }, rows: [{ data: `r${id}`, count: 1n }] }] as const
  const initial = new Map([row(1, 'a'), row(2, 'b'), row(3, 'c')])
  const keyText = (k: JsonValue) => `${(k as { id: number }).id}`
  const t = new TableTransaction(initial, keyText, rule)
  const swap: Record<string, string> = { a: 'b', b: 'a' }
  assert.equal(
    t.update((_k, v) => {
      const n = swap[(v as { name: string }).name]
      return n === undefined ? undefined : { name: n }
    }),
    2,
  )
  assert.deepEqual(t.get({ id: 1 }), { name: 'b' })
  assert.deepEqual(t.get({ id: 2 }), { name: 'a' })

  // Renaming 1 to "c" clashes with 3, which keeps its name: refused, and the swap above stands.
  assert.throws(
    () => t.update((k, v) => (keyText(k) === '1' ? { name: 'c' } : (v as { name: string }).name === 'a' ? { name: 'z' } : undefined)),
    AlreadyExistsError,
  )
  assert.deepEqual(t.get({ id: 1 }), { name: 'b' })
  assert.deepEqual(t.get({ id: 2 }), { name: 'a' })
  // The index was restored too: "z" is free, "a" is still taken.
  t.set({ id: 4 }, { name: 'z' })
  assert.throws(() => t.insert({ id: 5 }, { name: 'a' }), AlreadyExistsError)
})
