/**
 * `history` streams a key's updates and keeps each version as its stored text (decoded when read),
 * and writes its output in chunks: the versions, their order and their counts are what the key's
 * updates say (a row inserted twice and retracted in parts, a value put back, a retraction and an
 * insertion at one time, a row that does not decode), and the chunked JSON is the JSON document.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { openUnopenedCatalog, type HistoryEntry } from '../../src/catalog/index.js'
import { CATALOG_SEED, shardId } from '../../src/store/shard-id.js'
import type { ShardStore, Update } from '../../src/store/shard-store.js'
import { historyChunks } from '../../src/render/history.js'
import { jsonDocument } from '../../src/render/json-text.js'
import type { JsonObject } from '../../src/json/lossless-json.js'
import { newMemoryStore, seedCatalog, settingRow, TEST_ORG } from '../helpers/fixture-testing.js'

const SHARD = shardId(TEST_ORG, CATALOG_SEED)
const BROKEN = '{"key":{"name":"h"},"kind":"Setting","value":{"value":7}}'

async function append(store: ShardStore, updates: Omit<Update, 'ts'>[]): Promise<bigint> {
  const upper = (await store.fetchRecentUpper(SHARD)) as bigint
  assert.equal(
    (
      await store.compareAndAppend(
        SHARD,
        updates.map((u) => ({ ...u, ts: upper })),
        upper,
        upper + 1n,
      )
    ).ok,
    true,
  )
  return upper
}

test('history keeps every version of a key as its updates say, in time order', async () => {
  const store = await newMemoryStore()
  await seedCatalog(store)
  const [a, b] = [settingRow('h', 'a'), settingRow('h', 'b')]
  const t1 = await append(store, [{ data: a, diff: 2n }])
  const t2 = await append(store, [
    { data: a, diff: -1n },
    { data: b, diff: 1n },
  ])
  const t3 = await append(store, [
    { data: a, diff: -1n },
    { data: BROKEN, diff: 1n },
  ])
  const t4 = await append(store, [
    { data: BROKEN, diff: -1n },
    { data: b, diff: -1n },
    { data: a, diff: 1n },
  ])
  const debug = await (await openUnopenedCatalog(store, TEST_ORG)).openDebug()
  const entries = await debug.history('setting', '{"name":"h"}')
  const versions = entries.map((e) => [e.raw, e.writtenAt, e.retractedAt, e.count ?? 1n, e.undecodable !== undefined])
  assert.deepEqual(versions, [
    [a, t1, t2, 1n, false],
    [a, t1, t3, 1n, false],
    [b, t2, t4, 1n, false],
    [BROKEN, t3, t4, 1n, true],
    [a, t4, null, 1n, false],
  ])
  assert.deepEqual(entries[0]?.value, { value: 'a' })

  // The chunked renderings are the documents of the whole list, whatever the chunk size.
  const keyHistory = await debug.keyHistory('setting', '{"name":"h"}')
  assert.equal(keyHistory.length, entries.length)
  const json = (e: HistoryEntry): JsonObject => ({
    value: e.value,
    written_at: e.writtenAt,
    retracted_at: e.retractedAt,
    written_by: null,
    ...(e.retractedAt === null ? {} : { retracted_by: null }),
    ...(e.undecodable === undefined ? {} : { undecodable: e.undecodable, raw: e.raw }),
  })
  for (const size of [1, 2, 256]) {
    assert.equal(
      [...historyChunks(() => keyHistory.entries(), keyHistory.length, 'json', [], size)].join(''),
      jsonDocument(entries.map(json), 'json'),
    )
    assert.equal(
      [...historyChunks(() => keyHistory.entries(), keyHistory.length, 'ndjson', [], size)].join(''),
      entries.map((e) => jsonDocument(json(e), 'ndjson')).join(''),
    )
  }
})

test('a version inserted several times at once stays one version with its count until retracted', async () => {
  const store = await newMemoryStore()
  await seedCatalog(store)
  const a = settingRow('n', 'a')
  const t1 = await append(store, [{ data: a, diff: 3n }])
  const t2 = await append(store, [{ data: a, diff: -1n }])
  const debug = await (await openUnopenedCatalog(store, TEST_ORG)).openDebug()
  const entries = await debug.history('setting', '{"name":"n"}')
  assert.deepEqual(
    entries.map((e) => [e.writtenAt, e.retractedAt, e.count]),
    [
      [t1, t2, undefined],
      [t1, null, 2n],
    ],
  )
})
