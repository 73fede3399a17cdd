/**
 * Debug edit, delete and history: keys in any field order or spacing find and cancel the right
 * row; the stored bytes are retracted; several values are an AmbiguousKeyError; identical values
 * write nothing; every write bumps the epoch in the same compare-and-append; a lost race is a
 * transient UpperMismatchError and a re-run lands; undecodable rows are reported, never fatal.
 */

import { strict as assert } from 'node:assert'
import { after, before, test } from 'node:test'
import { AmbiguousKeyError, UninitializedError, UpperMismatchError, UsageError, ValidationError, isTransient } from '../src/errors.js'
import { initializeCatalog, openUnopenedCatalog, type DebugCatalog, type UnopenedCatalog } from '../src/catalog/index.js'
import type { ShardStore } from '../src/store/shard-store.js'
import { collect, TEST_ORG, tempStore, type TempStore } from './helpers/catalog-store.js'
import { appendAtUpper } from './helpers/catalog-legacy.js'

let t: TempStore
let store: ShardStore
let unopened: UnopenedCatalog
let debug: DebugCatalog
let shard: string

before(async () => {
  t = tempStore('edit')
  store = await t.open()
  const catalog = await initializeCatalog(store, TEST_ORG, { replicaSize: '1' })
  shard = catalog.shards.catalog
  unopened = await openUnopenedCatalog(store, TEST_ORG)
  debug = await unopened.openDebug()
})
after(async () => {
  await store.close()
  t.cleanup()
})

async function consolidated(collection: Parameters<UnopenedCatalog['trace']>[0]) {
  return collect(unopened.trace(collection, { consolidated: true }))
}

test('a key in any field order and spacing cancels the right row', async () => {
  const epoch = await unopened.epoch()
  const key = ' { "schema_id" : null, "grantee": {"value":{"System":2}},\n "object_type": 9, "role_id": {"value": {"Public": {}}} } '
  const r = await debug.edit('default_privileges', key, '{"privileges":{"bitflags":768}}')
  assert.deepEqual(r.previous, { privileges: { bitflags: 256n } })
  assert.deepEqual(r.key, {
    role_id: { value: { Public: {} } },
    database_id: null,
    schema_id: null,
    object_type: 9n,
    grantee: { value: { System: 2n } },
  })
  assert.equal(r.committed, true)
  assert.deepEqual(r.epoch, { from: epoch, to: epoch + 1n })
  assert.equal(await unopened.epoch(), epoch + 1n)
  const rows = await consolidated('default_privileges')
  assert.equal(rows.length, 4)
  assert.ok(rows.every((e) => e.type === 'row' && e.diff === 1n))
  const changed = rows.filter((e) => e.type === 'row' && (e.value as { privileges: { bitflags: bigint } }).privileges.bitflags === 768n)
  assert.equal(changed.length, 1)
})

test('a stored row that is not canonical is retracted with its stored bytes', async () => {
  await appendAtUpper(store, shard, [{ data: '{"kind": "Setting", "value": {"value": "spaced"}, "key": {"name": "odd"}}', diff: 1n }])
  const r = await debug.edit('setting', '{"name":"odd"}', '{"value":"tidy"}')
  assert.deepEqual(r.previous, { value: 'spaced' })
  const rows = await store.snapshot(shard, (await store.fetchRecentUpper(shard))! - 1n, { where: { a: 'Setting' } })
  assert.deepEqual(
    rows.map((u) => [u.data, u.diff]),
    [['{"key":{"name":"odd"},"kind":"Setting","value":{"value":"tidy"}}', 1n]],
  )
})

test('an identical value writes nothing; a dry run writes nothing', async () => {
  const upper = await store.fetchRecentUpper(shard)
  const same = await debug.edit('setting', { name: 'odd' }, { value: 'tidy' })
  assert.deepEqual([same.changed, same.committed, same.epoch], [false, false, undefined])
  const dry = await debug.edit('setting', { name: 'odd' }, { value: 'other' }, { dryRun: true })
  assert.deepEqual([dry.changed, dry.committed, dry.previous], [true, false, { value: 'tidy' }])
  const dryDelete = await debug.delete('setting', { name: 'odd' }, { dryRun: true })
  assert.deepEqual([dryDelete.found, dryDelete.committed, dryDelete.deleted], [true, false, [{ value: 'tidy' }]])
  const absent = await debug.delete('setting', { name: 'never-there' })
  assert.deepEqual([absent.found, absent.committed, absent.deleted, absent.epoch], [false, false, [], undefined])
  assert.equal(await store.fetchRecentUpper(shard), upper)
})

test('several current values: edit refuses with AmbiguousKeyError, delete retracts them all', async () => {
  await appendAtUpper(store, shard, [
    { data: '{"key":{"name":"twice"},"kind":"Setting","value":{"value":"a"}}', diff: 1n },
    { data: '{"key":{"name":"twice"},"kind":"Setting","value":{"value":"b"}}', diff: 1n },
  ])
  await assert.rejects(debug.edit('setting', { name: 'twice' }, { value: 'c' }), (e: unknown) => {
    assert.ok(e instanceof AmbiguousKeyError)
    assert.match(e.message, /multiple values found for key/)
    assert.match(e.message, /"value":"a"/)
    assert.match(e.message, /"value":"b"/)
    return true
  })
  const del = await debug.delete('setting', { name: 'twice' })
  assert.deepEqual(del.deleted.sort(), [{ value: 'a' }, { value: 'b' }])
  const again = await debug.edit('setting', { name: 'twice' }, { value: 'c' })
  assert.equal(again.previous, null)
})

