/**
 * A new store built privately (`OpenStoreOptions.privateBuild`, what `import`, `copy --to` and
 * `init` use for a new file under its temporary name; issue 13): written with the journal in
 * memory and no fsync while open, and an ordinary store when closed: write-ahead logging,
 * synchronous=FULL, every index, the format marker, nothing left in a `-wal`. A rollback still
 * works while building, and an existing store is never opened that way.
 */
import assert from 'node:assert/strict'
import { statSync } from 'node:fs'
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
    // 70 rows: two multi-row inserts and a remainder of single rows.
    yield Array.from({ length: 70 }, (_, i) => ({ data: `item|k${(b * 70 + i) % 41}|v${b}-${i}`, ts: BigInt(b), diff: 1n }))
  }
}

/** What every open expects of a store file, read without the store layer. */
function fileShape(path: string): Record<string, unknown> {
  const raw = openRawDatabase(path, { readOnly: true, mustExist: true })
  try {
    const pragma = (name: string) => Object.values(raw.all(`PRAGMA ${name}`)[0] as object)[0]
    return {
      journal_mode: pragma('journal_mode'),
      user_version: pragma('user_version'),
      application_id: pragma('application_id'),
      integrity: pragma('integrity_check'),
      indexes: raw
        .all("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'updates' ORDER BY name")
        .map((r) => String(r.name)),
      rows: raw.all('SELECT COUNT(*) AS n FROM updates')[0]?.n,
    }
  } finally {
    raw.close()
  }
}

const INDEXES = ['updates_by_a_ts', 'updates_by_lookup', 'updates_by_ts']

it('a private build is written without a journal on disk or fsync, and closes as an ordinary WAL store', async () => {
  const path = tmp.path('built.db')
  const store = await SqliteShardStore.open(path, { create: true, privateBuild: true, lookup })
  assert.equal(store.info.settings.journal_mode, 'memory')
  assert.equal(store.info.settings.synchronous, 'off')
  assert.equal((await store.compareAndAppendBatches(S, batches(10), 0n, 10n)).ok, true)
  // Reads work while building (copy verifies before it closes), through a second connection too.
  let streamed = 0
  for await (const batch of store.snapshotBatches(S, 9n, { keepTimestamps: true })) streamed += batch.length
  assert.equal(streamed, 700)
  assert.equal(statSync(`${path}-wal`, { throwIfNoEntry: false }), undefined)
  await store.close()
  assert.deepEqual(fileShape(path), {
    journal_mode: 'wal',
    user_version: 1n,
    application_id: 0x43444247n,
    integrity: 'ok',
    indexes: INDEXES,
    rows: 700n,
  })
  assert.equal(statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0, 0)
  const reopened = await SqliteShardStore.open(path, { lookup })
  try {
    assert.equal(reopened.info.settings.journal_mode, 'wal')
    assert.equal(reopened.info.settings.synchronous, 'full')
    assert.equal(await reopened.fetchRecentUpper(S), 10n)
    assert.deepEqual(await reopened.countUpdates(S, 9n, { a: 'item', b: 'k3' }), { total: 17n, additions: 17n, retractions: 0n })
  } finally {
    await reopened.close()
  }
})

it('a failed append in a private build rolls back: the journal in memory still undoes it', async () => {
  const path = tmp.path('failed.db')
  const store = await SqliteShardStore.open(path, { create: true, privateBuild: true, lookup })
  await assert.rejects(store.compareAndAppendBatches(S, batches(10, 6), 0n, 10n), /the source failed/)
  assert.equal(await store.fetchRecentUpper(S), 0n)
  await store.close()
  assert.deepEqual(fileShape(path), {
    journal_mode: 'wal',
    user_version: 1n,
    application_id: 0x43444247n,
    integrity: 'ok',
    indexes: INDEXES,
    rows: 0n,
  })
})

it('an existing store is never opened as a private build', async () => {
  const path = tmp.path('existing.db')
  await (await SqliteShardStore.open(path, { create: true, lookup })).close()
  const store = await SqliteShardStore.open(path, { create: true, privateBuild: true, lookup })
  try {
    assert.equal(store.info.settings.journal_mode, 'wal')
    assert.equal(store.info.settings.synchronous, 'full')
  } finally {
    await store.close()
  }
})
