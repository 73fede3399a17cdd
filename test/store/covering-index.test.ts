/**
 * The statistics pass reads an index, not the table (issue 13): new stores have the (lookup a,
 * ts) index with `diff`; a store made before keeps its index on read-only opens (and counts the
 * same by reading the table) and gets the index rebuilt on its first read-write open.
 */
import assert from 'node:assert/strict'
import { after, it } from 'node:test'
import { shardId } from '../../src/store/shard-id.js'
import type { UpdateCounts } from '../../src/store/shard-store.js'
import { countByASql, countSql } from '../../src/store/sqlite/queries.js'
import { openRawDatabase } from '../../src/store/sqlite/raw-database.js'
import { SqliteShardStore } from '../../src/store/sqlite/sqlite-shard-store.js'
import { makeTempDir, sha256File } from '../helpers/tmp.js'

const tmp = makeTempDir()
after(() => tmp.cleanup())
const S = shardId('org', 1)
const lookup = (d: string) => d.split('|').slice(0, 2) as [string, string]

/** A store with three kinds, a retraction and a row without a lookup value, over three appends. */
async function storeWithRows(path: string): Promise<void> {
  const store = await SqliteShardStore.open(path, { create: true, lookup: (d) => (d.startsWith('odd') ? [null, null] : lookup(d)) })
  await store.compareAndAppend(
    S,
    [0, 1, 2, 3].map((i) => ({ data: `item|k${i}|v`, ts: 0n, diff: 1n })),
    0n,
    1n,
  )
  await store.compareAndAppend(
    S,
    [
      { data: 'item|k0|v', ts: 1n, diff: -1n },
      { data: 'role|r|v', ts: 1n, diff: 1n },
      { data: 'odd', ts: 1n, diff: 2n },
    ],
    1n,
    2n,
  )
  await store.compareAndAppend(S, [{ data: 'audit|1|v', ts: 2n, diff: 1n }], 2n, 3n)
  await store.close()
}

const indexColumns = (path: string): string[] => {
  const raw = openRawDatabase(path, { readOnly: true, mustExist: true })
  try {
    return raw.all("SELECT name FROM pragma_index_info('updates_by_a_ts') ORDER BY seqno").map((r) => String(r.name))
  } finally {
    raw.close()
  }
}

/** Turns a store into one made before the index carried `diff`. */
function withOldIndex(path: string): void {
  const raw = openRawDatabase(path, { mustExist: true })
  raw.exec('DROP INDEX updates_by_a_ts; CREATE INDEX updates_by_a_ts ON updates (shard_id, lookup_a, ts)')
  raw.close()
}

async function counts(path: string, readOnly: boolean, asOf: bigint): Promise<Map<string | null, UpdateCounts>> {
  const store = await SqliteShardStore.open(path, { readOnly })
  try {
    return await store.countUpdatesByLookupA(S, asOf)
  } finally {
    await store.close()
  }
}

async function total(path: string, asOf: bigint): Promise<UpdateCounts> {
  const store = await SqliteShardStore.open(path, { readOnly: true })
  try {
    return await store.countUpdates(S, asOf)
  } finally {
    await store.close()
  }
}

const EXPECTED_AT_1 = new Map<string | null, UpdateCounts>([
  ['item', { total: 5n, additions: 4n, retractions: 1n }],
  ['role', { total: 1n, additions: 1n, retractions: 0n }],
  [null, { total: 1n, additions: 1n, retractions: 0n }],
])

it('a new store counts by lookup a from the covering index alone', async () => {
  const path = tmp.path('new.db')
  await storeWithRows(path)
  assert.deepEqual(indexColumns(path), ['shard_id', 'lookup_a', 'ts', 'diff'])
  assert.deepEqual(await counts(path, true, 1n), EXPECTED_AT_1)
  assert.deepEqual((await counts(path, true, 2n)).get('audit'), { total: 1n, additions: 1n, retractions: 0n })
  assert.deepEqual(await total(path, 1n), { total: 7n, additions: 6n, retractions: 1n })
  const raw = openRawDatabase(path, { readOnly: true, mustExist: true })
  try {
    const plan = (covering: boolean) =>
      raw
        .all(`EXPLAIN QUERY PLAN ${countByASql(covering)}`, S, 0n)
        .map((r) => String(r.detail))
        .join(' | ')
    assert.match(plan(true), /^SEARCH updates USING COVERING INDEX updates_by_a_ts \(shard_id=\?\)$/)
    assert.match(plan(false), /SEARCH updates USING INDEX updates_by_ts/)
    const countAll = raw
      .all(`EXPLAIN QUERY PLAN ${countSql('all', true)}`, S, 0n)
      .map((r) => String(r.detail))
      .join(' | ')
    assert.match(countAll, /^SEARCH updates USING COVERING INDEX updates_by_a_ts \(shard_id=\?\)$/)
  } finally {
    raw.close()
  }
})

it('a store with the older index reads the same counts, untouched, and a write open rebuilds its index', async () => {
  const path = tmp.path('old.db')
  await storeWithRows(path)
  withOldIndex(path)
  assert.deepEqual(indexColumns(path), ['shard_id', 'lookup_a', 'ts'])
  const before = sha256File(path)
  assert.deepEqual(await counts(path, true, 1n), EXPECTED_AT_1)
  assert.deepEqual(await total(path, 1n), { total: 7n, additions: 6n, retractions: 1n })
  assert.equal(sha256File(path), before, 'a read-only open changes nothing')
  assert.deepEqual(indexColumns(path), ['shard_id', 'lookup_a', 'ts'])
  assert.deepEqual(await counts(path, false, 1n), EXPECTED_AT_1)
  assert.deepEqual(indexColumns(path), ['shard_id', 'lookup_a', 'ts', 'diff'])
  // Every read that names the index still works after the rebuild.
  const store = await SqliteShardStore.open(path, { readOnly: true })
  try {
    assert.deepEqual(
      (await store.snapshot(S, 1n, { where: { a: 'item' } })).map((u) => u.data),
      ['item|k1|v', 'item|k2|v', 'item|k3|v'],
    )
    assert.deepEqual(await store.countUpdates(S, 2n, { a: 'audit' }), { total: 1n, additions: 1n, retractions: 0n })
  } finally {
    await store.close()
  }
})