test('a lost race is a transient UpperMismatchError; re-running the attempt lands both edits', async () => {
  const epoch = await unopened.epoch()
  const other = await (await openUnopenedCatalog(store, TEST_ORG)).openDebug()
  // A store whose next compare-and-append first lets the other editor write.
  let raced = false
  const racing = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'compareAndAppend') {
        return async (...args: Parameters<ShardStore['compareAndAppend']>) => {
          if (!raced) {
            raced = true
            await other.edit('setting', { name: 'race-b' }, { value: 'b' })
          }
          return target.compareAndAppend(...args)
        }
      }
      const v = Reflect.get(target, prop, receiver) as unknown
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
    },
  })
  const racer = await (await openUnopenedCatalog(racing, TEST_ORG)).openDebug()
  let err: unknown
  try {
    await racer.edit('setting', { name: 'race-a' }, { value: 'a' })
  } catch (e) {
    err = e
  }
  assert.ok(err instanceof UpperMismatchError)
  assert.ok(isTransient(err))
  const retried = await racer.edit('setting', { name: 'race-a' }, { value: 'a' })
  assert.equal(retried.committed, true)
  assert.equal(await unopened.epoch(), epoch + 2n)
  const names = (await consolidated('setting')).map((e) => (e.type === 'row' ? (e.key as { name: string }).name : ''))
  assert.ok(names.includes('race-a') && names.includes('race-b'))
})

test('history lists every version of a key with when it was written and retracted', async () => {
  const key = { name: 'versions' }
  await debug.edit('setting', key, { value: '1' })
  await debug.edit('setting', key, { value: '2' })
  await debug.delete('setting', key)
  await debug.edit('setting', key, { value: '3' })
  const h = await debug.history('setting', '{ "name" : "versions" }')
  assert.deepEqual(
    h.map((e) => e.value),
    [{ value: '1' }, { value: '2' }, { value: '3' }],
  )
  assert.equal(h[0]!.retractedAt, h[1]!.writtenAt)
  assert.ok(h[1]!.retractedAt! < h[2]!.writtenAt)
  assert.equal(h[2]!.retractedAt, null)
})

test('edit and delete refuse the epoch, unknown collections and invalid input', async () => {
  for (const name of ['epoch', 'Epoch']) await assert.rejects(debug.edit(name, {}, {}), UsageError)
  await assert.rejects(debug.delete('nope', {}), (e: unknown) => e instanceof UsageError && e.code === 'unknown-collection')
  await assert.rejects(
    debug.edit('setting', { name: 1 }, { value: 'x' }),
    (e: unknown) => e instanceof ValidationError && e.path === 'key.name',
  )
  await assert.rejects(
    debug.edit('config', { key: 'k' }, { value: -1 }),
    (e: unknown) => e instanceof ValidationError && e.path === 'value.value',
  )
  await assert.rejects(debug.edit('setting', '{"name":', '{}'), ValidationError)
  // Key-only collections take null as the value.
  await assert.rejects(debug.edit('audit_log', '{"event":null}', '{}'), ValidationError)
})

test('undecodable rows are reported, never fatal', async () => {
  await appendAtUpper(store, shard, [
    { data: '{"key":{"name":"bad"},"kind":"Setting","value":{"value":5}}', diff: 1n },
    { data: 'not json at all', diff: 1n },
    { data: '{"kind":"Nope","key":{}}', diff: 1n },
  ])
  const settings = await consolidated('setting')
  const bad = settings.filter((e) => e.type === 'undecodable')
  assert.equal(bad.length, 1)
  assert.equal(bad[0]!.type === 'undecodable' && bad[0]!.reason, 'value.value: expected a string, got 5')
  assert.ok(settings.some((e) => e.type === 'row'))
  const unconsolidated = await collect(unopened.trace('setting', { consolidated: false }))
  assert.ok(unconsolidated.some((e) => e.type === 'undecodable'))
  const stray = await collect(unopened.traceUnattributed())
  assert.deepEqual(stray.map((e) => (e.type === 'undecodable' ? e.raw : '')).sort(), ['not json at all', '{"kind":"Nope","key":{}}'])
  // The bad key can be repaired: its stored row is retracted byte for byte.
  const fixed = await debug.edit('setting', { name: 'bad' }, { value: '5' })
  assert.deepEqual(fixed.previous, { value: 5n })
  assert.ok((await consolidated('setting')).every((e) => e.type === 'row'))
})

test('debug writes on an uninitialised catalog are refused', async () => {
  const other = await (await openUnopenedCatalog(store, '00000000-0000-4000-8000-0000000000aa')).openDebug()
  await assert.rejects(other.edit('setting', { name: 'x' }, { value: 'y' }), UninitializedError)
  await assert.rejects(other.delete('setting', { name: 'x' }), UninitializedError)
})
