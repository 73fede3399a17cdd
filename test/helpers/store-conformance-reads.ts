/**
 * Conformance: snapshots (consolidated, streamed, since and upper checks), lookup filters,
 * counts, listen, and exact u64/i64 values.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { AsOfNotYetAvailableError, LeaseExpiredError, SinceError } from '../../src/errors.js'
import type { ShardStore } from '../../src/store/shard-store.js'
import {
  type StoreFactory, WAIT_MS, collect, lookupKindKey, newShard, rejectsUsage, rejectsWith, sorted, upd, withStore,
} from './store-conformance-kit.js'

const CRITICAL = 'c00000000-1111-2222-3333-444444444444'
const U64_MAX = (1n << 64n) - 1n

/** A shard with history: a@0 +1, b@1 +1, a@2 -1, b@2 +1, c@3 +1; upper 4. */
async function history(store: ShardStore): Promise<string> {
  const s = newShard()
  await store.compareAndAppend(s, [upd('a', 0n)], 0n, 1n)
  await store.compareAndAppend(s, [upd('b', 1n)], 1n, 2n)
  await store.compareAndAppend(s, [upd('a', 2n, -1n), upd('b', 2n)], 2n, 3n)
  await store.compareAndAppend(s, [upd('c', 3n)], 3n, 4n)
  return s
}

async function holdSinceAt(store: ShardStore, s: string, since: bigint): Promise<void> {
  const r = await store.openCriticalReader(s, CRITICAL, 'test')
  const res = await store.compareAndDowngradeSince(s, CRITICAL, r.opaque, r.opaque, since)
  assert.deepEqual(res, { ok: true, since })
}

export function snapshotTests(make: StoreFactory): void {
  it('a snapshot is consolidated and reports every update at the as-of', () => withStore(make, {}, async ({ store }) => {
    const s = await history(store)
    assert.deepEqual(await store.snapshot(s, 0n), [upd('a', 0n)])
    assert.deepEqual(await store.snapshot(s, 1n), [upd('a', 1n), upd('b', 1n)])
    assert.deepEqual(await store.snapshot(s, 2n), [upd('b', 2n, 2n)])
    assert.deepEqual(await store.snapshot(s, 3n), [upd('b', 3n, 2n), upd('c', 3n)])
    // With stored timestamps rows consolidate per (data, ts) only.
    assert.deepEqual(await store.snapshot(s, 3n, { keepTimestamps: true }), [upd('a', 0n), upd('a', 2n, -1n), upd('b', 1n), upd('b', 2n), upd('c', 3n)])
  }))

  it('a stream is unconsolidated, advanced to the as-of', () => withStore(make, {}, async ({ store }) => {
    const s = await history(store)
    const rows = await collect(store.snapshotStream(s, 2n))
    assert.deepEqual(sorted(rows), sorted([upd('a', 2n), upd('b', 2n), upd('a', 2n, -1n), upd('b', 2n)]))
    const kept = await collect(store.snapshotStream(s, 3n, { keepTimestamps: true }))
    assert.deepEqual(kept.map((u) => u.ts), [0n, 1n, 2n, 2n, 3n], 'without lookup columns the order is by time')
    // Abandoning a stream early releases it; the store keeps working.
    for await (const _ of store.snapshotStream(s, 3n)) break
    assert.equal((await store.compareAndAppend(s, [], 4n, 5n)).ok, true)
  }))

  it('reads before the since fail with SinceError naming the since', () => withStore(make, {}, async ({ store }) => {
    const s = await history(store)
    await holdSinceAt(store, s, 2n)
    const check = (e: SinceError) => assert.equal(e.since, 2n)
    await rejectsWith(store.snapshot(s, 1n), SinceError, check)
    await rejectsWith(collect(store.snapshotStream(s, 1n)), SinceError, check)
    await rejectsWith(store.countUpdates(s, 1n), SinceError, check)
    await rejectsWith(store.listen(s, 1n), SinceError, check)
    assert.deepEqual(await store.snapshot(s, 2n), [upd('b', 2n, 2n)])
  }))

  it('a read at as-of >= upper waits for the upper to pass it', () => withStore(make, {}, async ({ store }) => {
    const s = await history(store)
    setTimeout(() => void store.compareAndAppend(s, [upd('d', 4n)], 4n, 5n), 50)
    assert.deepEqual(await store.snapshot(s, 4n), [upd('b', 4n, 2n), upd('c', 4n), upd('d', 4n)])
  }))

  it('a read at as-of >= upper times out with AsOfNotYetAvailableError', () => withStore(make, {}, async ({ store }) => {
    const s = await history(store)
    const start = Date.now()
    await rejectsWith(store.snapshot(s, 4n), AsOfNotYetAvailableError)
    assert.ok(Date.now() - start >= WAIT_MS - 20, 'waited for the deadline')
    await rejectsWith(collect(store.snapshotStream(s, 10n)), AsOfNotYetAvailableError)
    await rejectsWith(store.countUpdates(s, 4n), AsOfNotYetAvailableError)
    await rejectsUsage(store.snapshot(s, -1n), 'InvalidValue')
  }))
}

