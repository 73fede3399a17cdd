/**
 * The store's `order: 'lookup'` stream (issue 13: `dump --consolidate` consolidates one key at a
 * time), on SQLite and PostgreSQL: the filtered updates in (lookup b, data, ts, diff) order, so
 * summing adjacent equal rows gives the consolidated snapshot; without a filter it is refused.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { rowLookup } from '../../src/catalog/codec/row-lookup.js'
import { InvalidUsageError } from '../../src/errors.js'
import { compareCodePoints } from '../../src/json/lossless-json.js'
import { consolidateRuns } from '../../src/store/consolidate-runs.js'
import { openStore } from '../../src/store/open-store.js'
import type { ShardStore, Update } from '../../src/store/shard-store.js'
import { BUILD } from '../helpers/pg-testing.js'
import { describePostgres, type PostgresServer } from '../helpers/postgres-server.js'
import { makeTempDir } from '../helpers/tmp.js'

const SHARD = 's00000000-0000-4000-8000-00000000000a'

const setting = (name: string, value: string) =>
  `{"key":{"name":${JSON.stringify(name)}},"kind":"Setting","value":{"value":${JSON.stringify(value)}}}`

/** Settings edited over several commits (keys whose text order is not their order of writing), a row without a key, and another kind. */
async function seed(store: ShardStore): Promise<void> {
  const names = ['b', 'a', 'é', 'a0', 'B', '10', '9']
  let upper = 0n
  for (let ts = 0n; ts < 5n; ts++) {
    const updates: Update[] = []
    for (const [i, name] of names.entries()) {
      if (ts === 0n || (Number(ts) + i) % 3 === 0) {
        if (ts > 0n) updates.push({ data: setting(name, String(ts - 1n)), ts, diff: -1n })
        updates.push({ data: setting(name, String(ts)), ts, diff: 1n })
      }
    }
    updates.push({ data: '{"kind":"Setting"}', ts, diff: 1n })
    updates.push({ data: '{"key":{"key":"x"},"kind":"Config","value":{"value":1}}', ts, diff: 1n })
    assert.equal((await store.compareAndAppend(SHARD, updates, upper, ts + 1n)).ok, true)
    upper = ts + 1n
  }
}

async function all<T>(it: AsyncIterable<readonly T[]>): Promise<T[]> {
  const out: T[] = []
  for await (const batch of it) {
    assert.ok(batch.length > 0)
    out.push(...batch)
  }
  return out
}

function checks(open: () => Promise<ShardStore>): void {
  it('streams one lookup a in (lookup b, data, ts, diff) order, and consolidates adjacent rows into the snapshot', async () => {
    const store = await open()
    try {
      await seed(store)
      for (const asOf of [0n, 2n, 4n]) {
        const stream = await all(store.snapshotBatches(SHARD, asOf, { where: { a: 'Setting' }, order: 'lookup', keepTimestamps: true }))
        const everything = await all(store.snapshotBatches(SHARD, asOf, { where: { a: 'Setting' }, keepTimestamps: true }))
        const keyOf = (u: Update) => rowLookup(u.data)[1]
        const expected = [...everything].sort((x, y) => {
          const kx = keyOf(x)
          const ky = keyOf(y)
          if (kx !== ky) return kx === null ? 1 : ky === null ? -1 : compareCodePoints(kx, ky)
          return compareCodePoints(x.data, y.data) || (x.ts < y.ts ? -1 : x.ts > y.ts ? 1 : 0) || (x.diff < y.diff ? -1 : 1)
        })
        // Rows without a lookup b come first on SQLite and last on PostgreSQL: compare the rest in order.
        const keyed = (us: Update[]) => us.filter((u) => keyOf(u) !== null)
        assert.deepEqual(keyed(stream), keyed(expected), `as of ${asOf}`)
        assert.deepEqual(
          stream.filter((u) => keyOf(u) === null),
          expected.filter((u) => keyOf(u) === null),
        )
        const consolidated = await all(consolidateRuns(store.snapshotBatches(SHARD, asOf, { where: { a: 'Setting' }, order: 'lookup' })))
        const snapshot = await store.snapshot(SHARD, asOf, { where: { a: 'Setting' } })
        const byData = (x: Update, y: Update) => compareCodePoints(x.data, y.data)
        assert.deepEqual([...consolidated].sort(byData), snapshot.sort(byData), `as of ${asOf}`)
      }
    } finally {
      await store.close()
    }
  })

  it('refuses the lookup order without a lookup filter', async () => {
    const store = await open()
    try {
      await seed(store)
      await assert.rejects(all(store.snapshotBatches(SHARD, 1n, { order: 'lookup' })), InvalidUsageError)
    } finally {
      await store.close()
    }
  })
}

describe('lookup order: sqlite', () => {
  const tmp = makeTempDir()
  after(() => tmp.cleanup())
  let n = 0
  checks(() => openStore(tmp.path(`lookup-${n++}.db`), { create: true, lookup: rowLookup, buildVersion: BUILD }))
})

describePostgres('lookup order: postgres', (pg) => {
  let server: PostgresServer
  before(() => {
    server = pg()
  })
  checks(() => openStore(server.createDatabase(), { create: true, lookup: rowLookup, buildVersion: BUILD }))
})
