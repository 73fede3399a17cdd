/**
 * PostgreSQL-specific behaviour of the shard store (the shared semantics are covered by
 * `store-postgres-conformance.test.ts`): opening and refusing databases, read-only sessions,
 * authentication and permissions, connection loss and server restarts, conflicts between
 * concurrent writers (in process and across four processes), and streamed snapshots.
 *
 * One throwaway server for the file (`helpers/postgres-server.ts`); each test uses its own
 * database. Without server binaries this file fails when CI=true and skips (saying why) otherwise.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { after, before, describe, it } from 'node:test'
import {
  NotAStoreError, NotFoundError, ReadOnlyError, StoreBusyError, StoreCorruptError, StoreError, StoreFormatTooNewError, isTransient,
} from '../src/errors.js'
import { retry } from '../src/retry.js'
import { newIdempotencyToken, newWriterId } from '../src/store/ids.js'
import { openStore } from '../src/store/open-store.js'
import { openPostgresStore } from '../src/store/postgres/index.js'
import { PgPool } from '../src/store/postgres/pool.js'
import { shardId } from '../src/store/shard-id.js'
import type { ShardStore, Update } from '../src/store/shard-store.js'
import { PG_PASSWORD, PG_SUPERUSER, postgresSkipReason, runNode, startPostgresServer, type PostgresServer } from './helpers/postgres-server.js'

const skip = postgresSkipReason()
const BUILD = '0.91.0'

/** Asserts that `p` rejects with an instance of `cls`; returns the error. */
async function rejects<E extends Error>(p: Promise<unknown>, cls: new (...args: never[]) => E): Promise<E> {
  try {
    await p
  } catch (err) {
    assert.ok(err instanceof cls, `expected ${cls.name}, got ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`)
    return err
  }
  assert.fail(`expected ${cls.name}, but it resolved`)
}

function newShard(): string {
  return shardId(randomUUID(), 1)
}

function dbName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1))
}

/** A fingerprint of everything in schema catalog_debug (table list and every row), to prove nothing was written. */
function fingerprint(server: PostgresServer, url: string): string {
  const db = dbName(url)
  const tables = server.psql(`SELECT tablename FROM pg_tables WHERE schemaname = 'catalog_debug' ORDER BY tablename`, db).split('\n').filter(Boolean)
  if (tables.length === 0) return 'no tables'
  const sql = tables
    .map((t) => `SELECT '${t}:' || md5(COALESCE(string_agg(x::text, '|' ORDER BY x::text), '')) FROM catalog_debug.${t} x`)
    .join(' UNION ALL ')
  return server.psql(`SELECT * FROM (${sql}) AS f ORDER BY 1`, db)
}

async function appendAt(store: ShardStore, shard: string, data: readonly string[]): Promise<bigint> {
  const upper = await store.fetchRecentUpper(shard)
  assert.ok(upper !== null)
  const res = await store.compareAndAppend(shard, data.map((d) => ({ data: d, ts: upper, diff: 1n })), upper, upper + 1n)
  assert.equal(res.ok, true)
  return upper
}