export function lookupTests(make: StoreFactory): void {
  it('lookup filters select by (a) and (a, b) in snapshots, streams and counts', () => withStore(make, { lookup: lookupKindKey }, async ({ store }) => {
    const s = newShard()
    await store.compareAndAppend(s, [upd('item|1|x', 0n), upd('item|2|y', 0n), upd('role|1|r', 0n), upd('plain', 0n)], 0n, 1n)
    await store.compareAndAppend(s, [upd('item|1|x', 1n, -1n), upd('item|1|z', 1n)], 1n, 2n)
    assert.deepEqual(await store.snapshot(s, 1n, { where: { a: 'item' } }), [upd('item|1|z', 1n), upd('item|2|y', 1n)])
    assert.deepEqual(await store.snapshot(s, 1n, { where: { a: 'item', b: '1' } }), [upd('item|1|z', 1n)])
    assert.deepEqual(await store.snapshot(s, 0n, { where: { a: 'item', b: '1' } }), [upd('item|1|x', 0n)])
    assert.deepEqual(await store.snapshot(s, 1n, { where: { a: 'nothing' } }), [])
    const streamed = await collect(store.snapshotStream(s, 1n, { where: { a: 'item', b: '1' }, keepTimestamps: true }))
    assert.deepEqual(streamed, [upd('item|1|x', 0n), upd('item|1|x', 1n, -1n), upd('item|1|z', 1n)])
    // Without a filter the stream is ordered by lookup a, then time.
    const all = await collect(store.snapshotStream(s, 1n, { keepTimestamps: true }))
    assert.deepEqual(all.map((u) => u.data.split('|')[0]), ['item', 'item', 'item', 'item', 'plain', 'role'])
    assert.deepEqual(all.slice(0, 4).map((u) => u.ts), [0n, 0n, 1n, 1n])
    assert.deepEqual(await store.countUpdates(s, 1n, { a: 'item' }), { total: 4n, additions: 3n, retractions: 1n })
    assert.deepEqual(await store.countUpdates(s, 1n, { a: 'item', b: '1' }), { total: 3n, additions: 2n, retractions: 1n })
    assert.deepEqual(await store.countUpdates(s, 1n), { total: 6n, additions: 5n, retractions: 1n })
    assert.deepEqual(await store.countUpdates(s, 0n), { total: 4n, additions: 4n, retractions: 0n })
    await rejectsUsage(store.snapshot(s, 1n, { where: { a: 5 as unknown as string } }), 'InvalidValue')
  }))
}

