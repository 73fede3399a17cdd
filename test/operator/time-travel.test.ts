/**
 * `get`, `dump --only` and `--as-of` (dump, get, export, diff) through real processes on the demo
 * catalog, in a SQLite store and in a PostgreSQL store.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { catalogShardIds } from '../../src/catalog/catalog-shards.js'
import { rowLookup } from '../../src/catalog/codec/row-codec.js'
import { parseJson } from '../../src/json/lossless-json.js'
import { openStore } from '../../src/store/open-store.js'
import { describePostgres } from '../helpers/postgres-server.js'
import { cliOn, importDemo, okOn } from '../helpers/operator-cli.js'
import { makeTempDir } from '../helpers/tmp.js'

const SERVING = '{"id":{"value":{"User":3}}}'
const GREETING = '{"name":"greeting"}'
const DEMO_ORG = '3f5c8a2e-6b1d-4e7a-9c0f-1d2e3f4a5b6c'

function scenario(store: () => string): void {
  // The demo's shard has since 45 and upper 46; the two edits write at 46 and 47.
  before(async () => {
    await importDemo(store())
    await okOn(store(), ['edit', 'setting', GREETING, '{"value":"hello"}', '--yes'])
    await okOn(store(), ['edit', 'setting', GREETING, '{"value":"bye"}', '--yes'])
  })

  it('get prints a known demo object and exits 3 for an absent key', async () => {
    const doc = parseJson(await okOn(store(), ['get', 'compute_instance', SERVING, '-o', 'json'])) as Record<string, never>
    assert.equal((doc.value as { name: string }).name, 'serving')
    assert.equal(doc.written_at, 29n)
    const text = await okOn(store(), ['get', 'config', '{"key":"user_version"}'])
    assert.equal(text, '{"value":47}\n')
    const absent = await cliOn(store(), ['get', 'compute_instance', '{"id":{"value":{"User":99}}}'])
    assert.equal(absent.code, 3)
    assert.match(absent.stderr, /no compute_instance entry/)
  })

  it('dump --only lists the named collections only', async () => {
    const doc = parseJson(await okOn(store(), ['dump', '--only', 'compute_instance', '--only', 'role', '-c', '-o', 'json']))
    assert.deepEqual(Object.keys((doc as { collections: Record<string, unknown> }).collections).sort(), ['compute_instance', 'role'])
  })

  it('--as-of reads before and after an edit; below the since is exit 3 naming the since', async () => {
    assert.equal((await cliOn(store(), ['get', 'setting', GREETING, '--as-of', '45'])).code, 3)
    assert.equal(await okOn(store(), ['get', 'setting', GREETING, '--as-of', '46']), '{"value":"hello"}\n')
    assert.equal(await okOn(store(), ['get', 'setting', GREETING]), '{"value":"bye"}\n')
    const dumped = await okOn(store(), ['dump', '--only', 'setting', '-c', '--as-of', '46'])
    assert.match(dumped, /hello/)
    assert.doesNotMatch(dumped, /bye/)
    // History below the since is still exact until compaction: the demo's own history (since 45).
    assert.equal(await okOn(store(), ['get', 'config', '{"key":"user_version"}', '--as-of', '10']), '{"value":47}\n')
    assert.equal((await cliOn(store(), ['get', 'compute_instance', SERVING, '--as-of', '9'])).code, 3)
    const late = await cliOn(store(), ['get', 'setting', GREETING, '--as-of', '48'])
    assert.equal(late.code, 3)
    assert.match(late.stderr, /latest readable time is 47/)
    assert.equal((await cliOn(store(), ['get', 'setting', GREETING, '--as-of', 'yesterday'])).code, 2)
  })

  it('export and diff read as of a time', async () => {
    const lines = (await okOn(store(), ['export', '--consolidated', '--as-of', '46'])).trim().split('\n')
    assert.equal((parseJson(lines[0] as string) as { upper: bigint }).upper, 47n)
    assert.ok(lines.some((l) => l.includes('"hello"')))
    assert.ok(!lines.some((l) => l.includes('"bye"')))
    const changed = await cliOn(store(), ['diff', store(), store(), '--as-of-a', '46'])
    assert.equal(changed.code, 1, changed.stderr)
    assert.match(changed.stdout, /greeting/)
    assert.equal((await cliOn(store(), ['diff', store(), store(), '--as-of', '46'])).code, 0)
  })

  it('below the compacted since is exit 3 saying what the since is', async () => {
    const opened = await openStore(store(), { lookup: rowLookup })
    try {
      await opened.compact(catalogShardIds(DEMO_ORG).catalog)
    } finally {
      await opened.close()
    }
    for (const args of [
      ['dump', '--as-of', '46'],
      ['get', 'setting', GREETING, '--as-of', '46'],
      ['export', '--as-of', '46'],
    ]) {
      const r = await cliOn(store(), args)
      assert.equal(r.code, 3, r.stderr)
      assert.match(r.stderr, /before the catalog's since 47/)
      assert.equal(r.stdout, '')
    }
    assert.equal(await okOn(store(), ['get', 'setting', GREETING, '--as-of', '47']), '{"value":"bye"}\n')
  })
}

describe('time travel on a SQLite store', () => {
  const tmp = makeTempDir('catalog-debug-asof-')
  after(() => tmp.cleanup())
  scenario(() => tmp.path('demo.db'))
})

describePostgres('time travel on a PostgreSQL store', (server) => {
  let url: string | undefined
  scenario(() => {
    url ??= server().createDatabase('asof')
    return url
  })
})
