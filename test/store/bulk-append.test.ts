/**
 * A streamed append into an empty table builds the indexes after the rows (issue 13, import and
 * copy speed): afterwards the store has exactly its indexes and reads as before; a stream that
 * fails rolls back to the empty table with its indexes.
 */
import assert from 'node:assert/strict'
import { after, it } from 'node:test'
import { shardId } from '../../src/store/shard-id.js'
import type { Update } from '../../src/store/shard-store.js'
import { openRawDatabase } from '../../src/store/sqlite/raw-database.js'
import { SqliteShardStore } from '../../src/store/sqlite/sqlite-shard-store.js'
import { makeTempDir } from '../helpers/tmp.js'

const tmp = makeTempDir()
after(() => tmp.cleanup())
const S = shardId('org', 1)
const lookup = (d: string) => d.split('|').slice(0, 2) as [string, string]

async function* batches(n: number, failAt?: number): AsyncGenerator<Update[]> {
  for (let b = 0; b < n; b++) {
    if (b === failAt) throw new Error('the source failed')
    yield Array.from({ length: 100 }, (_, i) => ({
      data: `${i % 2 === 0 ? 'item' : 'role'}|k${(b * 100 + i) % 37}|v${b}-${i}`,
      ts: BigInt(b),
      diff: 1n,
    }))
  }
}

function indexes(path: string): string[] {
  const raw = openRawDatabase(path, { readOnly: true, mustExist: true })
  try {
    const names = raw
      .all("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'updates' ORDER BY name")
      .map((r) => String(r.name))
    const check = raw.all('PRAGMA integrity_check').map((r) => String(r.integrity_check))
    assert.deepEqual(check, ['ok'])
    return names.map(
      (n) =>
        `${n}(${raw
          .all(`SELECT name FROM pragma_index_info('${n}') ORDER BY seqno`)
          .map((r) => String(r.name))
          .join(',')})`,
    )
  } finally {
    raw.close()
  }
}

const ALL = ['updates_by_a_ts(shard_id,lookup_a,ts,diff)', 'updates_by_lookup(shard_id,lookup_a,lookup_b,ts)', 'updates_by_ts(shard_id,ts)']

it('a bulk append into an empty table leaves every index in place, and reads find the rows', async () => {
  const path = tmp.path('bulk.db')
  const store = await SqliteShardStore.open(path, { create: true, lookup })
  assert.equal((await store.compareAndAppendBatches(S, batches(20), 0n, 20n)).ok, true)
  // A second append (the table is no longer empty) takes the ordinary path.
  async function* later(): AsyncGenerator<Update[]> {
    yield [{ data: 'role|late|v', ts: 20n, diff: 1n }]
  }
  assert.equal((await store.compareAndAppendBatches(S, later(), 20n, 21n)).ok, true)
  await store.close()
  assert.deepEqual(indexes(path), ALL)
  const reader = await SqliteShardStore.open(path, { readOnly: true })
  try {
    const one = await reader.snapshot(S, 19n, { where: { a: 'item', b: 'k0' } })
    assert.ok(one.length > 0 && one.every((u) => u.data.startsWith('item|k0|')))
    assert.deepEqual(await reader.countUpdates(S, 20n, { a: 'role' }), { total: 1001n, additions: 1001n, retractions: 0n })
  } finally {
    await reader.close()
  }
})

it('a bulk append whose source fails leaves the empty table and its indexes', async () => {
  const path = tmp.path('failed.db')
  const store = await SqliteShardStore.open(path, { create: true, lookup })
  await assert.rejects(store.compareAndAppendBatches(S, batches(20, 7), 0n, 20n), /the source failed/)
  assert.equal(await store.fetchRecentUpper(S), 0n)
  await store.close()
  assert.deepEqual(indexes(path), ALL)
})

it('a bulk append whose rows come out of time order reads back in time order (the ts index is kept through it)', async () => {
  const path = tmp.path('unordered.db')
  const store = await SqliteShardStore.open(path, { create: true, lookup })
  async function* backwards(): AsyncGenerator<Update[]> {
    for (let b = 9; b >= 0; b--) yield Array.from({ length: 50 }, (_, i) => ({ data: `item|k${i}|v${b}`, ts: BigInt(b), diff: 1n }))
  }
  assert.equal((await store.compareAndAppendBatches(S, backwards(), 0n, 10n)).ok, true)
  await store.close()
  assert.deepEqual(indexes(path), ALL)
  const reader = await SqliteShardStore.open(path, { readOnly: true })
  try {
    const ts: bigint[] = []
    for await (const batch of reader.snapshotBatches(S, 9n)) for (const u of batch) ts.push(u.ts)
    assert.equal(ts.length, 500)
    assert.ok(
      ts.every((t, i) => i === 0 || (ts[i - 1] as bigint) <= t),
      'the history reads in time order',
    )
    assert.deepEqual(await reader.countUpdates(S, 4n, { a: 'item' }), { total: 250n, additions: 250n, retractions: 0n })
  } finally {
    await reader.close()
  }
})
