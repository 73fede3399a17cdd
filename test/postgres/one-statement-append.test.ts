/**
 * The PostgreSQL store's one-statement compare-and-append (src/store/postgres/append.ts,
 * `appendInOneStatement`): a commit is one statement on the server (counted by
 * `pg_stat_statements`, not timed), a plain mismatch too, and the state it leaves is exactly what
 * the general transition leaves: the same scripted history (leases running out, a writer idle past
 * its lease, a clock stepping back, records, a mismatch, an idempotent retry, a shard stamped by an
 * older build) gives the same rows in PostgreSQL as in SQLite, whose store has only the general path.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import Database from 'better-sqlite3'
import { newIdempotencyToken, newWriterId } from '../../src/store/ids.js'
import { openStore } from '../../src/store/open-store.js'
import type { ShardStore, WriteRecord, WriterIdentity } from '../../src/store/shard-store.js'
import { BUILD, dbName, newShard } from '../helpers/pg-testing.js'
import { describePostgres, type PostgresServer } from '../helpers/postgres-server.js'
import { makeTempDir } from '../helpers/tmp.js'

const MINUTE = 60_000n

function record(n: number): WriteRecord {
  return {
    operationId: `op-${n}`,
    walltimeMs: 1_700_000_000_000n + BigInt(n),
    user: 'tester',
    hostname: 'test-host',
    toolVersion: BUILD,
    command: 'edit',
    commandLine: `catalog-debug edit ${n}`,
    reason: n % 2 === 0 ? null : `reason ${n}`,
  }
}

/** The writers and tokens of the history (the same in both stores). */
interface Ids {
  readonly w1: string
  readonly w2: string
  readonly w3: string
  readonly tokens: readonly string[]
}

function newIds(): Ids {
  return { w1: newWriterId(), w2: newWriterId(), w3: newWriterId(), tokens: Array.from({ length: 6 }, newIdempotencyToken) }
}

/** The history both backends go through; returns what each call returned (as text). */
async function script(open: (build: string, now: () => bigint) => Promise<ShardStore>, shard: string, ids: Ids): Promise<string[]> {
  let clock = 1_000_000n
  const now = (): bigint => clock
  const out: string[] = []
  const writer = (id: string, token: number): WriterIdentity => ({ writerId: id, idempotencyToken: ids.tokens[token]! })
  // An older build creates the shard and writes first: the next build's first append stamps it.
  const old = await open('0.90.0', now)
  try {
    await old.openShard(shard, { shardName: 'one-statement' })
    out.push(JSON.stringify(await old.compareAndAppend(shard, [{ data: 'old', ts: 0n, diff: 1n }], 0n, 1n), bigint))
  } finally {
    await old.close()
  }
  const store = await open(BUILD, now)
  try {
    const append = async (data: string, lower: bigint, w?: WriterIdentity, rec?: WriteRecord): Promise<void> => {
      const updates = [
        { data: `{"kind":"A","key":"${data}"}`, ts: lower, diff: 1n },
        { data: `${data}-plain`, ts: lower, diff: -1n },
      ]
      out.push(JSON.stringify(await store.compareAndAppend(shard, updates, lower, lower + 1n, w, rec), bigint))
    }
    clock += 1000n
    await append('a', 1n, writer(ids.w1, 0), record(1)) // stamps BUILD (the general path), registers w1
    await store.openLeasedReader(shard, 'reader')
    clock += 1000n
    await append('b', 2n, writer(ids.w2, 1), record(2))
    clock += 16n * MINUTE // the reader's lease (15 min) runs out
    await append('c', 3n, writer(ids.w1, 2))
    clock += 61n * MINUTE // both writers' leases (60 min) run out; w1 writes and stays, w2 goes
    await append('d', 4n, writer(ids.w1, 3), record(3))
    out.push(JSON.stringify(await store.compareAndAppend(shard, [], 2n, 3n, writer(ids.w2, 4)), bigint)) // mismatch
    await append('d', 4n, writer(ids.w1, 3), record(4)) // a retry of the last write: already committed, nothing written
    clock -= 10n * MINUTE // the clock steps back: walltime still moves forward
    await append('e', 5n)
    await append('f', 6n, writer(ids.w3, 5), record(5))
  } finally {
    await store.close()
  }
  return out
}

function bigint(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v
}

const QUERIES = {
  shards: `SELECT shard_id, shard_name, labels, seqno, applier_version, walltime_ms, hostname, since, upper, update_count, compacted_since FROM $S.shards ORDER BY shard_id`,
  updates: `SELECT shard_id, ts, $TEXT(data), diff, seqno, $TEXT(lookup_a), $TEXT(lookup_b) FROM $S.updates ORDER BY id`,
  leased_readers: `SELECT shard_id, since, seqno, last_heartbeat_ms, lease_duration_ms, hostname, purpose FROM $S.leased_readers ORDER BY shard_id`,
  writers: `SELECT shard_id, writer_id, last_heartbeat_ms, lease_duration_ms, most_recent_write_token, most_recent_write_upper, most_recent_write_seqno, hostname, purpose FROM $S.writers ORDER BY writer_id`,
  state_log: `SELECT shard_id, seqno, walltime_ms, applier_version, hostname, cmd, since, upper, detail FROM $S.state_log ORDER BY seqno`,
  write_records: `SELECT shard_id, seqno, expected_upper, new_upper, operation_id, walltime_ms, os_user, hostname, tool_version, command, command_line, reason FROM $S.write_records ORDER BY id`,
}

