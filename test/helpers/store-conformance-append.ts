/**
 * Conformance: compare-and-append (persist `compare_and_append`, `contiguous_compare_and_append`,
 * `invalid_usage`, `caa_idempotent`), seqno / walltime / applier_version stamping, the version gate,
 * read-only and closed handles.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { IncompatibleVersionError, NotFoundError, ReadOnlyError, StoreError } from '../../src/errors.js'
import type { ShardStore } from '../../src/store/shard-store.js'
import {
  BUILD,
  FakeClock,
  type StoreFactory,
  appendAt,
  collect,
  newShard,
  rejectsUsage,
  rejectsWith,
  seqno,
  upd,
  withStore,
} from './store-conformance-kit.js'

const W1 = { writerId: 'w11111111-1111-1111-1111-111111111111', idempotencyToken: 'i00000000-0000-0000-0000-000000000001' }

export function appendTests(make: StoreFactory): void {
  it('contiguous appends move the upper and are all readable', () =>
    withStore(make, {}, async ({ store }) => {
      const s = newShard()
      await store.openShard(s, { shardName: 'catalog' })
      assert.equal(await store.fetchRecentUpper(s), 0n)
      assert.deepEqual(await store.compareAndAppend(s, [upd('one', 1n), upd('two', 2n)], 0n, 3n), {
        ok: true,
        seqno: 2n,
        alreadyCommitted: false,
      })
      assert.equal(await store.fetchRecentUpper(s), 3n)
      assert.deepEqual(await store.snapshot(s, 2n), [upd('one', 2n), upd('two', 2n)])
      const res = await store.compareAndAppend(s, [upd('three', 3n)], 3n, 4n)
      assert.deepEqual(res, { ok: true, seqno: 3n, alreadyCommitted: false })
      assert.deepEqual(await store.snapshot(s, 3n), [upd('one', 3n), upd('three', 3n), upd('two', 3n)])
    }))

  it('non-contiguous expected upper (ahead) mismatches; fixing it succeeds', () =>
    withStore(make, {}, async ({ store }) => {
      const s = newShard()
      await store.compareAndAppend(s, [upd('1', 1n), upd('2', 2n)], 0n, 3n)
      assert.deepEqual(await store.compareAndAppend(s, [upd('5', 5n)], 5n, 6n), { ok: false, expected: 5n, current: 3n })
      assert.deepEqual(await store.compareAndAppend(s, [upd('3', 3n), upd('4', 4n), upd('5', 5n)], 3n, 6n), {
        ok: true,
        seqno: 3n,
        alreadyCommitted: false,
      })
      assert.deepEqual(
        (await store.snapshot(s, 5n)).map((u) => u.data),
        ['1', '2', '3', '4', '5'],
      )
    }))

  it('a mismatch behind the upper writes nothing and consumes no seqno', () =>
    withStore(make, {}, async ({ store }) => {
      const s = newShard()
      await appendAt(store, s, ['a'], 3n)
      const before = await store.inspect(s)
      assert.deepEqual(await store.compareAndAppend(s, [upd('b', 1n)], 1n, 2n, W1), { ok: false, expected: 1n, current: 3n })
      assert.deepEqual(await store.compareAndAppend(s, [], 0n, 9n), { ok: false, expected: 0n, current: 3n })
      const after = await store.inspect(s)
      assert.deepEqual(after, before)
      assert.deepEqual(after.writers, {}, 'a writer is registered only by a successful append')
      // The next success takes the very next seqno.
      assert.equal((await store.compareAndAppend(s, [], 3n, 4n)).ok, true)
      assert.equal(await seqno(store, s), before.seqno + 1n)
    }))

  it('invalid usage: exact kinds and messages, nothing written', () =>
    withStore(make, {}, async ({ store }) => {
      const s = newShard()
      await appendAt(store, s, ['x'], 3n)
      const before = await store.inspect(s)
      await rejectsUsage(
        store.compareAndAppend(s, [upd('a', 3n)], 4n, 5n),
        'UpdateNotBeyondLower',
        'timestamp 3 not beyond batch lower [4]',
      )
      await rejectsUsage(
        store.compareAndAppend(s, [upd('a', 3n)], 2n, 3n),
        'UpdateBeyondUpper',
        'maximum timestamp 3 is beyond the expected batch upper: [3]',
      )
      await rejectsUsage(
        store.compareAndAppend(s, [upd('a', 3n), upd('b', 7n), upd('c', 5n)], 3n, 6n),
        'UpdateBeyondUpper',
        'maximum timestamp 7 is beyond the expected batch upper: [6]',
      )
      await rejectsUsage(store.compareAndAppend(s, [], 3n, 2n), 'InvalidBounds', 'invalid bounds [[3], [2])')
      await rejectsUsage(store.compareAndAppend(s, [upd('a', 3n)], 3n, 2n), 'InvalidBounds')
      await rejectsUsage(store.compareAndAppend(s, [], null, 2n), 'InvalidBounds', 'invalid bounds [[], [2])')
      await rejectsUsage(
        store.compareAndAppend(s, [upd('a', 3n)], 3n, 3n),
        'InvalidEmptyTimeInterval',
        'invalid empty time interval [[3], [3]) with 1 update(s)',
      )
      await rejectsUsage(
        store.compareAndAppend(s, [upd('a', 3n)], null, null),
        'UpdateNotBeyondLower',
        'timestamp 3 not beyond batch lower []',
      )
      await rejectsUsage(store.compareAndAppend(s, [upd('a', -1n)], 3n, 4n), 'InvalidValue')
      await rejectsUsage(store.compareAndAppend(s, [upd('a', 3n, 1n << 63n)], 3n, 4n), 'InvalidValue')
      await rejectsUsage(store.compareAndAppend(s, [{ data: 'a', ts: 3 as unknown as bigint, diff: 1n }], 3n, 4n), 'InvalidValue')
      await rejectsUsage(store.compareAndAppend(s, [{ data: 7 as unknown as string, ts: 3n, diff: 1n }], 3n, 4n), 'InvalidValue')
      await rejectsUsage(store.compareAndAppend(s, [], 3n, 1n << 64n), 'InvalidValue')
      await rejectsUsage(store.compareAndAppend(s, [], 3n, 4n, { writerId: 'nope', idempotencyToken: W1.idempotencyToken }), 'InvalidValue')
      await rejectsUsage(store.compareAndAppend('not-a-shard', [], 0n, 1n), 'InvalidShardId')
      assert.deepEqual(await store.inspect(s), before)
    }))

  it('a retry with the committed idempotency token reports success without appending twice', () =>
    withStore(make, {}, async ({ store }) => {
      const s = newShard()
      const first = await store.compareAndAppend(s, [upd('a', 0n), upd('b', 0n)], 0n, 1n, W1)
      assert.deepEqual(first, { ok: true, seqno: 2n, alreadyCommitted: false })
      await store.compareAndAppend(s, [upd('c', 1n)], 1n, 2n) // another writer moves on
      const retry = await store.compareAndAppend(s, [upd('a', 0n), upd('b', 0n)], 0n, 1n, W1)
      assert.deepEqual(retry, { ok: true, seqno: 2n, alreadyCommitted: true })
      assert.equal((await store.inspect(s)).update_count, 3n)
      assert.equal(await seqno(store, s), 3n)
      // A new token at a stale upper is an ordinary mismatch.
      const fresh = { ...W1, idempotencyToken: 'i00000000-0000-0000-0000-000000000002' }
      assert.deepEqual(await store.compareAndAppend(s, [upd('a', 0n)], 0n, 1n, fresh), { ok: false, expected: 0n, current: 2n })
      const w = (await store.inspect(s)).writers[W1.writerId]
      assert.ok(w !== undefined)
      assert.equal(w.most_recent_write_token, W1.idempotencyToken)
      assert.deepEqual(w.most_recent_write_upper, [1n])
    }))

  it('an empty interval [u, u) is a heartbeat: new seqno, same upper, writer registered', () =>
    withStore(make, {}, async ({ store }) => {
      const s = newShard()
      await appendAt(store, s, ['a'], 2n)
      const before = await seqno(store, s)
      const res = await store.compareAndAppend(s, [], 2n, 2n, W1)
      assert.deepEqual(res, { ok: true, seqno: before + 1n, alreadyCommitted: false })
      const st = await store.inspect(s)
      assert.deepEqual(st.upper, [2n])
      assert.equal(st.update_count, 1n)
      assert.deepEqual(Object.keys(st.writers), [W1.writerId])
    }))

  it('an append to an absent shard creates it; a mismatch on one leaves it absent', () =>
    withStore(make, {}, async ({ store }) => {
      const s = newShard()
      assert.deepEqual(await store.compareAndAppend(s, [], 5n, 6n), { ok: false, expected: 5n, current: 0n })
      await rejectsWith(store.inspect(s), NotFoundError)
      assert.deepEqual(await store.compareAndAppend(s, [upd('a', 0n)], 0n, 1n), { ok: true, seqno: 2n, alreadyCommitted: false })
      assert.equal((await store.inspect(s)).seqno, 2n)
    }))

  it('an empty new upper finishes the shard; later appends see upper []', () =>
    withStore(make, {}, async ({ store }) => {
      const s = newShard()
      assert.equal((await store.compareAndAppend(s, [upd('a', 0n), upd('z', (1n << 64n) - 1n)], 0n, null)).ok, true)
      assert.equal(await store.fetchRecentUpper(s), null)
      assert.deepEqual(await store.compareAndAppend(s, [], 1n, 2n), { ok: false, expected: 1n, current: null })
      assert.deepEqual(
        (await store.snapshot(s, 5n)).map((u) => u.data),
        ['a'],
      )
      assert.deepEqual((await store.inspect(s)).upper, [])
    }))
}

export function stampingTests(make: StoreFactory): void {
  it('every state change takes seqno + 1 and a strictly later walltime, even on a frozen clock', () => {
    const clock = new FakeClock()
    return withStore(make, { now: clock.now }, async ({ store }) => {
      const s = newShard()
      await store.openShard(s, { shardName: 'x' })
      const seen = [await store.inspect(s)]
      await store.compareAndAppend(s, [upd('a', 0n)], 0n, 1n)
      seen.push(await store.inspect(s))
      const r = await store.openLeasedReader(s, 'test')
      seen.push(await store.inspect(s))
      await store.downgradeSince(s, r.readerId, 1n)
      seen.push(await store.inspect(s))
      await store.openCriticalReader(s, 'c00000000-1111-2222-3333-444444444444', 'test')
      seen.push(await store.inspect(s))
      await store.expireLeasedReader(s, r.readerId)
      seen.push(await store.inspect(s))
      assert.deepEqual(
        seen.map((x) => x.seqno),
        [1n, 2n, 3n, 4n, 5n, 6n],
      )
      for (let i = 1; i < seen.length; i++) assert.ok(seen[i]!.walltime_ms > seen[i - 1]!.walltime_ms)
      assert.equal(seen[0]!.walltime_ms, clock.t)
      // openShard on an existing shard writes nothing.
      await store.openShard(s, { shardName: 'x' })
      assert.equal(await seqno(store, s), 6n)
    })
  })

  it('applier_version is max(stored, build): an older allowed build keeps the newer stamp', () =>
    withStore(make, {}, async (f) => {
      if (f.reopen === undefined) return
      const s = newShard()
      await f.store.compareAndAppend(s, [], 0n, 1n)
      assert.equal((await f.store.inspect(s)).applier_version, BUILD)
      const newer = await f.reopen({ buildVersion: '0.92.0' })
      await newer.compareAndAppend(s, [], 1n, 2n)
      assert.equal((await f.store.inspect(s)).applier_version, '0.92.0')
      // 0.91.0 may write 0.92.x state (one minor of slack), and must not lower the stamp.
      await f.store.compareAndAppend(s, [upd('a', 2n)], 2n, 3n)
      const st = await f.store.inspect(s)
      assert.equal(st.applier_version, '0.92.0')
      assert.equal(st.seqno, 4n)
    }))
}

export function versionGateTests(make: StoreFactory): void {
  it('state from more than one minor ahead is refused by every write and left unchanged', () =>
    withStore(make, {}, async (f) => {
      if (f.reopen === undefined) return
      const s = newShard()
      const future = await f.reopen({ buildVersion: '0.93.0' })
      await future.compareAndAppend(s, [upd('a', 0n)], 0n, 1n)
      const critical = 'c00000000-1111-2222-3333-444444444444'
      await future.openCriticalReader(s, critical, 'test')
      const leased = await future.openLeasedReader(s, 'test')
      const before = await f.store.inspect(s)
      assert.equal(before.applier_version, '0.93.0')
      const message = `${BUILD} received persist state from the future 0.93.0`
      const refused = (p: Promise<unknown>) => rejectsWith(p, IncompatibleVersionError, (e) => assert.equal(e.message, message))
      const store: ShardStore = f.store
      await refused(store.openShard(s, { shardName: 'x' }))
      await refused(store.compareAndAppend(s, [upd('b', 1n)], 1n, 2n))
      await refused(store.compareAndAppend(s, [], 0n, 2n))
      await refused(store.openLeasedReader(s, 'test'))
      await refused(store.downgradeSince(s, leased.readerId, 1n))
      await refused(store.expireLeasedReader(s, leased.readerId))
      await refused(store.openCriticalReader(s, critical, 'test'))
      await refused(store.compareAndDowngradeSince(s, critical, -(1n << 63n), 0n, 1n))
      await refused(store.compact(s))
      // Reads are not gated; inspect never is.
      assert.equal(await store.fetchRecentUpper(s), 1n)
      assert.deepEqual(await store.inspect(s), before)
      // A build one minor behind the data is within the slack, and keeps the newer stamp.
      const next = await f.reopen({ buildVersion: '0.92.0-dev' })
      assert.equal((await next.compareAndAppend(s, [], 1n, 2n)).ok, true)
      assert.equal((await next.inspect(s)).applier_version, '0.93.0')
    }))
}

export function readOnlyTests(make: StoreFactory): void {
  it('a read-only handle refuses every mutating method before touching anything', () =>
    withStore(make, {}, async (f) => {
      if (f.reopen === undefined) return
      const s = newShard()
      await f.store.compareAndAppend(s, [upd('a', 0n)], 0n, 1n)
      const leased = await f.store.openLeasedReader(s, 'test')
      const critical = 'c00000000-1111-2222-3333-444444444444'
      await f.store.openCriticalReader(s, critical, 'test')
      const before = await f.store.inspect(s)
      const ro = await f.reopen({ readOnly: true })
      assert.equal(ro.info.readOnly, true)
      await rejectsWith(ro.openShard(newShard(), { shardName: 'x' }), ReadOnlyError)
      await rejectsWith(ro.compareAndAppend(s, [upd('b', 1n)], 1n, 2n), ReadOnlyError)
      await rejectsWith(ro.compareAndAppend(s, [], 0n, 2n), ReadOnlyError)
      await rejectsWith(ro.openLeasedReader(s, 'x'), ReadOnlyError)
      await rejectsWith(ro.downgradeSince(s, leased.readerId, 1n), ReadOnlyError)
      await rejectsWith(ro.expireLeasedReader(s, leased.readerId), ReadOnlyError)
      await rejectsWith(ro.openCriticalReader(s, critical, 'x'), ReadOnlyError)
      await rejectsWith(ro.compareAndDowngradeSince(s, critical, -(1n << 63n), 0n, 1n), ReadOnlyError)
      await rejectsWith(ro.compact(s), ReadOnlyError)
      // Reads work and nothing changed; openShard of an existing shard needs no write.
      await ro.openShard(s, { shardName: 'x' })
      assert.deepEqual(await ro.snapshot(s, 0n), [upd('a', 0n)])
      assert.deepEqual(await ro.inspect(s), before)
      assert.deepEqual(await f.store.inspect(s), before)
    }))
}

export function closedHandleTests(make: StoreFactory): void {
  it('a closed handle refuses every method with StoreError store-closed (after the argument checks)', () =>
    withStore(make, {}, async (f) => {
      const s = newShard()
      await f.store.compareAndAppend(s, [upd('a', 0n)], 0n, 1n)
      const leased = (await f.store.openLeasedReader(s, 'test')).readerId
      const critical = 'c00000000-1111-2222-3333-444444444444'
      await f.store.openCriticalReader(s, critical, 'test')
      await f.store.close()
      await f.store.close() // idempotent
      const closed = (e: StoreError) => assert.equal(e.code, 'store-closed')
      const store = f.store
      await rejectsWith(store.listShards(), StoreError, closed)
      await rejectsWith(store.openShard(s, { shardName: 'x' }), StoreError, closed)
      await rejectsWith(store.compareAndAppend(s, [upd('b', 1n)], 1n, 2n), StoreError, closed)
      await rejectsWith(store.fetchRecentUpper(s), StoreError, closed)
      await rejectsWith(store.fetchSince(s), StoreError, closed)
      await rejectsWith(store.snapshot(s, 0n), StoreError, closed)
      await rejectsWith(collect(store.snapshotStream(s, 0n)), StoreError, closed)
      await rejectsWith(store.countUpdates(s, 0n), StoreError, closed)
      await rejectsWith(store.listen(s, 0n), StoreError, closed)
      await rejectsWith(store.openLeasedReader(s, 'x'), StoreError, closed)
      await rejectsWith(store.downgradeSince(s, leased, 1n), StoreError, closed)
      await rejectsWith(store.expireLeasedReader(s, leased), StoreError, closed)
      await rejectsWith(store.openCriticalReader(s, critical, 'x'), StoreError, closed)
      await rejectsWith(store.compareAndDowngradeSince(s, critical, -(1n << 63n), 0n, 1n), StoreError, closed)
      await rejectsWith(store.compact(s), StoreError, closed)
      await rejectsWith(store.inspect(s), StoreError, closed)
      await rejectsWith(store.integrityCheck(), StoreError, closed)
      // Arguments are checked first: a mixed-up argument is reported as such, closed or not.
      await rejectsUsage(store.fetchRecentUpper('not-a-shard'), 'InvalidShardId')
      // Other handles on the same store carry on.
      if (f.reopen !== undefined) {
        const other = await f.reopen({})
        assert.equal(await other.fetchRecentUpper(s), 1n)
      }
    }))
}
