/**
 * `--store x.ndjson`: a fixture as a store. Read commands load it into memory and create no file;
 * write commands refuse (exit 4) and leave the fixture byte-identical.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseJson } from '../src/json/lossless-json.js'
import { repoRoot } from './helpers/cli-golden.js'
import { createFixtureCatalog, OTHER_ORG, tempDir, type FixtureDir } from './helpers/cli-fixture.js'
import { runCli } from './helpers/cli-run.js'
import { listDir, sha256File } from './helpers/tmp.js'

const DEMO = join(repoRoot(), 'fixtures', 'demo-v47.ndjson')
const DG = '{"key":"deploy_generation"}'

describe('a fixture as --store', () => {
  let fx: FixtureDir
  let fixture: string
  let hash: string
  let files: string[]
  before(async () => {
    fx = tempDir()
    fixture = join(fx.dir, 'demo.ndjson')
    copyFileSync(DEMO, fixture)
    await createFixtureCatalog(fx.store)
    hash = sha256File(fixture)
    files = listDir(fx.dir)
  })
  after(() => fx.cleanup())

  /** Runs in the fixture's directory and checks that nothing there changed. */
  async function run(argv: string[]) {
    const r = await runCli(['--store', 'demo.ndjson', ...argv], { cwd: fx.dir })
    assert.equal(sha256File(fixture), hash, `${argv.join(' ')} changed the fixture`)
    assert.deepEqual(listDir(fx.dir), files, `${argv.join(' ')} created or removed a file`)
    return r
  }

  test('read commands work on it', async () => {
    const dump = await run(['dump', '--ignore-large-collections'])
    assert.equal(dump.code, 0, dump.stderr)
    assert.match(dump.stdout, /^comments:\n {2}total_count: 5\n/)
    assert.doesNotMatch(dump.stdout, /^audit_log:/m)
    assert.equal((await run(['epoch'])).stdout, 'Epoch: 4\n')
    const check = await run(['upgrade-check'])
    assert.equal(check.code, 0, check.stderr)
    assert.match(check.stdout, /^catalog upgrade from 0\.91\.0 to v\S+ \([0-9a-f]{9}\) would succeed/)
    const verify = await run(['verify'])
    assert.equal(verify.code, 0, verify.stderr)
    assert.match(verify.stdout, /\nok: no findings\n$/)
    const history = await run(['history', 'config', DG])
    assert.equal(history.code, 0, history.stderr)
    assert.equal(history.stdout.split('\n').length, 4, history.stdout)
    const inspect = await run(['inspect', '-o', 'json'])
    assert.equal(inspect.code, 0, inspect.stderr)
    assert.equal((parseJson(inspect.stdout) as { shards: unknown[] }).shards.length, 1, 'the catalog shard only')
    const exported = await run(['export'])
    assert.equal(exported.code, 0, exported.stderr)
    assert.equal(exported.stdout, readFileSync(DEMO, 'utf8'), 'exporting a fixture gives it back byte for byte')
    const same = await runCli(['diff', 'demo.ndjson', DEMO], { cwd: fx.dir })
    assert.equal(same.code, 0, same.stderr)
    assert.match(same.stdout, /\nno differences\n$/)
  })

  test('an edit or delete can be previewed with --dry-run', async () => {
    const r = await run(['edit', 'config', DG, '{"value":9}', '--dry-run'])
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stdout, 'previous value: {"value":1}\n')
    assert.match(r.stderr, /value: 1 => 9\n }\ndry run; nothing written\n$/)
  })

  test('write commands refuse with exit 4 and leave the fixture as it was', async () => {
    const writes = [
      ['edit', 'config', DG, '{"value":9}', '--yes'],
      ['delete', 'config', DG, '--yes'],
      ['init'],
      ['import', DEMO],
      ['upgrade', '--yes'],
      ['restore', fx.store, '--yes', '--force'],
      ['backup', 'backup.db'],
    ]
    for (const argv of writes) {
      const r = await run(argv)
      assert.equal(r.code, 4, `${argv[0]}: ${r.stderr}`)
      assert.match(r.stderr, /^catalog-debug: error: demo\.ndjson is a fixture, a read-only snapshot/, argv[0])
      assert.match(r.stderr, /\nhint: /)
      assert.equal(r.stdout, '')
    }
    const upgrade = await run(['upgrade', '--yes'])
    assert.match(upgrade.stderr, /hint: write the upgraded catalog to a new fixture: catalog-debug --store demo\.ndjson upgrade TARGET/)
    const copy = await runCli(['copy', '--from', fx.store, '--to', 'demo.ndjson'], { cwd: fx.dir })
    assert.equal(copy.code, 4, copy.stderr)
    assert.equal(sha256File(fixture), hash)
  })

  test('organization, missing and invalid fixtures', async () => {
    const other = await run(['epoch', '--organization-id', OTHER_ORG])
    assert.equal(other.code, 3)
    assert.match(other.stderr, /no catalog for organization 00000000-0000-4000-8000-000000000002/)
    const missing = await runCli(['epoch', '--store', 'missing.ndjson'], { cwd: fx.dir })
    assert.equal(missing.code, 3)
    assert.match(missing.stderr, /store not found: .*missing\.ndjson\n$/)
    const lines = readFileSync(DEMO, 'utf8').split('\n')
    lines[3] = (lines[3] as string).replace('"ts":2', '"ts":"two"')
    writeFileSync(join(fx.dir, 'broken.ndjson'), lines.join('\n'))
    const broken = await runCli(['dump', '--store', 'broken.ndjson'], { cwd: fx.dir })
    assert.equal(broken.code, 2)
    assert.equal(broken.stderr, 'catalog-debug: error: broken.ndjson:4: ts: expected an unsigned 64-bit integer, got the string "two"\n')
  })
})
