/**
 * The SQLite store against damaged, foreign, newer, locked, read-only and missing files
 * (reliability plan T-6). Every refused file must be left byte-identical.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { copyFileSync, mkdirSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { after, describe, it } from 'node:test'
import {
  type CatalogDebugError,
  NotAStoreError,
  NotFoundError,
  ReadOnlyError,
  StoreBusyError,
  StoreCorruptError,
  StoreFormatTooNewError,
} from '../src/errors.js'
import { openRawDatabase } from '../src/store/sqlite/raw-database.js'
import { SqliteShardStore } from '../src/store/sqlite/sqlite-shard-store.js'
import { childDone, forkHelper, killAllChildren, makeStoreFile } from './helpers/store-fixtures.js'
import { fingerprint, listDir, makeTempDir, sha256File } from './helpers/tmp.js'

const tmp = makeTempDir()
after(async () => {
  await killAllChildren()
  tmp.cleanup()
})
let n = 0
const fresh = (name: string) => tmp.path(`${n++}-${name}`)

async function refuses(path: string, cls: new (...a: never[]) => CatalogDebugError, opts: { readOnly?: boolean; create?: boolean } = {}) {
  const before = sha256File(path)
  await assert.rejects(SqliteShardStore.open(path, { busyTimeoutMs: 200, ...opts }), (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${(e as Error).constructor.name}: ${(e as Error).message}`)
    return true
  })
  assert.equal(sha256File(path), before, 'the refused file is byte-identical')
}

async function refusedEveryWay(path: string, cls: new (...a: never[]) => CatalogDebugError): Promise<void> {
  await refuses(path, cls)
  await refuses(path, cls, { readOnly: true })
  await refuses(path, cls, { create: true })
}

describe('damaged files', () => {
  it('random bytes: StoreCorruptError', async () => {
    const p = fresh('random.db')
    writeFileSync(p, randomBytes(16384))
    await refusedEveryWay(p, StoreCorruptError)
  })

  it('a random file that starts with the SQLite header: StoreCorruptError', async () => {
    const p = fresh('header.db')
    writeFileSync(p, Buffer.concat([Buffer.from('SQLite format 3\0'), randomBytes(8192)]))
    await refusedEveryWay(p, StoreCorruptError)
  })

  it('truncated to 0 bytes: StoreCorruptError', async () => {
    const p = fresh('empty.db')
    writeFileSync(p, '')
    await refuses(p, StoreCorruptError)
    await refuses(p, StoreCorruptError, { readOnly: true })
  })

  it('truncated mid-file (page boundary and mid-page): StoreCorruptError', async () => {
    const good = fresh('good.db')
    await makeStoreFile(good, 2000)
    const size = statSync(good).size
    assert.ok(size >= 8 * 4096, `fixture has several pages (${size} bytes)`)
    for (const cut of [4096 * Math.floor(size / 8192), Math.floor(size / 2) + 123, 1000]) {
      const p = fresh(`trunc-${cut}.db`)
      copyFileSync(good, p)
      truncateSync(p, cut)
      await refuses(p, StoreCorruptError)
      await refuses(p, StoreCorruptError, { readOnly: true })
    }
  })
})

describe('foreign and newer files', () => {
  it('another application (other application_id): NotAStoreError', async () => {
    const p = fresh('other-app.db')
    const db = openRawDatabase(p)
    db.exec('PRAGMA application_id = 305419896; PRAGMA journal_mode = WAL; CREATE TABLE things (x INTEGER); INSERT INTO things VALUES (1)')
    db.close()
    await refusedEveryWay(p, NotAStoreError)
  })

  it('tables but no format marker: NotAStoreError', async () => {
    const p = fresh('no-marker.db')
    const db = openRawDatabase(p)
    db.exec('CREATE TABLE shards (shard_id TEXT)')
    db.close()
    await refusedEveryWay(p, NotAStoreError)
  })

  it('an empty SQLite database is not a store unless asked to create one', async () => {
    const p = fresh('blank.db')
    const db = openRawDatabase(p)
    db.exec('CREATE TABLE t (x); DROP TABLE t')
    db.close()
    await refuses(p, NotAStoreError)
    await refuses(p, NotAStoreError, { readOnly: true })
    const store = await SqliteShardStore.open(p, { create: true, buildVersion: '0.91.0' })
    assert.deepEqual(await store.listShards(), [])
    await store.close()
  })

  it('a newer store format: StoreFormatTooNewError', async () => {
    const p = fresh('newer.db')
    await makeStoreFile(p)
    const db = openRawDatabase(p, { mustExist: true })
    db.exec('PRAGMA user_version = 2')
    db.close()
    await refusedEveryWay(p, StoreFormatTooNewError)
  })

  it('a store with a missing table: StoreCorruptError', async () => {
    const p = fresh('missing-table.db')
    await makeStoreFile(p)
    const db = openRawDatabase(p, { mustExist: true })
    db.exec('DROP TABLE state_log')
    db.close()
    await refuses(p, StoreCorruptError)
  })
})

describe('missing paths', () => {
  it('a missing path is NotFoundError and no file is created', async () => {
    const dir = fresh('dir')
    mkdirSync(dir)
    const p = `${dir}/missing.db`
    for (const opts of [{}, { readOnly: true }, { readOnly: true, create: true }]) {
      await assert.rejects(SqliteShardStore.open(p, opts), NotFoundError)
      assert.deepEqual(listDir(dir), [])
    }
    const store = await SqliteShardStore.open(p, { create: true })
    await store.close()
    assert.deepEqual(listDir(dir), ['missing.db'])
  })

  it('a directory is not a store', async () => {
    const dir = fresh('a-directory')
    mkdirSync(dir)
    await assert.rejects(SqliteShardStore.open(dir, {}), NotAStoreError)
  })
})

describe('read-only opens', () => {
  it('never change the database file, even when -wal and -shm are absent', async () => {
    const p = fresh('ro.db')
    const s = await makeStoreFile(p, 300)
    assert.deepEqual(fingerprint(p).wal, 'absent', 'a cleanly closed store has no -wal')
    const before = sha256File(p)
    const store = await SqliteShardStore.open(p, { readOnly: true })
    assert.equal(store.info.readOnly, true)
    assert.equal((await store.listShards()).length, 1)
    await store.openShard(s, { shardName: 'catalog' })
    const upper = await store.fetchRecentUpper(s)
    assert.equal(upper, 12n)
    assert.equal((await store.snapshot(s, 11n)).length, 300)
    let streamed = 0
    for await (const _ of store.snapshotStream(s, 11n)) streamed++
    assert.equal(streamed, 300)
    assert.deepEqual(await store.countUpdates(s, 11n), { total: 300n, additions: 300n, retractions: 0n })
    const l = await store.listen(s, 5n)
    assert.equal((await l.fetchNext()).length, 2)
    await l.expire()
    const st = await store.inspect(s)
    assert.deepEqual(await store.integrityCheck(), [])
    await assert.rejects(store.compareAndAppend(s, [], upper, upper + 1n), ReadOnlyError)
    await assert.rejects(store.openLeasedReader(s, 'x'), ReadOnlyError)
    await assert.rejects(store.compact(s), ReadOnlyError)
    await store.backup(fresh('ro-backup.db'))
    await store.close()
    // The data file is unchanged; SQLite may leave empty -wal/-shm housekeeping files behind.
    const after = fingerprint(p)
    assert.equal(after.db, before)
    if (after.wal !== 'absent') assert.equal(statSync(`${p}-wal`).size, 0)
    const again = await SqliteShardStore.open(p, { readOnly: true })
    assert.deepEqual(await again.inspect(s), st)
    await again.close()
    assert.equal(sha256File(p), before)
  })
})

describe('a locked store', () => {
  it('a write fails with StoreBusyError after the busy timeout; reads proceed in WAL', async () => {
    const p = fresh('locked.db')
    const s = await makeStoreFile(p)
    const before = fingerprint(p)
    const { child, firstMessage } = forkHelper('child-lock-holder.js', [p])
    try {
      assert.equal(await firstMessage, 'locked')
      const store = await SqliteShardStore.open(p, { busyTimeoutMs: 300, buildVersion: '0.91.0' })
      try {
        const upper = await store.fetchRecentUpper(s)
        const start = Date.now()
        await assert.rejects(store.compareAndAppend(s, [], upper, upper! + 1n), (e: unknown) => {
          assert.ok(e instanceof StoreBusyError, String(e))
          assert.equal(e.transient, true)
          return true
        })
        const waited = Date.now() - start
        assert.ok(waited >= 250 && waited < 3000, `waited ${waited} ms for a 300 ms busy timeout`)
        assert.equal((await store.snapshot(s, 0n)).length, 25)
        assert.equal((await store.inspect(s)).seqno, 3n)
      } finally {
        await store.close()
      }
      const ro = await SqliteShardStore.open(p, { readOnly: true, busyTimeoutMs: 300 })
      assert.equal(await ro.fetchRecentUpper(s), 2n)
      await ro.close()
    } finally {
      child.kill('SIGKILL')
      await childDone(child)
    }
    assert.equal(fingerprint(p).db, before.db)
    const store = await SqliteShardStore.open(p, { buildVersion: '0.91.0' })
    assert.equal((await store.compareAndAppend(s, [], 2n, 3n)).ok, true, 'writable again once the lock is gone')
    assert.deepEqual(await store.integrityCheck(), [])
    await store.close()
  })
})
