/**
 * Conformance: snapshots (consolidated, streamed, since and upper checks), lookup filters,
 * counts, listen, and exact u64/i64 values.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { AsOfNotYetAvailableError, LeaseExpiredError, SinceError } from '../../src/errors.js'
import type { ShardStore, Update } from '../../src/store/shard-store.js'
import {
  type StoreFactory,
  WAIT_MS,
  collect,
  lookupKindKey,
  newShard,
  rejectsUsage,
  rejectsWith,
  sorted,
  upd,
  withStore,
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
  it('a snapshot is consolidated and reports every update at the as-of', () =>
    withStore(make, {}, async ({ store }) => {
      const s = await history(store)
      assert.deepEqual(await store.snapshot(s, 0n), [upd('a', 0n)])
      assert.deepEqual(await store.snapshot(s, 1n), [upd('a', 1n), upd('b', 1n)])
      assert.deepEqual(await store.snapshot(s, 2n), [upd('b', 2n, 2n)])
      assert.deepEqual(await store.snapshot(s, 3n), [upd('b', 3n, 2n), upd('c', 3n)])
      // With stored timestamps rows consolidate per (data, ts) only.
      assert.deepEqual(await store.snapshot(s, 3n, { keepTimestamps: true }), [
        upd('a', 0n),
        upd('a', 2n, -1n),
        upd('b', 1n),
        upd('b', 2n),
        upd('c', 3n),
      ])
    }))

  it('a stream is unconsolidated, advanced to the as-of', () =>
    withStore(make, {}, async ({ store }) => {
      const s = await history(store)
      const rows = await collect(store.snapshotStream(s, 2n))
      assert.deepEqual(sorted(rows), sorted([upd('a', 2n), upd('b', 2n), upd('a', 2n, -1n), upd('b', 2n)]))
      const kept = await collect(store.snapshotStream(s, 3n, { keepTimestamps: true }))
      assert.deepEqual(
        kept.map((u) => u.ts),
        [0n, 1n, 2n, 2n, 3n],
        'without lookup columns the order is by time',
      )
      // Abandoning a stream early releases it; the store keeps working.
      for await (const _ of store.snapshotStream(s, 3n)) break
      assert.equal((await store.compareAndAppend(s, [], 4n, 5n)).ok, true)
    }))

  it('reads before the since fail with SinceError naming the since', () =>
    withStore(make, {}, async ({ store }) => {
      const s = await history(store)
      await holdSinceAt(store, s, 2n)
      const check = (e: SinceError) => assert.equal(e.since, 2n)
      await rejectsWith(store.snapshot(s, 1n), SinceError, check)
      await rejectsWith(collect(store.snapshotStream(s, 1n)), SinceError, check)
      await rejectsWith(store.countUpdates(s, 1n), SinceError, check)
      await rejectsWith(store.listen(s, 1n), SinceError, check)
      assert.deepEqual(await store.snapshot(s, 2n), [upd('b', 2n, 2n)])
    }))

  it('a read at as-of >= upper waits for the upper to pass it', () =>
    withStore(make, {}, async ({ store }) => {
      const s = await history(store)
      setTimeout(() => void store.compareAndAppend(s, [upd('d', 4n)], 4n, 5n), 50)
      assert.deepEqual(await store.snapshot(s, 4n), [upd('b', 4n, 2n), upd('c', 4n), upd('d', 4n)])
    }))

  it('a read at as-of >= upper times out with AsOfNotYetAvailableError', () =>
    withStore(make, {}, async ({ store }) => {
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
  it('lookup filters select by (a) and (a, b) in snapshots, streams and counts', () =>
    withStore(make, { lookup: lookupKindKey }, async ({ store }) => {
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
      assert.deepEqual(
        all.map((u) => u.data.split('|')[0]),
        ['item', 'item', 'item', 'item', 'plain', 'role'],
      )
      assert.deepEqual(
        all.slice(0, 4).map((u) => u.ts),
        [0n, 0n, 1n, 1n],
      )
      assert.deepEqual(await store.countUpdates(s, 1n, { a: 'item' }), { total: 4n, additions: 3n, retractions: 1n })
      assert.deepEqual(await store.countUpdates(s, 1n, { a: 'item', b: '1' }), { total: 3n, additions: 2n, retractions: 1n })
      assert.deepEqual(await store.countUpdates(s, 1n), { total: 6n, additions: 5n, retractions: 1n })
      assert.deepEqual(await store.countUpdates(s, 0n), { total: 4n, additions: 4n, retractions: 0n })
      await rejectsUsage(store.snapshot(s, 1n, { where: { a: 5 as unknown as string } }), 'InvalidValue')
    }))
}

/** `lookupKindKey`, but rows starting with `-` have no lookup values. */
const lookupOrNull = (d: string): readonly [string | null, string | null] => (d.startsWith('-') ? [null, null] : lookupKindKey(d))