export function listenTests(make: StoreFactory): void {
  it('listen returns updates after the as-of, then progress, and waits for more', () => withStore(make, {}, async ({ store }) => {
    const s = await history(store)
    const l = await store.listen(s, 1n)
    assert.equal(l.frontier, 1n)
    const first = await l.fetchNext()
    assert.deepEqual(first, [{ type: 'updates', updates: [upd('a', 2n, -1n), upd('b', 2n), upd('c', 3n)] }, { type: 'progress', upper: 4n }])
    assert.equal(l.frontier, 4n)
    setTimeout(() => void store.compareAndAppend(s, [upd('e', 4n)], 4n, 6n), 30)
    assert.deepEqual(await l.fetchNext(), [{ type: 'updates', updates: [upd('e', 4n)] }, { type: 'progress', upper: 6n }])
    setTimeout(() => void store.compareAndAppend(s, [], 6n, 7n), 30)
    assert.deepEqual(await l.fetchNext(), [{ type: 'progress', upper: 7n }])
    await rejectsWith(l.fetchNext(), AsOfNotYetAvailableError)
    await l.expire()
    await rejectsWith(l.fetchNext(), LeaseExpiredError)
  }))

  it('a listen at an as-of at or beyond the upper starts empty', () => withStore(make, {}, async ({ store }) => {
    const s = await history(store)
    const l = await store.listen(s, 10n)
    await store.compareAndAppend(s, [upd('x', 4n), upd('y', 11n)], 4n, 12n)
    assert.deepEqual(await l.fetchNext(), [{ type: 'updates', updates: [upd('y', 11n)] }, { type: 'progress', upper: 12n }])
  }))
}

export function u64Tests(make: StoreFactory): void {
  it('timestamps and frontiers are exact from 0 to 2^64-1', () => withStore(make, {}, async ({ store }) => {
    const s = newShard()
    const times = [0n, (1n << 53n) - 1n, 1n << 53n, (1n << 53n) + 1n, (1n << 63n) - 1n, 1n << 63n, U64_MAX - 1n]
    let upper = 0n
    for (const t of times) {
      const res = await store.compareAndAppend(s, [upd(`t${t}`, t)], upper, t + 1n)
      assert.equal(res.ok, true, `append at ${t}`)
      upper = t + 1n
      assert.equal(await store.fetchRecentUpper(s), upper)
    }
    assert.equal(upper, U64_MAX)
    const kept = await store.snapshot(s, U64_MAX - 1n, { keepTimestamps: true })
    assert.deepEqual(kept.map((u) => u.ts).sort((a, b) => (a < b ? -1 : 1)), times)
    assert.deepEqual((await store.snapshot(s, (1n << 63n) - 1n)).map((u) => u.ts), Array(5).fill((1n << 63n) - 1n))
    assert.equal((await collect(store.snapshotStream(s, 1n << 53n))).length, 3)
    const l = await store.listen(s, (1n << 63n) - 1n)
    assert.deepEqual(await l.fetchNext(), [{ type: 'updates', updates: [upd(`t${1n << 63n}`, 1n << 63n), upd(`t${U64_MAX - 1n}`, U64_MAX - 1n)] }, { type: 'progress', upper: U64_MAX }])
    assert.deepEqual((await store.inspect(s)).upper, [U64_MAX])
    await rejectsUsage(store.compareAndAppend(s, [upd('x', U64_MAX)], U64_MAX, U64_MAX + 1n), 'InvalidValue')
    assert.equal((await store.compareAndAppend(s, [upd('last', U64_MAX)], U64_MAX, null)).ok, true)
    assert.equal((await store.snapshot(s, U64_MAX, { keepTimestamps: true })).find((u) => u.data === 'last')?.ts, U64_MAX)
  }))

  it('diffs are exact i64', () => withStore(make, {}, async ({ store }) => {
    const s = newShard()
    const extremes = [upd('min', 0n, -(1n << 63n)), upd('max', 0n, (1n << 63n) - 1n), upd('big', 0n, (1n << 53n) + 1n)]
    await store.compareAndAppend(s, extremes, 0n, 1n)
    assert.deepEqual(await store.snapshot(s, 0n), sorted(extremes))
    await rejectsUsage(store.compareAndAppend(s, [upd('x', 1n, -(1n << 63n) - 1n)], 1n, 2n), 'InvalidValue')
  }))
}