if (skip !== undefined) {
  describe('postgres store', () => {
    it('needs a PostgreSQL server', { skip }, () => {})
  })
} else {
  describe('postgres store', () => {
    let server: PostgresServer
    before(async () => {
      server = await startPostgresServer()
    })
    after(() => server?.dispose())

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
        server.psql(`CREATE SCHEMA catalog_debug; CREATE TABLE catalog_debug.things (id int); INSERT INTO catalog_debug.things VALUES (1)`, dbName(url))
        const before = fingerprint(server, url)
        await rejects(openPostgresStore(url, { create: true, buildVersion: BUILD }), NotAStoreError)
        await rejects(openPostgresStore(url, { readOnly: true, buildVersion: BUILD }), NotAStoreError)
        assert.equal(fingerprint(server, url), before)

        const other = server.createDatabase()
        server.psql(`CREATE SCHEMA catalog_debug; CREATE TABLE catalog_debug.meta (key text PRIMARY KEY, value text);
          INSERT INTO catalog_debug.meta VALUES ('application', 'someone-else'), ('format_version', '1')`, dbName(other))
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
            const err = await rejects(pool.write('sneaky write', (q) => q(`INSERT INTO catalog_debug.meta VALUES ('x', 'y')`)), StoreError)
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

    describe('authentication and permissions', () => {
      it('a wrong password is a StoreError that is not transient', async () => {
        const err = await rejects(openPostgresStore(server.urlFor('postgres', PG_SUPERUSER, 'wrong-password'), { buildVersion: BUILD }), StoreError)
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
        server.psql(`CREATE ROLE ${app} LOGIN PASSWORD 'pw'; CREATE ROLE ${viewer} LOGIN PASSWORD 'pw'; CREATE ROLE ${stranger} LOGIN PASSWORD 'pw'`)
        // Without CREATE on the database, init fails for good.
        const noCreate = await rejects(openPostgresStore(server.urlFor(db, app, 'pw'), { create: true, buildVersion: BUILD }), StoreError)
        assert.equal(noCreate.code, 'store-permission')
        assert.equal(isTransient(noCreate), false)
        // An administrator creates the store, then grants what docs/backends.md lists.
        await (await openPostgresStore(url, { create: true, buildVersion: BUILD })).close()
        server.psql(`GRANT USAGE ON SCHEMA catalog_debug TO ${app}, ${viewer};
          GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA catalog_debug TO ${app};
          GRANT SELECT ON ALL TABLES IN SCHEMA catalog_debug TO ${viewer};`, db)
        const shard = newShard()
        const store = await openPostgresStore(server.urlFor(db, app, 'pw'), { buildVersion: BUILD, lookup: (d) => [d, null] })
        try {
          await store.openShard(shard, { shardName: 'catalog' })
          await appendAt(store, shard, ['a'])
          await appendAt(store, shard, ['b'])
          const r = await store.openLeasedReader(shard, 'p')
          await store.downgradeSince(shard, r.readerId, 1n)
          assert.deepEqual(await store.compact(shard), { before: 2n, after: 2n })
          assert.deepEqual((await store.snapshot(shard, 1n)).map((u) => u.data), ['a', 'b'])
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

    describe('connection loss', () => {
      it('an unreachable server is a transient StoreBusyError', async () => {
        const closed = await new Promise<number>((resolve) => {
          // A port nobody listens on: bind, note it, close.
          import('node:net').then(({ createServer }) => {
            const s = createServer().listen(0, '127.0.0.1', () => {
              const port = (s.address() as { port: number }).port
              s.close(() => resolve(port))
            })
          })
        })
        const err = await rejects(openPostgresStore(`postgres://u:p@127.0.0.1:${closed}/db`, { buildVersion: BUILD, busyTimeoutMs: 1000 }), StoreBusyError)
        assert.equal(isTransient(err), true)
        assert.match(err.message, /ECONNREFUSED/)
      })

      it('a terminated session is transient and the store carries on with a new connection', async () => {
        const url = server.createDatabase()
        const shard = newShard()
        const store = await openPostgresStore(url, { create: true, buildVersion: BUILD })
        try {
          await appendAt(store, shard, Array.from({ length: 2500 }, (_, i) => `row-${i}`))
          // A stream holds its connection and transaction between pages; kill that backend mid-stream.
          const it = store.snapshotStream(shard, 0n)[Symbol.asyncIterator]()
          assert.equal((await it.next()).done, false)
          server.psql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${dbName(url)}' AND application_name = 'catalog-debug'`)
          const err = await rejects((async () => {
            for (;;) if ((await it.next()).done) return
          })(), StoreBusyError)
          assert.equal(isTransient(err), true)
          assert.equal(await store.fetchRecentUpper(shard), 1n)
          await appendAt(store, shard, ['after'])
          assert.equal((await store.countUpdates(shard, 1n)).total, 2501n)
        } finally {
          await store.close()
        }
      })

      it('server restart: transient errors while it is down, then the retried write succeeds exactly once', async () => {
        const url = server.createDatabase()
        const shard = newShard()
        const store = await openPostgresStore(url, { create: true, buildVersion: BUILD, busyTimeoutMs: 1000 })
        try {
          await appendAt(store, shard, ['before'])
          server.stop()
          const down = await rejects(store.fetchRecentUpper(shard), StoreBusyError)
          assert.equal(isTransient(down), true)
          await rejects(store.compareAndAppend(shard, [{ data: 'lost', ts: 1n, diff: 1n }], 1n, 2n), StoreBusyError)

          // The retry policy keeps trying while the server is down; it comes back after a while.
          const writer = { writerId: newWriterId(), idempotencyToken: newIdempotencyToken() }
          let attempts = 0
          setTimeout(() => server.start(), 400)
          const res = await retry(async () => {
            attempts++
            return store.compareAndAppend(shard, [{ data: 'during', ts: 1n, diff: 1n }], 1n, 2n, writer)
          }, { timeoutMs: 20_000, initialBackoffMs: 50, clampBackoffMs: 200 })
          assert.equal(res.ok, true)
          assert.ok(attempts > 1, `expected failed attempts while the server was down, got ${attempts}`)
          assert.deepEqual((await store.snapshot(shard, 1n)).map((u) => u.data).sort(), ['before', 'during'])
          assert.deepEqual(await store.integrityCheck(), [])
        } finally {
          server.start() // no-op if running
          await store.close()
        }
      })
    })

    describe('concurrent writers', () => {
      it('of many handles racing one upper exactly one commits; the others see a mismatch', async () => {
        const url = server.createDatabase()
        const shard = newShard()
        const stores = await Promise.all(Array.from({ length: 12 }, () => openPostgresStore(url, { create: true, buildVersion: BUILD })))
        try {
          // Creating one shard from many handles at once: it is created once.
          await Promise.all(stores.map((s) => s.openShard(shard, { shardName: 'catalog' })))
          assert.equal((await stores[0]!.inspect(shard)).seqno, 1n)
          for (let round = 0n; round < 5n; round++) {
            const results = await Promise.all(stores.map((s, i) => s.compareAndAppend(shard, [{ data: `w${i}`, ts: round, diff: 1n }], round, round + 1n)))
            const winners = results.filter((r) => r.ok)
            assert.equal(winners.length, 1, `round ${round}`)
            for (const r of results) if (!r.ok) assert.equal(r.current, round + 1n)
          }
          const inspected = await stores[0]!.inspect(shard)
          assert.deepEqual(inspected.upper, [5n])
          assert.equal(inspected.seqno, 6n)
          assert.equal(inspected.update_count, 5n)
        } finally {
          for (const s of stores) await s.close()
        }
      })

      it('four processes racing: one success per upper, no gaps, every acknowledged append present', async () => {
        const url = server.createDatabase()
        const shard = newShard()
        const TARGET = 400n
        const setup = await openPostgresStore(url, { create: true, buildVersion: BUILD })
        await setup.openShard(shard, { shardName: 'catalog' })
        await setup.close()
        const child = fileURLToPath(new URL('./helpers/pg-race-child.js', import.meta.url))
        const started = Date.now()
        const runs = await Promise.all(['p0', 'p1', 'p2', 'p3'].map((w) => runNode(child, [url, shard, String(TARGET), w])))
        const elapsed = Date.now() - started
        const acked: { ts: bigint; seqno: bigint; data: string }[] = []
        const summaries: { worker: string; acked: number; mismatches: number; busy: number }[] = []
        for (const r of runs) {
          assert.equal(r.code, 0, r.stderr)
          for (const line of r.stdout.split('\n').filter(Boolean)) {
            const j = JSON.parse(line) as Record<string, unknown>
            if (j.done === true) summaries.push(j as never)
            else acked.push({ ts: BigInt(j.ts as string), seqno: BigInt(j.seqno as string), data: j.data as string })
          }
        }
        assert.equal(summaries.length, 4)
        assert.equal(acked.length, Number(TARGET), 'one acknowledged append per upper value')
        assert.ok(summaries.filter((s) => s.acked > 0).length >= 2, `the processes really raced: ${JSON.stringify(summaries)}`)
        // Exactly one success per upper, and no gaps: the acknowledged times are exactly 0..TARGET-1.
        const times = acked.map((a) => a.ts).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        assert.deepEqual(times, Array.from({ length: Number(TARGET) }, (_, i) => BigInt(i)))
        // Seqnos are distinct (one state change per success).
        assert.equal(new Set(acked.map((a) => a.seqno)).size, acked.length)
        const store = await openPostgresStore(url, { readOnly: true, buildVersion: BUILD })
        try {
          assert.equal(await store.fetchRecentUpper(shard), TARGET)
          const rows = await store.snapshot(shard, TARGET - 1n, { keepTimestamps: true })
          const stored = new Map(rows.map((u: Update) => [u.ts, u.data]))
          assert.equal(rows.length, acked.length, 'nothing stored that was not acknowledged')
          for (const a of acked) assert.equal(stored.get(a.ts), a.data, `acknowledged append at ${a.ts} is present`)
          const state = await store.inspect(shard)
          assert.equal(state.seqno, 1n + TARGET)
          assert.deepEqual(await store.integrityCheck(), [])
        } finally {
          await store.close()
        }
        const mismatches = summaries.reduce((n, s) => n + s.mismatches, 0)
        const busy = summaries.reduce((n, s) => n + s.busy, 0)
        process.stderr.write(`# race: 4 processes, ${acked.length} appends in ${elapsed} ms, ${mismatches} mismatches, ${busy} busy\n`)
      })
    })

    describe('streamed snapshots', () => {
      it('page through one consistent snapshot in (lookup a, ts) order, NULL lookups first', async () => {
        const url = server.createDatabase()
        const shard = newShard()
        // Rows "-…" have no lookup value; the others are keyed by their first character.
        const lookup = (d: string): [string | null, string | null] => (d.startsWith('-') ? [null, null] : [d.slice(0, 1), d])
        const store = await openPostgresStore(url, { create: true, buildVersion: BUILD, lookup })
        try {
          const keys = ['b', 'a', '-', 'é', 'c']
          for (let t = 0; t < 3; t++) {
            const batch = Array.from({ length: 900 }, (_, i) => `${keys[i % keys.length]}${t}-${i}`)
            await appendAt(store, shard, batch)
          }
          const rows: Update[] = []
          const c = 'c00000000-1111-2222-3333-444444444444'
          await store.openCriticalReader(shard, c, 'test')
          for await (const u of store.snapshotStream(shard, 2n, { keepTimestamps: true })) {
            rows.push(u)
            // Mid-stream, compact everything to since 2: the stream keeps its snapshot.
            if (rows.length === 1500) {
              await store.compareAndDowngradeSince(shard, c, -(1n << 63n), 0n, 2n)
              await store.compact(shard)
            }
          }
          assert.equal(rows.length, 2700)
          const lookupOf = (u: Update): string | null => lookup(u.data)[0]
          const order = (u: Update): string => `${lookupOf(u) === null ? '0' : `1${Buffer.from(lookupOf(u)!).toString('hex')}`}:${u.ts}`
          for (let i = 1; i < rows.length; i++) {
            assert.ok(order(rows[i - 1]!) <= order(rows[i]!), `row ${i} out of order: ${rows[i - 1]!.data} then ${rows[i]!.data}`)
          }
          assert.equal(lookupOf(rows[0]!), null)
          // After the compaction, a new stream sees everything forwarded to since 2.
          let after = 0
          for await (const u of store.snapshotStream(shard, 2n, { keepTimestamps: true, where: { a: 'é' } })) {
            assert.equal(u.ts, 2n)
            after++
          }
          assert.equal(after, 540)
        } finally {
          await store.close()
        }
      })
    })
  })
}
