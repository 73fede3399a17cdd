/**
 * PostgreSQL-specific behaviour of the shard store, part 2: connection loss and server restarts,
 * conflicts between concurrent writers (handles in one process here; four processes in the race
 * every backend runs, `helpers/store-race.ts`), and streamed snapshots.
 *
 * One throwaway server for the file (`describePostgres` in `helpers/postgres-server.ts`); each test
 * uses its own database. Without server binaries this file fails when CI=true and skips (saying
 * why) otherwise.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { StoreBusyError, isTransient } from '../src/errors.js'
import { retry } from '../src/retry.js'
import { newIdempotencyToken, newWriterId } from '../src/store/ids.js'
import { openPostgresStore } from '../src/store/postgres/index.js'
import type { Update } from '../src/store/shard-store.js'
import { describePostgres, type PostgresServer } from './helpers/postgres-server.js'
import { BUILD, appendAt, dbName, newShard, rejects } from './helpers/pg-testing.js'
import { defineStoreRace } from './helpers/store-race.js'

describePostgres('postgres store: concurrency and connection loss', (pg) => {
  let server: PostgresServer
  before(() => {
    server = pg()
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
      const err = await rejects(
        openPostgresStore(`postgres://u:p@127.0.0.1:${closed}/db`, { buildVersion: BUILD, busyTimeoutMs: 1000 }),
        StoreBusyError,
      )
      assert.equal(isTransient(err), true)
      assert.match(err.message, /ECONNREFUSED/)
    })

    it('a terminated session is transient and the store carries on with a new connection', async () => {
      const url = server.createDatabase()
      const shard = newShard()
      const store = await openPostgresStore(url, { create: true, buildVersion: BUILD })
      try {
        await appendAt(
          store,
          shard,
          Array.from({ length: 2500 }, (_, i) => `row-${i}`),
        )
        // A stream holds its connection and transaction between pages; kill that backend mid-stream.
        const it = store.snapshotStream(shard, 0n)[Symbol.asyncIterator]()
        assert.equal((await it.next()).done, false)
        server.psql(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${dbName(url)}' AND application_name = 'catalog-debug'`,
        )
        const err = await rejects(
          (async () => {
            for (;;) if ((await it.next()).done) return
          })(),
          StoreBusyError,
        )
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
        const res = await retry(
          async () => {
            attempts++
            return store.compareAndAppend(shard, [{ data: 'during', ts: 1n, diff: 1n }], 1n, 2n, writer)
          },
          { timeoutMs: 20_000, initialBackoffMs: 50, clampBackoffMs: 200 },
        )
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
          const results = await Promise.all(
            stores.map((s, i) => s.compareAndAppend(shard, [{ data: `w${i}`, ts: round, diff: 1n }], round, round + 1n)),
          )
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
  })

  // The race every backend runs (`helpers/store-race.ts`), on this file's server.
  defineStoreRace('multi-process race', () => server.createDatabase('race'), {
    stateLogSeqnos: (url, shard) =>
      server
        .psql(`SELECT seqno FROM catalog_debug.state_log WHERE shard_id = '${shard}' ORDER BY seqno`, dbName(url))
        .split('\n')
        .map(BigInt),
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
