/**
 * PostgreSQL-specific behaviour of the shard store, part 1 (the shared semantics are covered by
 * `store-postgres-conformance.test.ts`, concurrency and connection loss by
 * `store-postgres-concurrency.test.ts`): opening and refusing databases, read-only sessions,
 * authentication and permissions.
 *
 * One throwaway server for the file (`describePostgres` in `helpers/postgres-server.ts`); each test
 * uses its own database. Without server binaries this file fails when CI=true and skips (saying
 * why) otherwise.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import {
  NotAStoreError,
  NotFoundError,
  ReadOnlyError,
  StoreCorruptError,
  StoreError,
  StoreFormatTooNewError,
  isTransient,
} from '../src/errors.js'
import { openStore } from '../src/store/open-store.js'
import { openPostgresStore } from '../src/store/postgres/index.js'
import { PgPool } from '../src/store/postgres/pool.js'
import { encodeU64 } from '../src/store/u64.js'
import { PG_PASSWORD, PG_SUPERUSER, describePostgres, type PostgresServer } from './helpers/postgres-server.js'
import { BUILD, appendAt, dbName, fingerprint, newShard, rejects } from './helpers/pg-testing.js'

describePostgres('postgres store', (pg) => {
  let server: PostgresServer
  before(() => {
    server = pg()
  })

  describe('opening', () => {
    it('opens through openStore for postgres:// URLs and never shows the password', async () => {
      const url = server.createDatabase()
      const store = await openStore(url, { create: true, buildVersion: BUILD })
      try {
        assert.equal(store.info.backend, 'postgres')
        assert.equal(store.info.formatVersion, 1)
        assert.ok(!store.info.location.includes(PG_PASSWORD), store.info.location)
        assert.match(store.info.settings.server_version ?? '', /^\d+/)
        assert.equal(store.info.settings.server, 'postgresql')
      } finally {
        await store.close()
      }
      const again = await openStore(url.replace(/^postgres:/, 'postgresql:'), { buildVersion: BUILD })
      await again.close()
    })

    it('a database without the schema is NotFoundError (nothing created) unless create is set', async () => {
      const url = server.createDatabase()
      const err = await rejects(openPostgresStore(url, { buildVersion: BUILD }), NotFoundError)
      assert.match(err.message, /no catalog-debug store/)
      assert.ok(!err.message.includes(PG_PASSWORD))
      await rejects(openPostgresStore(url, { readOnly: true, buildVersion: BUILD }), NotFoundError)
      assert.equal(server.psql(`SELECT count(*) FROM pg_namespace WHERE nspname = 'catalog_debug'`, dbName(url)), '0')
      const store = await openPostgresStore(url, { create: true, buildVersion: BUILD })
      await store.close()
      assert.equal(server.psql(`SELECT value FROM catalog_debug.meta WHERE key = 'format_version'`, dbName(url)), '1')
    })

    it('a database that does not exist is NotFoundError', async () => {
      await rejects(openPostgresStore(server.urlFor('no_such_database'), { create: true, buildVersion: BUILD }), NotFoundError)
    })

    it('an empty catalog_debug schema (created by an administrator) is initialised on create', async () => {
      const url = server.createDatabase()
      server.psql('CREATE SCHEMA catalog_debug', dbName(url))
      await rejects(openPostgresStore(url, { buildVersion: BUILD }), NotFoundError)
      const store = await openPostgresStore(url, { create: true, buildVersion: BUILD })
      await appendAt(store, newShard(), ['x'])
      await store.close()
    })

    it('a foreign catalog_debug schema is refused with NotAStoreError and left untouched', async () => {
      const url = server.createDatabase()
      server.psql(
        `CREATE SCHEMA catalog_debug; CREATE TABLE catalog_debug.things (id int); INSERT INTO catalog_debug.things VALUES (1)`,
        dbName(url),
      )
      const before = fingerprint(server, url)
      await rejects(openPostgresStore(url, { create: true, buildVersion: BUILD }), NotAStoreError)
      await rejects(openPostgresStore(url, { readOnly: true, buildVersion: BUILD }), NotAStoreError)
      assert.equal(fingerprint(server, url), before)

      const other = server.createDatabase()
      server.psql(
        `CREATE SCHEMA catalog_debug; CREATE TABLE catalog_debug.meta (key text PRIMARY KEY, value text);
        INSERT INTO catalog_debug.meta VALUES ('application', 'someone-else'), ('format_version', '1')`,
        dbName(other),
      )
      await rejects(openPostgresStore(other, { create: true, buildVersion: BUILD }), NotAStoreError)
    })

    it('a newer store format is refused with StoreFormatTooNewError, untouched', async () => {
      const url = server.createDatabase()
      const store = await openPostgresStore(url, { create: true, buildVersion: BUILD })
      await appendAt(store, newShard(), ['x'])
      await store.close()
      server.psql(`UPDATE catalog_debug.meta SET value = '2' WHERE key = 'format_version'`, dbName(url))
      const before = fingerprint(server, url)
      const err = await rejects(openPostgresStore(url, { buildVersion: BUILD }), StoreFormatTooNewError)
      assert.match(err.message, /format 2; this build reads format 1 only/)
      await rejects(openPostgresStore(url, { readOnly: true, buildVersion: BUILD }), StoreFormatTooNewError)
      await rejects(openPostgresStore(url, { create: true, buildVersion: BUILD }), StoreFormatTooNewError)
      assert.equal(fingerprint(server, url), before)
    })

    it('a store with missing tables is StoreCorruptError', async () => {
      const url = server.createDatabase()
      await (await openPostgresStore(url, { create: true, buildVersion: BUILD })).close()
      server.psql('DROP TABLE catalog_debug.state_log', dbName(url))
      const err = await rejects(openPostgresStore(url, { buildVersion: BUILD }), StoreCorruptError)
      assert.match(err.message, /missing tables: state_log/)
    })

    it('concurrent creators end up with one store', async () => {
      const url = server.createDatabase()
      const stores = await Promise.all(Array.from({ length: 6 }, () => openPostgresStore(url, { create: true, buildVersion: BUILD })))
      for (const s of stores) await s.close()
      assert.equal(server.psql(`SELECT count(*) FROM catalog_debug.meta WHERE key = 'application'`, dbName(url)), '1')
    })
  })

  describe('read-only', () => {
    it('refuses every write with ReadOnlyError and leaves the database unchanged', async () => {
      const url = server.createDatabase()
      const shard = newShard()
      const rw = await openPostgresStore(url, { create: true, buildVersion: BUILD })
      await rw.openShard(shard, { shardName: 'catalog' })
      await appendAt(rw, shard, ['a', 'b'])
      await appendAt(rw, shard, ['c'])
      const reader = await rw.openLeasedReader(shard, 'test')
      await rw.close()
      const before = fingerprint(server, url)

      const ro = await openPostgresStore(url, { readOnly: true, buildVersion: BUILD })
      try {
        assert.equal(ro.info.readOnly, true)
        const c = 'c00000000-1111-2222-3333-444444444444'
        await rejects(ro.compareAndAppend(shard, [], 2n, 3n), ReadOnlyError)
        await rejects(ro.openShard(newShard(), { shardName: 'x' }), ReadOnlyError)
        await rejects(ro.openLeasedReader(shard, 'x'), ReadOnlyError)
        await rejects(ro.downgradeSince(shard, reader.readerId, 1n), ReadOnlyError)
        await rejects(ro.expireLeasedReader(shard, reader.readerId), ReadOnlyError)
        await rejects(ro.openCriticalReader(shard, c, 'x'), ReadOnlyError)
        await rejects(ro.compareAndDowngradeSince(shard, c, 0n, 0n, 1n), ReadOnlyError)
        await rejects(ro.compact(shard), ReadOnlyError)
        // Every read works and writes nothing.
        await ro.openShard(shard, { shardName: 'catalog' })
        assert.equal(await ro.fetchRecentUpper(shard), 2n)
        assert.equal((await ro.snapshot(shard, 1n)).length, 3)
        let streamed = 0
        for await (const _ of ro.snapshotStream(shard, 1n)) streamed++
        assert.equal(streamed, 3)
        assert.equal((await ro.countUpdates(shard, 1n)).total, 3n)
        const listen = await ro.listen(shard, 0n)
        await listen.fetchNext()
        assert.equal((await ro.inspect(shard)).seqno, 4n)
        assert.equal((await ro.listShards()).length, 1)
        assert.deepEqual(await ro.integrityCheck(), [])
      } finally {
        await ro.close()
      }
      assert.equal(fingerprint(server, url), before)
    })

    it('read-only sessions are read-only on the server too', async () => {
      const url = server.createDatabase()
      await (await openPostgresStore(url, { create: true, buildVersion: BUILD })).close()
      // Also when the URL brings session options of its own.
      for (const u of [url, `${url}?options=${encodeURIComponent('-c statement_timeout=0')}`]) {
        const pool = new PgPool({ url: u, readOnly: true, busyTimeoutMs: 1000 })
        try {
          const err = await rejects(
            pool.write('sneaky write', (q) => q(`INSERT INTO catalog_debug.meta VALUES ('x', 'y')`)),
            StoreError,
          )
          assert.equal(err.details?.sqlstate, '25006')
          assert.equal(isTransient(err), false)
        } finally {
          await pool.close()
        }
      }
      const ro = await openPostgresStore(url, { readOnly: true, buildVersion: BUILD })
      assert.equal(ro.info.settings.default_transaction_read_only, 'on')
      await ro.close()
    })
  })

  describe('integrity check', () => {
    it('finds broken shard invariants (the same findings as the SQLite store)', async () => {
      const url = server.createDatabase()
      const [s, t] = [newShard(), newShard()]
      const store = await openPostgresStore(url, { create: true, buildVersion: BUILD })
      try {
        for (const sh of [s, t]) {
          await store.openShard(sh, { shardName: 'catalog' })
          await appendAt(store, sh, ['a'])
          await appendAt(store, sh, ['b'])
        }
        assert.deepEqual(await store.integrityCheck(), [])
      } finally {
        await store.close()
      }
      // s: a row beyond the upper (not counted), a hole in the state log.
      // t: the log's head is not the seqno, and its upper went backwards.
      server.psql(
        `INSERT INTO catalog_debug.updates (shard_id, ts, data, diff, seqno) VALUES ('${s}', ${encodeU64(50n)}, 'late', 1, 3);
        DELETE FROM catalog_debug.state_log WHERE shard_id = '${s}' AND seqno = 2;
        DELETE FROM catalog_debug.state_log WHERE shard_id = '${t}' AND seqno = 3;
        UPDATE catalog_debug.state_log SET upper = ${encodeU64(2n)} WHERE shard_id = '${t}' AND seqno = 1`,
        dbName(url),
      )
      const ro = await openPostgresStore(url, { readOnly: true, buildVersion: BUILD })
      try {
        const expected = [
          [
            s,
            `${s}: update_count is 2 but 3 update rows are stored`,
            `${s}: 1 update(s) at or beyond the upper [2]`,
            `${s}: state log jumps from seqno 1 to 3`,
          ],
          [t, `${t}: seqno is 3 but the state log ends at 2`, `${t}: upper regressed at seqno 2: [2] → [1]`],
        ]
          .sort((a, b) => (a[0]! < b[0]! ? -1 : 1))
          .flatMap(([, ...m]) => m)
        assert.deepEqual(await ro.integrityCheck(), expected)
      } finally {
        await ro.close()
      }
    })
  })

  describe('authentication and permissions', () => {
    it('a wrong password is a StoreError that is not transient', async () => {
      const err = await rejects(
        openPostgresStore(server.urlFor('postgres', PG_SUPERUSER, 'wrong-password'), { buildVersion: BUILD }),
        StoreError,
      )
      assert.equal(err.code, 'store-auth')
      assert.equal(isTransient(err), false)
      assert.match(err.message, /authentication/)
      assert.ok(!err.message.includes('wrong-password'))
    })

    it('an unknown role is a StoreError that is not transient', async () => {
      const err = await rejects(openPostgresStore(server.urlFor('postgres', 'nobody_here', 'x'), { buildVersion: BUILD }), StoreError)
      assert.equal(err.code, 'store-auth')
      assert.equal(isTransient(err), false)
    })

    it('the documented grants suffice; missing ones are a StoreError that is not transient', async () => {
      const url = server.createDatabase()
      const db = dbName(url)
      const suffix = db.replace(/\W/g, '_')
      const [app, viewer, stranger] = [`app_${suffix}`, `viewer_${suffix}`, `stranger_${suffix}`]
      server.psql(
        `CREATE ROLE ${app} LOGIN PASSWORD 'pw'; CREATE ROLE ${viewer} LOGIN PASSWORD 'pw'; CREATE ROLE ${stranger} LOGIN PASSWORD 'pw'`,
      )
      // Without CREATE on the database, init fails for good.
      const noCreate = await rejects(openPostgresStore(server.urlFor(db, app, 'pw'), { create: true, buildVersion: BUILD }), StoreError)
      assert.equal(noCreate.code, 'store-permission')
      assert.equal(isTransient(noCreate), false)
      // An administrator creates the store, then grants what docs/backends.md lists.
      await (await openPostgresStore(url, { create: true, buildVersion: BUILD })).close()
      server.psql(
        `GRANT USAGE ON SCHEMA catalog_debug TO ${app}, ${viewer};
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA catalog_debug TO ${app};
        GRANT SELECT ON ALL TABLES IN SCHEMA catalog_debug TO ${viewer};`,
        db,
      )
      const shard = newShard()
      const store = await openPostgresStore(server.urlFor(db, app, 'pw'), { buildVersion: BUILD, lookup: (d) => [d, null] })
      try {
        await store.openShard(shard, { shardName: 'catalog' })
        await appendAt(store, shard, ['a'])
        await appendAt(store, shard, ['b'])
        const r = await store.openLeasedReader(shard, 'p')
        await store.downgradeSince(shard, r.readerId, 1n)
        assert.deepEqual(await store.compact(shard), { before: 2n, after: 2n })
        assert.deepEqual(
          (await store.snapshot(shard, 1n)).map((u) => u.data),
          ['a', 'b'],
        )
        await store.expireLeasedReader(shard, r.readerId)
      } finally {
        await store.close()
      }
      const view = await openPostgresStore(server.urlFor(db, viewer, 'pw'), { readOnly: true, buildVersion: BUILD })
      try {
        assert.equal(await view.fetchRecentUpper(shard), 2n)
        assert.equal((await view.inspect(shard)).update_count, 2n)
      } finally {
        await view.close()
      }
      const denied = await rejects(openPostgresStore(server.urlFor(db, stranger, 'pw'), { buildVersion: BUILD }), StoreError)
      assert.equal(denied.code, 'store-permission')
      assert.equal(isTransient(denied), false)
      assert.match(denied.hint ?? '', /SELECT, INSERT, UPDATE, DELETE/)
    })

    it('a role without CREATE on the database can initialise a schema an administrator gave it', async () => {
      const url = server.createDatabase()
      const db = dbName(url)
      const owner = `owner_${db.replace(/\W/g, '_')}`
      server.psql(`CREATE ROLE ${owner} LOGIN PASSWORD 'pw'`)
      server.psql(`CREATE SCHEMA catalog_debug AUTHORIZATION ${owner}`, db)
      const store = await openPostgresStore(server.urlFor(db, owner, 'pw'), { create: true, buildVersion: BUILD })
      try {
        await appendAt(store, newShard(), ['x'])
      } finally {
        await store.close()
      }
    })
  })
})
