/**
 * Conformance: leased readers and lease expiry, critical since handles and their opaque token,
 * the shard since as the meet of all readers, compaction, inspect and listShards.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { LeaseExpiredError, NotFoundError } from '../../src/errors.js'
import type { Frontier } from '../../src/store/shard-store.js'
import {
  BUILD,
  FakeClock,
  type StoreFactory,
  collect,
  newShard,
  rejectsUsage,
  rejectsWith,
  seqno,
  sorted,
  upd,
  withStore,
} from './store-conformance-kit.js'

const CRITICAL = 'c00000000-1111-2222-3333-444444444444'
const OTHER_CRITICAL = 'c99999999-1111-2222-3333-444444444444'
const I64_MIN = -(1n << 63n)
const MINUTE = 60_000n

export function leasedReaderTests(make: StoreFactory): void {
  it('a leased reader starts at the since, only moves forward, and holds the since back', () =>
    withStore(make, {}, async ({ store }) => {
      const s = newShard()
      await store.compareAndAppend(s, [upd('a', 0n)], 0n, 10n)
      const r1 = await store.openLeasedReader(s, 'snapshot')
      assert.match(r1.readerId, /^r[0-9a-f-]{36}$/)
      assert.equal(r1.since, 0n)
      const r2 = await store.openLeasedReader(s, 'listen')
      assert.equal(await store.downgradeSince(s, r1.readerId, 5n), 5n)
      assert.equal(await store.fetchSince(s), 0n, 'r2 still holds 0')
      assert.equal(await store.downgradeSince(s, r2.readerId, 3n), 3n)
      assert.equal(await store.fetchSince(s), 3n)
      assert.equal(await store.downgradeSince(s, r1.readerId, 2n), 5n, 'a reader since never moves back')
      // Expiring a reader does not advance the since (persist TODO #22789).
      await store.expireLeasedReader(s, r2.readerId)
      assert.equal(await store.fetchSince(s), 3n)
      await rejectsWith(store.downgradeSince(s, r2.readerId, 9n), LeaseExpiredError)
      // A new reader registers at the shard since, not at r1's.
      assert.equal((await store.openLeasedReader(s, 'x')).since, 3n)
      const st = await store.inspect(s)
      const lr = st.leased_readers[r1.readerId]
      assert.ok(lr !== undefined)
      assert.deepEqual(lr.since, [5n])
      assert.equal(lr.lease_duration_ms, 15n * MINUTE)
      assert.equal(lr.debug.purpose, 'snapshot')
      await rejectsUsage(store.downgradeSince(s, 'not-a-reader', 1n), 'InvalidValue')
    }))

  it('leases expire lazily on the next state change after 15 (readers) and 60 (writers) minutes', () => {
    const clock = new FakeClock()
    return withStore(make, { now: clock.now }, async ({ store }) => {
      const s = newShard()
      const writer = { writerId: 'w11111111-1111-1111-1111-111111111111', idempotencyToken: 'i11111111-1111-1111-1111-111111111111' }
      await store.compareAndAppend(s, [], 0n, 1n, writer)
      const r = await store.openLeasedReader(s, 'test')
      const start = clock.t
      clock.advance(15n * MINUTE) // heartbeat + lease == now: still alive
      await store.compareAndAppend(s, [], 1n, 2n)
      assert.ok((await store.inspect(s)).leased_readers[r.readerId] !== undefined)
      clock.advance(1n)
      // Nothing expires until some state change happens.
      assert.ok((await store.inspect(s)).leased_readers[r.readerId] !== undefined)
      await store.compareAndAppend(s, [], 2n, 3n)
      const st = await store.inspect(s)
      assert.deepEqual(st.leased_readers, {})
      assert.ok(st.writers[writer.writerId] !== undefined)
      await rejectsWith(store.downgradeSince(s, r.readerId, 1n), LeaseExpiredError)
      clock.t = start + 60n * MINUTE + 1n
      await store.compareAndAppend(s, [], 3n, 4n)
      assert.deepEqual((await store.inspect(s)).writers, {})
    })
  })
}

export function criticalReaderTests(make: StoreFactory): void {
  it('a critical handle starts at opaque i64::MIN and the since; re-opening keeps both', () =>
    withStore(make, {}, async ({ store }) => {
      const s = newShard()
      await store.compareAndAppend(s, [], 0n, 10n)
      const h = await store.openCriticalReader(s, CRITICAL, 'controller')
      assert.deepEqual(h, { readerId: CRITICAL, since: 0n, opaque: I64_MIN })
      assert.deepEqual(await store.compareAndDowngradeSince(s, CRITICAL, I64_MIN, 5n, 4n), { ok: true, since: 4n })
      assert.deepEqual(await store.openCriticalReader(s, CRITICAL, 'controller'), { readerId: CRITICAL, since: 4n, opaque: 5n })
      const c = (await store.inspect(s)).critical_readers[CRITICAL]
      assert.deepEqual(c, { since: [4n], opaque: 5n, opaque_codec: 'i64', debug: { hostname: c!.debug.hostname, purpose: 'controller' } })
      await rejectsUsage(store.openCriticalReader(s, 'r00000000-1111-2222-3333-444444444444', 'x'), 'InvalidValue')
      await rejectsWith(store.compareAndDowngradeSince(s, OTHER_CRITICAL, I64_MIN, 0n, 1n), NotFoundError)
    }))

  it('a wrong opaque returns the actual one, changes nothing, and consumes a seqno', () =>
    withStore(make, {}, async ({ store }) => {
      const s = newShard()
      await store.compareAndAppend(s, [], 0n, 10n)
      await store.openCriticalReader(s, CRITICAL, 'x')
      await store.compareAndDowngradeSince(s, CRITICAL, I64_MIN, 7n, 2n)
      const before = await seqno(store, s)
      assert.deepEqual(await store.compareAndDowngradeSince(s, CRITICAL, 100n, 8n, 5n), { ok: false, opaque: 7n, since: 2n })
      assert.equal(await seqno(store, s), before + 1n)
      assert.equal(await store.fetchSince(s), 2n)
      // A since that would regress keeps since and opaque.
      assert.deepEqual(await store.compareAndDowngradeSince(s, CRITICAL, 7n, 9n, 1n), { ok: true, since: 2n })
      assert.equal((await store.inspect(s)).critical_readers[CRITICAL]?.opaque, 7n)
    }))

  it('the shard since is the meet of all readers and never regresses', () =>
    withStore(make, {}, async ({ store }) => {
      const s = newShard()
      await store.compareAndAppend(s, [], 0n, 20n)
      const sinces: Frontier[] = []
      const observe = async () => sinces.push(await store.fetchSince(s))
      await store.openCriticalReader(s, CRITICAL, 'a')
      await store.openCriticalReader(s, OTHER_CRITICAL, 'b')
      const r = await store.openLeasedReader(s, 'c')
      await store.compareAndDowngradeSince(s, CRITICAL, I64_MIN, I64_MIN, 8n)
      await observe()
      await store.compareAndDowngradeSince(s, OTHER_CRITICAL, I64_MIN, I64_MIN, 6n)
      await observe()
      await store.downgradeSince(s, r.readerId, 7n)
      await observe()
      await store.expireLeasedReader(s, r.readerId)
      await observe()
      await store.compareAndDowngradeSince(s, OTHER_CRITICAL, I64_MIN, I64_MIN, 12n)
      await observe()
      await store.compareAndDowngradeSince(s, CRITICAL, I64_MIN, I64_MIN, null)
      await observe()
      await store.compareAndDowngradeSince(s, OTHER_CRITICAL, I64_MIN, I64_MIN, null)
      await observe()
      assert.deepEqual(sinces, [0n, 0n, 6n, 6n, 8n, 12n, null])
    }))
}

export function compactionTests(make: StoreFactory): void {
  it('compaction forwards updates before the since and consolidates them, preserving every read >= since', () =>
    withStore(make, {}, async ({ store }) => {
      const s = newShard()
      await store.compareAndAppend(s, [upd('a', 0n), upd('b', 0n)], 0n, 1n)
      await store.compareAndAppend(s, [upd('a', 1n, -1n), upd('b', 1n)], 1n, 2n)
      await store.compareAndAppend(s, [upd('c', 2n), upd('b', 2n, -1n)], 2n, 3n)
      await store.compareAndAppend(s, [upd('d', 3n)], 3n, 4n)
      await store.openCriticalReader(s, CRITICAL, 'x')
      await store.compareAndDowngradeSince(s, CRITICAL, I64_MIN, I64_MIN, 2n)
      const reads = async () => ({
        at2: await store.snapshot(s, 2n),
        at3: await store.snapshot(s, 3n),
        kept3: await store.snapshot(s, 3n, { keepTimestamps: true }),
      })
      const before = await reads()
      const seq = await seqno(store, s)
      assert.deepEqual(await store.compact(s), { before: 7n, after: 3n })
      assert.equal(await seqno(store, s), seq + 1n)
      const after = await reads()
      assert.deepEqual(after.at2, before.at2)
      assert.deepEqual(after.at3, before.at3)
      assert.deepEqual(after.kept3, [upd('b', 2n), upd('c', 2n), upd('d', 3n)])
      assert.deepEqual(sorted(await collect(store.snapshotStream(s, 3n, { keepTimestamps: true }))), after.kept3)
      assert.equal((await store.inspect(s)).update_count, 3n)
      // Nothing left to do: no write.
      assert.deepEqual(await store.compact(s), { before: 3n, after: 3n })
      assert.equal(await seqno(store, s), seq + 1n)
    }))
}

export function inspectTests(make: StoreFactory): void {
  it('inspect reports persist field names and never writes; an absent shard is NotFound', () =>
    withStore(make, {}, async ({ store }) => {
      const s = newShard()
      await rejectsWith(store.inspect(s), NotFoundError, (e) => assert.equal(e.message, `${s} does not exist`))
      await store.openShard(s, { shardName: 'catalog', labels: { organization_id: 'org' } })
      const writer = { writerId: 'w11111111-1111-1111-1111-111111111111', idempotencyToken: 'i11111111-1111-1111-1111-111111111111' }
      await store.compareAndAppend(s, [upd('a', 0n)], 0n, 1n, writer)
      const st = await store.inspect(s)
      assert.deepEqual(Object.keys(st).sort(), [
        'applier_version',
        'critical_readers',
        'hostname',
        'labels',
        'leased_readers',
        'seqno',
        'shard_id',
        'shard_name',
        'since',
        'tombstone',
        'update_count',
        'upper',
        'walltime_ms',
        'writers',
      ])
      assert.equal(st.applier_version, BUILD)
      assert.equal(st.shard_id, s)
      assert.equal(st.shard_name, 'catalog')
      assert.deepEqual(st.labels, { organization_id: 'org' })
      assert.equal(st.seqno, 2n)
      assert.equal(typeof st.walltime_ms, 'bigint')
      assert.deepEqual(st.since, [0n])
      assert.deepEqual(st.upper, [1n])
      assert.equal(st.tombstone, false)
      assert.equal(st.update_count, 1n)
      const w = st.writers[writer.writerId]
      assert.ok(w !== undefined)
      assert.equal(w.lease_duration_ms, 60n * MINUTE)
      assert.deepEqual(await store.inspect(s), st, 'inspect does not write')
      await rejectsUsage(store.inspect('bogus'), 'InvalidShardId')
    }))

  it('listShards lists every shard in id order with frontiers and counts', () =>
    withStore(make, {}, async ({ store }) => {
      const a = newShard()
      const b = newShard()
      await store.openShard(a, { shardName: 'first' })
      await store.compareAndAppend(b, [upd('x', 0n), upd('y', 1n)], 0n, 2n)
      const listed = (await store.listShards()).filter((l) => l.shardId === a || l.shardId === b)
      assert.deepEqual(
        listed.map((l) => l.shardId),
        [a, b].sort(),
      )
      const lb = listed.find((l) => l.shardId === b)!
      assert.deepEqual(
        { ...lb, labels: { ...lb.labels } },
        { shardId: b, shardName: '', labels: {}, upper: 2n, since: 0n, seqno: 2n, updates: 2n },
      )
      assert.equal(listed.find((l) => l.shardId === a)!.shardName, 'first')
    }))
}