/** Reader ids are random per registration: the same history has other ids in each store. */
function normalize(text: string): string {
  return text.replace(/r[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'r<id>')
}

function sqliteTables(path: string): Record<string, string> {
  const db = new Database(path, { readonly: true })
  try {
    db.defaultSafeIntegers(true)
    return Object.fromEntries(
      Object.entries(QUERIES).map(([name, sql]) => {
        const rows = db.prepare(sql.replaceAll('$S.', '').replaceAll('$TEXT(', '(')).raw().all() as unknown[][]
        return [name, normalize(rows.map((r) => r.map((v) => (v === null ? '' : String(v))).join('|')).join('\n'))]
      }),
    )
  } finally {
    db.close()
  }
}

function postgresTables(server: PostgresServer, url: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(QUERIES).map(([name, sql]) => [
      name,
      normalize(server.psql(sql.replaceAll('$S.', 'catalog_debug.').replaceAll('$TEXT(', 'convert_from_utf8('), dbName(url))),
    ]),
  )
}

const lookup = (data: string): [string | null, string | null] => (data.startsWith('{') ? ['A', data.slice(-4)] : [null, null])

describePostgres(
  'PostgreSQL compare-and-append in one statement',
  (server) => {
    it('leaves exactly the rows the general path leaves (SQLite, same history)', async () => {
      const tmp = makeTempDir()
      try {
        const shard = newShard()
        const path = tmp.path('store.db')
        const url = server().createDatabase('one_statement')
        server().psql(
          `CREATE FUNCTION convert_from_utf8(b BYTEA) RETURNS TEXT LANGUAGE SQL IMMUTABLE AS $$ SELECT convert_from(b, 'UTF8') $$`,
          dbName(url),
        )
        const hostname = 'test-host'
        const ids = newIds()
        const sqlite = await script(
          (buildVersion, now) => openStore(path, { create: true, buildVersion, now, hostname, lookup }),
          shard,
          ids,
        )
        const pg = await script((buildVersion, now) => openStore(url, { create: true, buildVersion, now, hostname, lookup }), shard, ids)
        assert.deepEqual(pg, sqlite)
        assert.match(pg[6]!, /"alreadyCommitted":true/)
        assert.match(pg[5]!, /"ok":false/)
        const expected = sqliteTables(path)
        const actual = postgresTables(server(), url)
        for (const table of Object.keys(QUERIES)) assert.equal(actual[table], expected[table], `table ${table}`)
        assert.match(actual.state_log!, /"expired_leased_readers":1/)
        assert.match(actual.state_log!, /"expired_writers":1/)
      } finally {
        tmp.cleanup()
      }
    })

    it('commits an append, and answers a mismatch, in one statement each', async () => {
      const s = server()
      s.psql("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'")
      s.stop()
      s.start()
      s.psql('CREATE EXTENSION IF NOT EXISTS pg_stat_statements')
      const url = s.createDatabase('one_statement_count')
      const db = dbName(url)
      const shard = newShard()
      const store = await openStore(url, { create: true, buildVersion: BUILD, writeRecord: record(7) })
      try {
        await store.openShard(shard, { shardName: 'count' })
        await store.openLeasedReader(shard, 'reader')
        const calls = (): number =>
          Number(
            s.psql(
              `SELECT COALESCE(SUM(calls), 0) FROM pg_stat_statements st JOIN pg_database d ON d.oid = st.dbid WHERE d.datname = '${db}'`,
            ),
          )
        const writer = { writerId: newWriterId(), idempotencyToken: newIdempotencyToken() }
        const before = calls()
        const res = await store.compareAndAppend(shard, [{ data: 'x', ts: 0n, diff: 1n }], 0n, 1n, writer)
        assert.deepEqual(res, { ok: true, seqno: 3n, alreadyCommitted: false })
        assert.equal(calls() - before, 1, 'a commit with a writer and a record is one statement')
        const mismatch = await store.compareAndAppend(shard, [], 0n, 1n)
        assert.deepEqual(mismatch, { ok: false, expected: 0n, current: 1n })
        assert.equal(calls() - before, 2, 'a mismatch is one statement')
        const log = s.psql(`SELECT seqno || ' ' || cmd FROM catalog_debug.state_log ORDER BY seqno`, db)
        assert.equal(log, '1 create\n2 register_leased_reader\n3 compare_and_append')
        assert.equal(s.psql(`SELECT count(*) FROM catalog_debug.write_records WHERE seqno = 3`, db), '1')
      } finally {
        await store.close()
      }
    })
  },
  { auth: 'trust' },
)
