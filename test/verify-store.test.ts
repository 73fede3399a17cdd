import { test } from 'node:test'
import assert from 'node:assert/strict'
import { verifyStore } from '../src/catalog/verify/index.js'
import { NotFoundError } from '../src/errors.js'
import type { ShardStore } from '../src/store/shard-store.js'
import { rowLookup } from '../src/catalog/codec/row-lookup.js'
import { openStore } from '../src/store/open-store.js'
import { openRawDatabase } from '../src/store/sqlite/raw-database.js'
import { encodeU64 } from '../src/store/u64.js'
import { makeTempDir } from './helpers/tmp.js'
import { newMemoryStore, seedCatalog, settingRow, TEST_BUILD, TEST_ORG } from './helpers/fixture-testing.js'

/** The same store with some methods replaced (to simulate what a healthy store never reports). */
function withOverrides(store: ShardStore, overrides: Partial<ShardStore>): ShardStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop in overrides) return (overrides as Record<string | symbol, unknown>)[prop]
      const v = Reflect.get(target, prop, receiver) as unknown
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
    },
  })
}

test('a healthy catalog verifies clean, and verify writes nothing', async () => {
  const store = await newMemoryStore()
  const shard = await seedCatalog(store)
  const before = await store.inspect(shard)
  const report = await verifyStore(store, TEST_ORG)
  assert.deepEqual(report.findings, [])
  assert.equal(report.ok, true)
  assert.equal(report.catalogVersion, 47)
  assert.equal(report.rows, 47)
  assert.equal(report.upper, 5n)
  assert.equal(report.since, 4n)
  assert.deepEqual(report.counts, { errors: 0, warnings: 0 })
  assert.equal((await store.inspect(shard)).seqno, before.seqno)
  await store.close()
})

test('rows written behind the catalog’s back are caught', async () => {
  const store = await newMemoryStore()
  const shard = await seedCatalog(store)
  const res = await store.compareAndAppend(
    shard,
    [
      { data: '{"key":{"name":"x"},"kind":"Setting","value":{"value":1}}', ts: 5n, diff: 1n },
      { data: settingRow('twice', 'y'), ts: 5n, diff: 2n },
      { data: '{"kind":"Setting","key":{"name":"z"},"value":{"value":"v"}}', ts: 5n, diff: 1n },
      { data: '{"epoch":9,"kind":"Epoch"}', ts: 5n, diff: 1n },
    ],
    5n,
    6n,
  )
  assert.ok(res.ok)
  const report = await verifyStore(store, TEST_ORG)
  assert.equal(report.ok, false)
  assert.deepEqual(
    report.findings.map((f) => f.check),
    ['decode', 'canonical-encoding', 'multiplicity', 'epoch'],
  )
  assert.match(report.findings[0]?.message ?? '', /value\.value: expected a string, got 1/)
  assert.deepEqual(report.counts, { errors: 4, warnings: 0 })
  // Selecting checks.
  const only = await verifyStore(store, TEST_ORG, { checks: ['epoch'] })
  assert.deepEqual(
    only.findings.map((f) => f.check),
    ['epoch'],
  )
  await store.close()
})

test('store checks: integrity check, frontiers, seqno', async () => {
  const store = await newMemoryStore()
  await seedCatalog(store)
  const broken = withOverrides(store, {
    integrityCheck: async () => ['*** in database main ***', 'Page 7: btreeInitPage() returns error code 11'],
    fetchSince: async () => 9n,
  })
  const report = await verifyStore(broken, TEST_ORG)
  assert.deepEqual(
    report.findings.map((f) => [f.check, f.severity]),
    [
      ['store-integrity', 'error'],
      ['store-integrity', 'error'],
      ['frontiers', 'error'],
    ],
  )
  assert.match(report.findings[2]?.message ?? '', /since 9 is beyond upper − 1 = 4/)
  // The rows are not read when the state at upper − 1 is not readable.
  assert.equal(report.rows, 0)

  const zero = withOverrides(store, { fetchRecentUpper: async () => 0n, fetchSince: async () => 0n })
  assert.match((await verifyStore(zero, TEST_ORG)).findings[0]?.message ?? '', /upper 0/)
  await store.close()
})

