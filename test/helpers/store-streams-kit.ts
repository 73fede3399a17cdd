/**
 * Shared checks (run per backend) of the store's ordered consolidated streams and its streamed append (issue 13): the same contents
 * as the in-memory snapshot, in fixture order; an append that fails halfway writes nothing.
 */
import assert from 'node:assert/strict'
import { compareCodePoints } from '../../src/json/lossless-json.js'
import type { ShardStore, Update } from '../../src/store/shard-store.js'
import { collect } from './catalog-store.js'

const SHARD = 's00000000-0000-4000-8000-000000000001'

/** Rows appended in several commits, with cancelling pairs, duplicates and repeated (ts, data). */
async function seed(store: ShardStore): Promise<void> {
  const rows = ['{"b":1}', '{"a":2}', '{"c":"é"}', '{"a":10}', '{"z":[1,2]}']
  let upper = 0n
  for (let ts = 0n; ts < 6n; ts++) {
    const updates: Update[] = []
    for (const [i, data] of rows.entries()) {
      if ((Number(ts) + i) % 3 === 0) updates.push({ data, ts, diff: 1n }, { data, ts, diff: 1n })
      if ((Number(ts) + i) % 4 === 1) updates.push({ data, ts, diff: -1n })
    }
    const r = await store.compareAndAppend(SHARD, updates, upper, ts + 1n)
    assert.equal(r.ok, true)
    upper = ts + 1n
  }
}

function flatten(batches: readonly (readonly Update[])[]): Update[] {
  return batches.flat()
}

type Test = (name: string, fn: () => Promise<void>) => void

/** Registers the checks with `test` (node:test's `test` or `it`) on stores that `open` creates empty. */
export function streamChecks(test: Test, open: () => Promise<ShardStore>): void {
  test('snapshotConsolidated with timestamps: the snapshot per (ts, data), in (ts, data) order, in non-empty batches', async () => {
    const store = await open()
    try {
      await seed(store)
      const batches = await collect(store.snapshotConsolidated(SHARD, 5n, { keepTimestamps: true }))
      assert.ok(batches.every((b) => b.length > 0))
      const expected = (await store.snapshot(SHARD, 5n, { keepTimestamps: true })).sort((a, b) =>
        a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : compareCodePoints(a.data, b.data),
      )
      assert.deepEqual(flatten(batches), expected)
    } finally {
      await store.close()
    }
  })

  test('snapshotConsolidated at the as-of: the consolidated snapshot in data byte order', async () => {
    const store = await open()
    try {
      await seed(store)
      for (const asOf of [0n, 3n, 5n]) {
        const got = flatten(await collect(store.snapshotConsolidated(SHARD, asOf)))
        const expected = (await store.snapshot(SHARD, asOf)).sort((a, b) => compareCodePoints(a.data, b.data))
        assert.deepEqual(got, expected, `as of ${asOf}`)
        assert.ok(got.every((u) => u.ts === asOf && u.diff !== 0n))
      }
    } finally {
      await store.close()
    }
  })

  test('compareAndAppendBatches writes every batch in one state change', async () => {
    const store = await open()
    try {
      async function* batches(): AsyncGenerator<Update[]> {
        for (let i = 0; i < 5; i++) yield [{ data: `{"n":${i}}`, ts: BigInt(i), diff: 1n }]
      }
      const r = await store.compareAndAppendBatches(SHARD, batches(), 0n, 10n, { shardName: 'streamed' })
      assert.equal(r.ok, true)
      const state = await store.inspect(SHARD)
      assert.equal(state.shard_name, 'streamed')
      assert.deepEqual(state.upper, [10n])
      assert.equal(state.update_count, 5n)
      // Creation and the append: two seqnos, one for the append however many batches it had.
      assert.equal(state.seqno, 2n)
      const mismatch = await store.compareAndAppendBatches(SHARD, batches(), 0n, 10n)
      assert.deepEqual(mismatch, { ok: false, expected: 0n, current: 10n })
    } finally {
      await store.close()
    }
  })

  test('compareAndAppendBatches that fails halfway writes nothing, not even the shard', async () => {
    const store = await open()
    try {
      async function* failing(): AsyncGenerator<Update[]> {
        yield [{ data: '{"n":1}', ts: 0n, diff: 1n }]
        throw new Error('bad line 3')
      }
      await assert.rejects(store.compareAndAppendBatches(SHARD, failing(), 0n, 10n, { shardName: 'x' }), /bad line 3/)
      async function* outOfRange(): AsyncGenerator<Update[]> {
        yield [{ data: '{"n":1}', ts: 0n, diff: 1n }]
        yield [{ data: '{"n":2}', ts: 10n, diff: 1n }]
      }
      await assert.rejects(store.compareAndAppendBatches(SHARD, outOfRange(), 0n, 10n), { name: 'InvalidUsageError' })
      assert.deepEqual(await store.listShards(), [])
      // The handle works normally afterwards.
      assert.equal((await store.compareAndAppend(SHARD, [{ data: '{"n":3}', ts: 0n, diff: 1n }], 0n, 1n)).ok, true)
    } finally {
      await store.close()
    }
  })
}
