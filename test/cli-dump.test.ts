/** `dump` and `epoch` beyond the goldens: TARGET files, warnings, copy-paste into edit/delete. */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { catalogShardIds } from '../src/catalog/index.js'
import { createFixtureCatalog, FIXTURE_ORG, openFixtureStore, tempDir, type FixtureDir } from './helpers/cli-fixture.js'
import { runCli } from './helpers/cli-run.js'

/** Undoes the single quotes `dump` puts around JSON (`'\''` → `'`). */
function shellUnquote(word: string): string {
  assert.ok(word.startsWith("'") && word.endsWith("'"), word)
  return word.slice(1, -1).replace(/'\\''/g, "'")
}

describe('dump', () => {
  let fx: FixtureDir
  let n = 0
  async function fresh(): Promise<string> {
    const path = join(fx.dir, `d${n++}.db`)
    await createFixtureCatalog(path)
    return path
  }
  before(async () => {
    fx = tempDir()
    await createFixtureCatalog(fx.store)
  })
  after(() => fx.cleanup())

  test('TARGET receives exactly what stdout would; nothing on stdout', async () => {
    const expected = await runCli(['dump', '--store', fx.store])
    const r = await runCli(['dump', '--store', fx.store, 'out.txt'], { cwd: fx.dir })
    assert.equal(r.code, 0)
    assert.equal(r.stdout, '')
    assert.equal(readFileSync(join(fx.dir, 'out.txt'), 'utf8'), expected.stdout)
    const e = await runCli(['epoch', '--store', fx.store, join(fx.dir, 'epoch.txt')])
    assert.equal(e.code, 0)
    assert.equal(readFileSync(join(fx.dir, 'epoch.txt'), 'utf8'), 'Epoch: 2\n')
    const dash = await runCli(['epoch', '--store', fx.store, '-'])
    assert.equal(dash.stdout, 'Epoch: 2\n', '`-` as TARGET is stdout')
  })

  test('a failed dump leaves no file behind and an existing TARGET untouched', async () => {
    const bad = await runCli(['dump', '--store', fx.store, join(fx.dir, 'no-such-dir', 'out.txt')])
    // A TARGET in a directory that does not exist is "not found", before anything is read.
    assert.equal(bad.code, 3, bad.stderr)
    assert.match(bad.stderr, /directory does not exist/)
    // --strict fails after the whole dump was rendered (rows that do not decode): the sink must
    // abort, not commit, so an existing TARGET keeps its contents.
    const path = await fresh()
    const store = await openFixtureStore(path)
    const shard = catalogShardIds(FIXTURE_ORG).catalog
    const upper = (await store.fetchRecentUpper(shard)) as bigint
    const broken = '{"key":{"key":"broken"},"kind":"Config","value":{"value":"not a number"}}'
    assert.equal((await store.compareAndAppend(shard, [{ data: broken, ts: upper, diff: 1n }], upper, upper + 1n)).ok, true)
    await store.close()
    writeFileSync(join(fx.dir, 'keep.txt'), 'precious\n')
    const strict = await runCli(['dump', '--store', path, '--strict', join(fx.dir, 'keep.txt'), '--force'])
    assert.equal(strict.code, 1, strict.stderr)
    assert.match(strict.stderr, /error: 1 row did not decode/)
    assert.equal(readFileSync(join(fx.dir, 'keep.txt'), 'utf8'), 'precious\n')
    const loose = await runCli(['dump', '--store', path, join(fx.dir, 'loose.txt')])
    assert.equal(loose.code, 0, loose.stderr)
    assert.match(readFileSync(join(fx.dir, 'loose.txt'), 'utf8'), /undecodable:/)
    assert.deepEqual(
      readdirSync(fx.dir).filter((f) => f.endsWith('.tmp')),
      [],
    )
  })

  test('unknown collection names are a usage error listing the valid ones', async () => {
    const r = await runCli(['dump', '--store', fx.store, '--ignore', 'configs'])
    assert.equal(r.code, 2)
    assert.match(r.stderr, /unknown collection "configs", expected one of: audit_log, comments, .*, timestamp\n/)
  })

  test('--consolidate warns, in Materialize words, when retractions remain', async () => {
    const path = await fresh()
    const store = await openFixtureStore(path)
    const shard = catalogShardIds(FIXTURE_ORG).catalog
    const upper = (await store.fetchRecentUpper(shard)) as bigint
    const orphan = '{"key":{"key":"orphan"},"kind":"Config","value":{"value":1}}'
    assert.equal((await store.compareAndAppend(shard, [{ data: orphan, ts: upper, diff: -1n }], upper, upper + 1n)).ok, true)
    await store.close()
    const r = await runCli(['dump', '--store', path, '-c', '--stats-only'])
    assert.equal(r.code, 0)
    assert.match(
      r.stderr,
      /warning: config catalog collection has corrupt entries, there should be no retractions in a consolidated catalog, but there are 1 retractions\n/,
    )
    assert.doesNotMatch((await runCli(['dump', '--store', path, '--stats-only'])).stderr, /corrupt entries/)
  })

  test('keys and values copied from the text dump work in edit and delete as they are', async () => {
    const path = await fresh()
    const dump = (await runCli(['dump', '--store', path, '-i', 'audit_log'])).stdout
    const block = /compute_replicas:[\s\S]*?key_json: (.*)\n\s+value_json: (.*)\n/.exec(dump)
    assert.ok(block)
    const key = shellUnquote(block[1] as string)
    const value = shellUnquote(block[2] as string).replace('"r1"', '"r2"')
    const edit = await runCli(['edit', '--store', path, 'compute_replicas', key, value, '--yes'])
    assert.equal(edit.code, 0, edit.stderr)
    assert.match(edit.stderr, /name: "r1" => "r2"/)
    // After the edit the unconsolidated dump holds the retraction and the new value.
    const after = (await runCli(['dump', '--store', path, '-i', 'audit_log'])).stdout
    assert.match(after, /compute_replicas:\n {2}total_count: 3\n {2}addition_count: 2\n {2}retraction_count: 1\n/)
    const del = await runCli(['delete', '--store', path, 'compute_replicas', key, '--yes'])
    assert.equal(del.code, 0, del.stderr)
    assert.match(del.stdout, /^deleted value: \{"cluster_id":.*"name":"r2"/)
  })

  test('@file arguments', async () => {
    const path = await fresh()
    writeFileSync(join(fx.dir, 'key.json'), '{\n  "key": "deploy_generation"\n}\n')
    writeFileSync(join(fx.dir, 'value.json'), '{"value": 18446744073709551615}')
    const r = await runCli(['edit', '--store', path, 'config', '@key.json', '@value.json', '--yes', '-o', 'json'], { cwd: fx.dir })
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /"value": 18446744073709551615/)
    assert.equal(existsSync(join(fx.dir, 'key.json')), true)
  })
})
