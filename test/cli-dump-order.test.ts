/**
 * `dump` prints the same bytes for the same catalog, whatever it was loaded from and whatever
 * order its rows were appended in: a store, its exported fixture (loaded into memory), the store
 * `import` makes of that fixture (rows appended in fixture order), and a store whose rows of each
 * timestamp were appended in reverse.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { catalogShardDiagnostics, catalogShardIds } from '../src/catalog/catalog-shards.js'
import { fileLines, readFixture } from '../src/catalog/fixture/reader.js'
import { openFixtureStore, tempDir, type FixtureDir } from './helpers/cli-fixture.js'
import { repoRoot } from './helpers/cli-golden.js'
import { runCli } from './helpers/cli-run.js'

const DEMO = join(repoRoot(), 'fixtures', 'demo-v47.ndjson')

describe('dump order', () => {
  let fx: FixtureDir
  let imported: string
  let reversed: string
  let exported: string

  before(async () => {
    fx = tempDir()
    imported = join(fx.dir, 'imported.db')
    const r = await runCli(['--store', imported, 'import', DEMO])
    assert.equal(r.code, 0, r.stderr)

    // The same updates, each timestamp's rows appended in reverse fixture order.
    const { header, updates } = await readFixture(fileLines(DEMO))
    reversed = join(fx.dir, 'reversed.db')
    const store = await openFixtureStore(reversed)
    try {
      const shard = catalogShardIds(header.organizationId).catalog
      await store.openShard(shard, catalogShardDiagnostics(header.organizationId))
      let upper = 0n
      const times = [...new Set(updates.map((u) => u.ts))]
      for (const ts of times) {
        const group = updates.filter((u) => u.ts === ts).reverse()
        assert.ok((await store.compareAndAppend(shard, group, upper, ts + 1n)).ok)
        upper = ts + 1n
      }
      assert.ok((await store.compareAndAppend(shard, [], upper, header.upper)).ok)
    } finally {
      await store.close()
    }

    exported = join(fx.dir, 'exported.ndjson')
    const e = await runCli(['--store', reversed, 'export', exported])
    assert.equal(e.code, 0, e.stderr)
  })
  after(() => fx.cleanup())

  for (const format of ['ndjson', 'text', 'json']) {
    test(`dump -o ${format}: a store, its fixture and the same rows appended in any order print the same bytes`, async () => {
      const dumps = await Promise.all([DEMO, imported, reversed, exported].map((store) => runCli(['--store', store, 'dump', '-o', format])))
      for (const d of dumps) assert.equal(d.code, 0, d.stderr)
      const [fromDemo, ...others] = dumps.map((d) => d.stdout)
      assert.ok(fromDemo!.length > 10_000)
      for (const other of others) assert.equal(other, fromDemo)
    })
  }

  test('within a collection, updates are in timestamp order, then by stored text', async () => {
    const d = await runCli(['--store', reversed, 'dump', '-o', 'ndjson'])
    const entries = d.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; collection: string; ts: number })
      .filter((e) => e.type === 'entry')
    for (let i = 1; i < entries.length; i++) {
      const [a, b] = [entries[i - 1]!, entries[i]!]
      if (a.collection === b.collection) assert.ok(a.ts <= b.ts, `${a.collection}: ts ${a.ts} before ${b.ts}`)
    }
  })
})