export function streamOrderTests(make: StoreFactory): void {
  it('a stream is in the total order (lookup a, ts, data, diff), whatever order the rows were appended in', () =>
    withStore(make, { lookup: lookupOrNull }, async ({ store }) => {
      const at0 = [
        upd('item|2|b', 0n),
        upd('role|1|r', 0n),
        upd('item|1|a', 0n, 2n),
        upd('-x', 0n),
        upd('é|1|z', 0n),
        upd('item|1|a', 0n, -1n),
        upd('-a', 0n),
        upd('item|1|a', 0n, 2n),
      ]
      const at1 = [upd('item|1|c', 1n), upd('-b', 1n), upd('item|0|z', 1n)]
      const expected = [
        upd('-a', 0n),
        upd('-x', 0n),
        upd('-b', 1n), // no lookup a first
        upd('item|1|a', 0n, -1n),
        upd('item|1|a', 0n, 2n),
        upd('item|1|a', 0n, 2n),
        upd('item|2|b', 0n),
        upd('item|0|z', 1n),
        upd('item|1|c', 1n),
        upd('role|1|r', 0n),
        upd('é|1|z', 0n), // by bytes: 0xC3 after 'r'
      ]
      for (const reversed of [false, true]) {
        const s = newShard()
        const order = (us: Update[]): Update[] => (reversed ? [...us].reverse() : us)
        await store.compareAndAppend(s, order(at0), 0n, 1n)
        await store.compareAndAppend(s, order(at1), 1n, 2n)
        assert.deepEqual(await collect(store.snapshotStream(s, 1n, { keepTimestamps: true })), expected)
        const batches: (readonly Update[])[] = []
        for await (const b of store.snapshotBatches(s, 1n, { keepTimestamps: true })) batches.push(b)
        assert.ok(
          batches.every((b) => b.length > 0),
          'no empty batch',
        )
        assert.deepEqual(batches.flat(), expected)
        const items = expected.filter((u) => u.data.startsWith('item|'))
        assert.deepEqual(await collect(store.snapshotStream(s, 1n, { where: { a: 'item' }, keepTimestamps: true })), items)
        assert.deepEqual(
          await collect(store.snapshotStream(s, 1n, { where: { a: 'item', b: '1' }, keepTimestamps: true })),
          items.filter((u) => u.data.startsWith('item|1|')),
        )
        // Rows whose lookup a is none of the values given: those without one, then the others.
        assert.deepEqual(
          await collect(store.snapshotStream(s, 1n, { exceptA: ['item', 'é'], keepTimestamps: true })),
          expected.filter((u) => !u.data.startsWith('item|') && !u.data.startsWith('é')),
        )
        assert.deepEqual(await collect(store.snapshotStream(s, 1n, { exceptA: [], keepTimestamps: true })), expected)
      }
      const s = newShard()
      await rejectsUsage(collect(store.snapshotStream(s, 0n, { exceptA: ['item'], where: { a: 'item' } })), 'InvalidValue')
      await rejectsUsage(collect(store.snapshotStream(s, 0n, { exceptA: [1 as unknown as string] })), 'InvalidValue')
    }))

  it('counts per lookup a value, in one pass, equal the count of each value', () =>
    withStore(make, { lookup: lookupOrNull }, async ({ store }) => {
      const s = newShard()
      await store.compareAndAppend(s, [upd('item|1|a', 0n), upd('item|2|b', 0n), upd('-x', 0n), upd('role|1|r', 0n, 3n)], 0n, 1n)
      await store.compareAndAppend(s, [upd('item|1|a', 1n, -1n), upd('é|1|z', 1n), upd('-y', 1n, -2n)], 1n, 2n)
      const counts = (total: bigint, additions: bigint, retractions: bigint) => ({ total, additions, retractions })
      assert.deepEqual(
        await store.countUpdatesByLookupA(s, 0n),
        new Map([
          [null, counts(1n, 1n, 0n)],
          ['item', counts(2n, 2n, 0n)],
          ['role', counts(1n, 1n, 0n)],
        ]),
      )
      const all = await store.countUpdatesByLookupA(s, 1n)
      assert.deepEqual(
        all,
        new Map([
          [null, counts(2n, 1n, 1n)],
          ['item', counts(3n, 2n, 1n)],
          ['role', counts(1n, 1n, 0n)],
          ['é', counts(1n, 1n, 0n)],
        ]),
      )
      for (const a of ['item', 'role', 'é']) assert.deepEqual(all.get(a), await store.countUpdates(s, 1n, { a }))
      const empty = newShard()
      await store.compareAndAppend(empty, [], 0n, 1n)
      assert.deepEqual(await store.countUpdatesByLookupA(empty, 0n), new Map())
      await rejectsWith(store.countUpdatesByLookupA(s, 5n), AsOfNotYetAvailableError)
    }))

  it('a stream longer than one batch comes in several, in order', () =>
    withStore(make, {}, async ({ store }) => {
      const s = newShard()
      const rows = Array.from({ length: 2500 }, (_, i) => upd(`r${String(i).padStart(5, '0')}`, 0n))
      await store.compareAndAppend(s, [...rows].reverse(), 0n, 1n)
      const batches: (readonly Update[])[] = []
      for await (const b of store.snapshotBatches(s, 0n, { keepTimestamps: true })) batches.push(b)
      assert.ok(batches.length > 1, `${batches.length} batch(es)`)
      assert.deepEqual(batches.flat(), rows)
      assert.deepEqual(await collect(store.snapshotStream(s, 0n, { keepTimestamps: true })), rows)
    }))
}