test('broken shard invariants in a SQLite file are store-integrity findings', async () => {
  const tmp = makeTempDir()
  try {
    const path = tmp.path('catalog.db')
    const store = await openStore(path, { create: true, lookup: rowLookup, buildVersion: TEST_BUILD })
    const shard = await seedCatalog(store)
    assert.equal((await verifyStore(store, TEST_ORG)).ok, true)
    await store.close()
    // Behind the store's back: a Setting row far beyond the upper (5), and a hole in the state log.
    const raw = openRawDatabase(path, { mustExist: true })
    try {
      raw.run(
        'INSERT INTO updates (shard_id, ts, data, diff, seqno, lookup_a, lookup_b) VALUES (?, ?, ?, 1, 3, ?, ?)',
        shard,
        encodeU64(50n),
        settingRow('late', 'x'),
        'Setting',
        '{"name":"late"}',
      )
      raw.run('DELETE FROM state_log WHERE shard_id = ? AND seqno = 3', shard)
    } finally {
      raw.close()
    }
    const ro = await openStore(path, { readOnly: true, lookup: rowLookup, buildVersion: TEST_BUILD })
    try {
      const report = await verifyStore(ro, TEST_ORG)
      assert.equal(report.ok, false)
      assert.deepEqual(
        report.findings.map((f) => [f.check, f.severity]),
        Array(3).fill(['store-integrity', 'error']),
      )
      const messages = report.findings.map((f) => f.message)
      assert.match(messages[0] ?? '', /update_count is \d+ but \d+ update rows are stored/)
      assert.match(messages[1] ?? '', /1 update\(s\) at or beyond the upper \[5\]/)
      assert.match(messages[2] ?? '', /state log jumps from seqno 2 to 4/)
    } finally {
      await ro.close()
    }
  } finally {
    tmp.cleanup()
  }
})

test('verify of an absent catalog is not found', async () => {
  const store = await newMemoryStore()
  await assert.rejects(verifyStore(store, TEST_ORG), (err: unknown) => err instanceof NotFoundError)
  await store.close()
})

test('every class of corruption seeded into the demo catalog is caught', async () => {
  const { join } = await import('node:path')
  const { loadFixtureIntoMemory } = await import('../src/catalog/fixture/index.js')
  const { repoRoot } = await import('./helpers/fixture-testing.js')
  const { store, organizationId } = await loadFixtureIntoMemory(join(repoRoot(), 'fixtures/demo-v47.ndjson'))
  try {
    const shard = (await store.listShards()).find((s) => s.shardName === 'catalog')?.shardId as string
    const rowsOf = async (kind: string): Promise<string[]> => {
      const upper = (await store.fetchRecentUpper(shard)) as bigint
      return (await store.snapshot(shard, upper - 1n, { where: { a: kind } })).map((u) => u.data)
    }
    const schema = (await rowsOf('Schema')).find((r) => r.includes('"name":"marts"')) as string
    const replica = (await rowsOf('ClusterReplica'))[0] as string
    const userAlloc = (await rowsOf('IdAlloc')).find((r) => r.includes('"name":"user"')) as string
    const version = (await rowsOf('Config')).find((r) => r.includes('user_version')) as string
    const upper = (await store.fetchRecentUpper(shard)) as bigint
    const at = (data: string, diff = 1n) => ({ data, ts: upper, diff })
    const res = await store.compareAndAppend(
      shard,
      [
        at(schema, -1n),
        at(schema.replace('"database_id":{"value":{"User":2}}', '"database_id":{"value":{"User":77}}')), // dangling reference
        at(replica.replace(/^\{"key":\{"id":\{"value":\{"User":\d+\}/, '{"key":{"id":{"value":{"User":6}')), // a second replica of the same name
        at(userAlloc, -1n),
        at(userAlloc.replace(/"next_id":\d+/, '"next_id":3')), // allocator behind
        at(version, -1n), // no user_version
        at('{"epoch":99,"kind":"Epoch"}'), // a second epoch
        at(settingRow('dup', 'x'), 3n), // multiplicity 3
        at('{"key":{"name":"bad"},"kind":"Setting","value":{"value":false}}'), // undecodable
      ],
      upper,
      upper + 1n,
    )
    assert.ok(res.ok)
    const report = await verifyStore(store, organizationId)
    const checks = new Set(report.findings.filter((f) => f.severity === 'error').map((f) => f.check))
    for (const c of [
      'referential-integrity',
      'unique-names',
      'id-allocators',
      'user-version',
      'epoch',
      'multiplicity',
      'decode',
    ] as const) {
      assert.ok(checks.has(c), `${c} not reported: ${[...checks].join(', ')}`)
    }
    assert.equal(report.ok, false)
  } finally {
    await store.close()
  }
})
