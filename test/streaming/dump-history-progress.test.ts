/**
 * Progress of `dump` and `history` (issue 13): what the commands hand to the progress module
 * (src/cli/progress.ts decides whether and how it shows; test/cli/progress.test.ts covers that).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { openUnopenedCatalog } from '../../src/catalog/index.js'
import { CATALOG_SEED, shardId } from '../../src/store/shard-id.js'
import type { ShardStore } from '../../src/store/shard-store.js'
import { dumpEvents } from '../../src/cli/commands/dump/dump-events.js'
import { COLLECTION_NAMES } from '../../src/catalog/kinds/collections.js'
import { newMemoryStore, seedCatalog, settingRow, TEST_ORG } from '../helpers/fixture-testing.js'

const SHARD = shardId(TEST_ORG, CATALOG_SEED)
const VERSIONS = 600

/** The seeded catalog, then `VERSIONS` more versions of one setting, one append each. */
async function catalogWithLongHistory(): Promise<ShardStore> {
  const store = await newMemoryStore()
  await seedCatalog(store)
  let previous: string | undefined
  for (let i = 0; i < VERSIONS; i++) {
    const upper = (await store.fetchRecentUpper(SHARD)) as bigint
    const row = settingRow('long', `v${i}`)
    const updates = [{ data: row, ts: upper, diff: 1n }]
    if (previous !== undefined) updates.push({ data: previous, ts: upper, diff: -1n })
    assert.equal((await store.compareAndAppend(SHARD, updates, upper, upper + 1n)).ok, true)
    previous = row
  }
  return store
}

test('dump reports the updates read, rising to the total its statistics count (unknown ahead when consolidated)', async () => {
  const store = await catalogWithLongHistory()
  for (const consolidated of [false, true]) {
    const calls: [number, number | undefined][] = []
    let total = 0n
    let entries = 0
    const catalog = await openUnopenedCatalog(store, TEST_ORG)
    for await (const e of dumpEvents(catalog, {
      collections: [...COLLECTION_NAMES].sort(),
      consolidated,
      statsOnly: false,
      scanWhenStatsOnly: false,
      progress: (done, all) => calls.push([done, all]),
    })) {
      if (e.type === 'collection') total += e.stats.total
      if (e.type === 'entries') entries += e.entries.length
    }
    assert.ok(calls.length > 1, `${consolidated}: ${calls.length} reports`)
    const expectedTotal = consolidated ? undefined : Number(total)
    for (const [, all] of calls) assert.equal(all, expectedTotal)
    for (let i = 1; i < calls.length; i++) assert.ok((calls[i] as [number, unknown])[0] > (calls[i - 1] as [number, unknown])[0])
    assert.deepEqual(calls.at(-1), [entries, expectedTotal], `consolidated ${consolidated}`)
    assert.equal(total, BigInt(entries))
  }
})

test('history reports the updates decoded of all the key has', async () => {
  const store = await catalogWithLongHistory()
  const calls: [number, number][] = []
  const debug = await (await openUnopenedCatalog(store, TEST_ORG)).openDebug()
  const entries = await debug.history('setting', '{"name":"long"}', (done, total) => calls.push([done, total]))
  assert.equal(entries.length, VERSIONS)
  const updates = 2 * VERSIONS - 1
  assert.deepEqual(
    calls,
    Array.from({ length: Math.floor(updates / 256) }, (_, i) => [256 * (i + 1), updates]),
  )
})