export function listenTests(make: StoreFactory): void {
  it('listen returns updates after the as-of, then progress, and waits for more', () =>
    withStore(make, {}, async ({ store }) => {
      const s = await history(store)
      const l = await store.listen(s, 1n)
      assert.equal(l.frontier, 1n)
      const first = await l.fetchNext()
      assert.deepEqual(first, [
        { type: 'updates', updates: [upd('a', 2n, -1n), upd('b', 2n), upd('c', 3n)] },
        { type: 'progress', upper: 4n },
      ])
      assert.equal(l.frontier, 4n)
      setTimeout(() => void store.compareAndAppend(s, [upd('e', 4n)], 4n, 6n), 30)
      assert.deepEqual(await l.fetchNext(), [
        { type: 'updates', updates: [upd('e', 4n)] },
        { type: 'progress', upper: 6n },
      ])
      setTimeout(() => void store.compareAndAppend(s, [], 6n, 7n), 30)
      assert.deepEqual(await l.fetchNext(), [{ type: 'progress', upper: 7n }])
      await rejectsWith(l.fetchNext(), AsOfNotYetAvailableError)
      await l.expire()
      await rejectsWith(l.fetchNext(), LeaseExpiredError)
    }))

  it('a listen at an as-of at or beyond the upper starts empty', () =>
    withStore(make, {}, async ({ store }) => {
      const s = await history(store)
      const l = await store.listen(s, 10n)
      await store.compareAndAppend(s, [upd('x', 4n), upd('y', 11n)], 4n, 12n)
      assert.deepEqual(await l.fetchNext(), [
        { type: 'updates', updates: [upd('y', 11n)] },
        { type: 'progress', upper: 12n },
      ])
    }))
}

export function u64Tests(make: StoreFactory): void {
  it('timestamps and frontiers are exact from 0 to 2^64-1', () =>
    withStore(make, {}, async ({ store }) => {
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
      assert.deepEqual(
        kept.map((u) => u.ts).sort((a, b) => (a < b ? -1 : 1)),
        times,
      )
      assert.deepEqual(
        (await store.snapshot(s, (1n << 63n) - 1n)).map((u) => u.ts),
        Array(5).fill((1n << 63n) - 1n),
      )
      assert.equal((await collect(store.snapshotStream(s, 1n << 53n))).length, 3)
      const l = await store.listen(s, (1n << 63n) - 1n)
      assert.deepEqual(await l.fetchNext(), [
        { type: 'updates', updates: [upd(`t${1n << 63n}`, 1n << 63n), upd(`t${U64_MAX - 1n}`, U64_MAX - 1n)] },
        { type: 'progress', upper: U64_MAX },
      ])
      assert.deepEqual((await store.inspect(s)).upper, [U64_MAX])
      await rejectsUsage(store.compareAndAppend(s, [upd('x', U64_MAX)], U64_MAX, U64_MAX + 1n), 'InvalidValue')
      assert.equal((await store.compareAndAppend(s, [upd('last', U64_MAX)], U64_MAX, null)).ok, true)
      assert.equal((await store.snapshot(s, U64_MAX, { keepTimestamps: true })).find((u) => u.data === 'last')?.ts, U64_MAX)
    }))

  it('diffs are exact i64', () =>
    withStore(make, {}, async ({ store }) => {
      const s = newShard()
      const extremes = [upd('min', 0n, -(1n << 63n)), upd('max', 0n, (1n << 63n) - 1n), upd('big', 0n, (1n << 53n) + 1n)]
      await store.compareAndAppend(s, extremes, 0n, 1n)
      assert.deepEqual(await store.snapshot(s, 0n), sorted(extremes))
      await rejectsUsage(store.compareAndAppend(s, [upd('x', 1n, -(1n << 63n) - 1n)], 1n, 2n), 'InvalidValue')
    }))
}
