/**
 * What is specific to the SQLite backend: connection settings, query plans, the file marker,
 * the state log, backups, streaming isolation, error mapping, and `openStore` routing.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, describe, it } from 'node:test'
import { NotFoundError, SinceError, StoreBusyError, StoreCorruptError, StoreError, UsageError } from '../src/errors.js'
import { BUILD_VERSION } from '../src/store/build-version.js'
import { openStore } from '../src/store/open-store.js'
import { shardId } from '../src/store/shard-id.js'
import { encodeU64 } from '../src/store/u64.js'
import { openRawDatabase } from '../src/store/sqlite/raw-database.js'
import type { FilterShape } from '../src/store/lookup-filter.js'
import { LISTEN_SQL, countSql, snapshotSql, streamSql } from '../src/store/sqlite/queries.js'
import { APPLICATION_ID, STORE_FORMAT_VERSION } from '../src/store/sqlite/schema.js'
import { mapSqliteError } from '../src/store/sqlite/sqlite-errors.js'
import { SqliteShardStore } from '../src/store/sqlite/sqlite-shard-store.js'
import { makeTempDir, sha256File } from './helpers/tmp.js'

const tmp = makeTempDir()
after(() => tmp.cleanup())
let n = 0
const fresh = () => tmp.path(`s${n++}.db`)
const S = shardId('org', 1)
const lookup = (d: string) => d.split('|').slice(0, 2) as [string, string]

describe('sqlite store file', () => {
  it('opens with WAL, synchronous=FULL and foreign keys, and says so', async () => {
    const store = await SqliteShardStore.open(fresh(), { create: true })
    assert.equal(store.info.backend, 'sqlite')
    assert.equal(store.info.formatVersion, STORE_FORMAT_VERSION)
    assert.equal(store.info.settings.journal_mode, 'wal')
    assert.equal(store.info.settings.synchronous, 'full')
    assert.equal(store.info.settings.foreign_keys, '1')
    assert.equal(store.info.settings.busy_timeout_ms, '5000')
    assert.equal(store.buildVersion, BUILD_VERSION)
    await store.close()
    await store.close() // idempotent
    await assert.rejects(store.listShards(), StoreError)
  })

  it('carries the format marker and a state log that replays to the shard row', async () => {
    const path = fresh()
    const store = await SqliteShardStore.open(path, { create: true, buildVersion: '0.91.0' })
    await store.compareAndAppend(S, [{ data: 'a', ts: 0n, diff: 1n }], 0n, 1n)
    const r = await store.openLeasedReader(S, 'x')
    await store.downgradeSince(S, r.readerId, 1n)
    await store.compareAndAppend(S, [], 1n, 5n)
    const st = await store.inspect(S)
    await store.close()
    const raw = openRawDatabase(path, { readOnly: true })
    try {
      assert.equal(raw.all('PRAGMA application_id')[0]!.application_id, APPLICATION_ID)
      assert.equal(raw.all('PRAGMA user_version')[0]!.user_version, BigInt(STORE_FORMAT_VERSION))
      const log = raw.all('SELECT seqno, cmd, applier_version FROM state_log WHERE shard_id = ? ORDER BY seqno', S)
      assert.deepEqual(
        log.map((l) => [l.seqno, l.cmd]),
        [
          [1n, 'create'],
          [2n, 'compare_and_append'],
          [3n, 'register_leased_reader'],
          [4n, 'downgrade_since'],
          [5n, 'compare_and_append'],
        ],
      )
      const last = raw.all('SELECT since, upper FROM state_log WHERE shard_id = ? ORDER BY seqno DESC LIMIT 1', S)[0]!
      const shard = raw.all('SELECT seqno, since, upper FROM shards WHERE shard_id = ?', S)[0]!
      assert.deepEqual([last.since, last.upper], [shard.since, shard.upper])
      assert.equal(shard.seqno, st.seqno)
    } finally {
      raw.close()
    }
  })

  it('every read path uses its index (cost independent of the shard size for one key)', async () => {
    const path = fresh()
    const store = await SqliteShardStore.open(path, { create: true, lookup })
    const big = Array.from({ length: 5000 }, (_, i) => ({ data: `bulk|${i}|v`, ts: 0n, diff: 1n }))
    await store.compareAndAppend(S, [...big, { data: 'item|k|v', ts: 0n, diff: 1n }], 0n, 1n)
    assert.deepEqual(await store.snapshot(S, 0n, { where: { a: 'item', b: 'k' } }), [{ data: 'item|k|v', ts: 0n, diff: 1n }])
    await store.close()
    const raw = openRawDatabase(path, { mustExist: true })
    raw.exec('ANALYZE') // statistics must not change the plans (they are pinned)
    const plan = (sql: string, params: number) =>
      raw
        .all(`EXPLAIN QUERY PLAN ${sql}`, ...Array(params).fill(0n))
        .map((r) => String(r.detail))
        .join(' | ')
    const filters: [FilterShape, number, RegExp][] = [
      ['all', 0, /SEARCH updates USING (COVERING )?INDEX updates_by_(ts|a_ts) \(shard_id=\?/],
      ['a', 1, /SEARCH updates USING (COVERING )?INDEX updates_by_a_ts \(shard_id=\? AND lookup_a=\? AND ts<\?\)/],
      ['ab', 2, /SEARCH updates USING (COVERING )?INDEX updates_by_lookup \(shard_id=\? AND lookup_a=\? AND lookup_b=\? AND ts<\?\)/],
    ]
    try {
      for (const [shape, extra, re] of filters) {
        for (const sql of [snapshotSql(shape, false), snapshotSql(shape, true), streamSql(shape), countSql(shape)]) {
          const p = plan(sql, 2 + extra)
          assert.match(p, re, sql)
          assert.doesNotMatch(p, /SCAN updates/, sql)
        }
        // A stream sorts only each run of equal (lookup a, ts) by (data, diff): it still streams.
        assert.match(plan(streamSql(shape), 2 + extra), /USE TEMP B-TREE FOR LAST 2 TERMS OF ORDER BY/)
        assert.doesNotMatch(plan(streamSql(shape), 2 + extra), /TEMP B-TREE FOR ORDER BY/, 'a stream never sorts the whole range')
      }
      const except = plan(streamSql('all', 3), 5)
      assert.match(
        except,
        /SEARCH updates USING INDEX updates_by_a_ts \(shard_id=\?\) \| USE TEMP B-TREE FOR LAST 2 TERMS OF ORDER BY$/,
        except,
      )
      assert.match(plan(LISTEN_SQL, 3), /INDEX updates_by_ts \(shard_id=\? AND ts>\? AND ts<\?\)/)
    } finally {
      raw.close()
    }
  })

  it('a backup is a consistent, openable copy; an existing target is refused', async () => {
    const store = await SqliteShardStore.open(fresh(), { create: true })
    await store.compareAndAppend(S, [{ data: 'a', ts: 0n, diff: 1n }], 0n, 1n)
    const target = fresh()
    assert.ok((await store.backup(target)).pages > 0)
    await assert.rejects(store.backup(target), UsageError)
    await store.close()
    const copy = await SqliteShardStore.open(target, { readOnly: true })
    assert.deepEqual(await copy.snapshot(S, 0n), [{ data: 'a', ts: 0n, diff: 1n }])
    await copy.close()
  })

  it('the integrity check finds broken shard invariants (as the PostgreSQL store does)', async () => {
    const path = fresh()
    const store = await SqliteShardStore.open(path, { create: true })
    const T = shardId('org', 2)
    for (const sh of [S, T]) {
      await store.compareAndAppend(sh, [{ data: 'a', ts: 0n, diff: 1n }], 0n, 1n)
      await store.compareAndAppend(sh, [{ data: 'b', ts: 1n, diff: 1n }], 1n, 3n)
    }
    assert.deepEqual(await store.integrityCheck(), [])
    await store.close()
    const raw = openRawDatabase(path, { mustExist: true })
    try {
      // S: a row beyond the upper (not counted), a hole in the state log.
      raw.run("INSERT INTO updates (shard_id, ts, data, diff, seqno) VALUES (?, ?, 'late', 1, 3)", S, encodeU64(50n))
      raw.run('DELETE FROM state_log WHERE shard_id = ? AND seqno = 2', S)
      // T: the log's head is not the seqno, and its upper went backwards.
      raw.run('DELETE FROM state_log WHERE shard_id = ? AND seqno = 3', T)
      raw.run('UPDATE state_log SET upper = ? WHERE shard_id = ? AND seqno = 1', encodeU64(2n), T)
    } finally {
      raw.close()
    }
    const damaged = await SqliteShardStore.open(path, { readOnly: true })
    try {
      assert.deepEqual(await damaged.integrityCheck(), [
        `${S}: update_count is 2 but 3 update rows are stored`,
        `${S}: 1 update(s) at or beyond the upper [3]`,
        `${S}: state log jumps from seqno 1 to 3`,
        `${T}: seqno is 3 but the state log ends at 2`,
        `${T}: upper regressed at seqno 2: [2] → [1]`,
      ])
    } finally {
      await damaged.close()
    }
  })

  it('a stream reads one consistent state while the shard is compacted under it', async () => {
    const store = await SqliteShardStore.open(fresh(), { create: true })
    for (let t = 0n; t < 20n; t++) await store.compareAndAppend(S, [{ data: `d${t % 3n}`, ts: t, diff: 1n }], t, t + 1n)
    const h = await store.openCriticalReader(S, 'c00000000-1111-2222-3333-444444444444', 'x')
    await store.compareAndDowngradeSince(S, h.readerId, h.opaque, h.opaque, 5n)
    const seen = []
    for await (const u of store.snapshotStream(S, 19n, { keepTimestamps: true })) {
      if (seen.length === 0) {
        await store.compareAndDowngradeSince(S, h.readerId, h.opaque, h.opaque, 15n)
        assert.deepEqual(await store.compact(S), { before: 20n, after: 7n })
      }
      seen.push(u)
    }
    assert.equal(seen.length, 20, 'the stream saw the state it started on')
    assert.deepEqual(
      seen.map((u) => u.ts).sort((a, b) => Number(a - b)),
      Array.from({ length: 20 }, (_, i) => BigInt(i)),
    )
    await store.close()
  })

  it('a listen overtaken by compaction reports SinceError instead of repeating rows', async () => {
    const store = await SqliteShardStore.open(fresh(), { create: true })
    await store.compareAndAppend(S, [{ data: 'a', ts: 0n, diff: 1n }], 0n, 1n)
    const l = await store.listen(S, 0n)
    await store.compareAndAppend(S, [{ data: 'b', ts: 1n, diff: 1n }], 1n, 2n)
    assert.equal((await l.fetchNext()).length, 2)
    await store.compareAndAppend(S, [{ data: 'c', ts: 2n, diff: 1n }], 2n, 3n)
    const h = await store.openCriticalReader(S, 'c00000000-1111-2222-3333-444444444444', 'x')
    await store.compareAndDowngradeSince(S, h.readerId, h.opaque, h.opaque, 2n)
    await store.compact(S)
    await assert.rejects(l.fetchNext(), SinceError)
    await store.close()
  })
})

describe('sqlite error mapping', () => {
  const ctx = { location: 'x.db', busyTimeoutMs: 5 }
  const err = (code: string) => Object.assign(new Error(code), { code })
  it('maps result codes to the error hierarchy', () => {
    assert.ok(mapSqliteError(err('SQLITE_BUSY'), ctx) instanceof StoreBusyError)
    assert.ok(mapSqliteError(err('SQLITE_BUSY_SNAPSHOT'), ctx) instanceof StoreBusyError)
    assert.ok(mapSqliteError(err('SQLITE_LOCKED'), ctx) instanceof StoreBusyError)
    assert.ok(mapSqliteError(err('SQLITE_CORRUPT'), ctx) instanceof StoreCorruptError)
    assert.ok(mapSqliteError(err('SQLITE_NOTADB'), ctx) instanceof StoreCorruptError)
    // A file that may not be written is a failure of the store (exit 1), not a refusal.
    const readOnly = mapSqliteError(err('SQLITE_READONLY_DBMOVED'), ctx)
    assert.ok(readOnly instanceof StoreError && readOnly.code === 'store-not-writable')
    for (const code of ['SQLITE_FULL', 'SQLITE_IOERR_FSYNC', 'SQLITE_CANTOPEN', 'SQLITE_ERROR']) {
      const e = mapSqliteError(err(code), ctx)
      assert.ok(e instanceof StoreError && !(e instanceof StoreBusyError), code)
    }
    const plain = new TypeError('bug')
    assert.equal(mapSqliteError(plain, ctx), plain)
  })
})

describe('openStore', () => {
  it('opens files and :memory:, and refuses contradictory options', async () => {
    const mem = await openStore(':memory:', { buildVersion: '0.91.0' })
    assert.equal(mem.info.location, ':memory:')
    assert.equal((await mem.compareAndAppend(S, [], 0n, 1n)).ok, true)
    await mem.close()
    await assert.rejects(openStore(':memory:', { readOnly: true }), UsageError)
    await assert.rejects(openStore(fresh(), { readOnly: true, create: true }), UsageError)
    await assert.rejects(openStore(fresh()), NotFoundError)
    const path = fresh()
    const file = await openStore(path, { create: true })
    assert.equal(file.info.backend, 'sqlite')
    await file.close()
    assert.notEqual(sha256File(path), 'absent')
  })

  it('routes postgres URLs to the PostgreSQL backend (a UsageError if it is unavailable)', async () => {
    for (const url of ['postgres://nobody@127.0.0.1:1/none', 'postgresql://nobody@127.0.0.1:1/none']) {
      try {
        const store = await openStore(url, { busyTimeoutMs: 200 })
        await store.close()
        assert.fail('no server listens on port 1')
      } catch (e) {
        assert.ok(!(e instanceof assert.AssertionError), String(e))
        // Either the backend is missing, or it is there and cannot connect; never a SQLite file named like a URL.
        assert.ok(e instanceof UsageError || (e as { code?: string }).code !== undefined, String(e))
      }
    }
  })

  it('BUILD_VERSION is the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
    assert.equal(BUILD_VERSION, pkg.version)
  })
})
