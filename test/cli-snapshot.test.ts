/**
 * The snapshot and regression commands through `main`: export/import round trips, diff exit codes
 * and formats, verify on clean and damaged catalogs, upgrade (fixture → TARGET, and a SQLite store
 * behind the write guards), history.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { canonicalJson, parseJson, type JsonObject, type JsonValue } from '../src/json/lossless-json.js'
import { applyPatch, contentsFromFixture, patchDocument, type JsonPatchOp } from '../src/catalog/diff/index.js'
import { textLines } from '../src/catalog/fixture/index.js'
import { repoRoot } from './helpers/cli-golden.js'
import { createFixtureCatalog, FIXTURE_ORG, tempDir, type FixtureDir } from './helpers/cli-fixture.js'
import { runCli } from './helpers/cli-run.js'
import { listDir } from './helpers/tmp.js'

const FIXTURES = join(repoRoot(), 'fixtures')
const fixture = (name: string): string => join(FIXTURES, name)
const DEMO_VERSIONS = [42, 43, 44, 45, 46, 47] as const
const SHIPPED = [
  'fresh-v47.ndjson',
  ...DEMO_VERSIONS.map((v) => `demo-v${v}.ndjson`),
  ...DEMO_VERSIONS.map((v) => `golden/upgrade/demo-v${v}-upgraded.ndjson`),
]
const DG = '{"key":"deploy_generation"}'

describe('snapshot and regression commands', () => {
  let fx: FixtureDir
  let n = 0
  const path = (name: string): string => join(fx.dir, name)
  /** A fresh SQLite store with the fixed test catalog. */
  async function fresh(): Promise<string> {
    const p = path(`c${n++}.db`)
    await createFixtureCatalog(p)
    return p
  }
  before(() => {
    fx = tempDir()
  })
  after(() => fx.cleanup())

  test('export → import → export is byte-identical, full and consolidated', async () => {
    for (const name of ['demo-v47.ndjson', 'demo-v42.ndjson']) {
      const store = path(`import-${name}.db`)
      const imported = await runCli(['--store', store, 'import', fixture(name)])
      assert.equal(imported.code, 0, imported.stderr)
      assert.match(imported.stdout, /^imported \d+ updates into the catalog of organization 3f5c8a2e-/)
      const exported = await runCli(['--store', store, 'export'])
      assert.equal(exported.code, 0, exported.stderr)
      assert.equal(exported.stdout, readFileSync(fixture(name), 'utf8'), name)
    }
    const store = await fresh()
    const edit = await runCli(['--store', store, 'edit', 'config', DG, '{"value":7}', '--yes'])
    assert.equal(edit.code, 0, edit.stderr)
    for (const consolidated of [false, true]) {
      const flag = consolidated ? ['--consolidated'] : []
      const first = await runCli(['--store', store, 'export', ...flag, path(`first-${consolidated}.ndjson`)])
      assert.equal(first.code, 0, first.stderr)
      assert.equal(first.stdout, '')
      assert.match(first.stderr, /^exported the (full history|current state) to .*first-(true|false)\.ndjson \(\d+ updates\)\n$/)
      const copy = path(`copy-${consolidated}.db`)
      const imported = await runCli(['--store', copy, 'import', '-', '-o', 'json'], {
        stdin: readFileSync(path(`first-${consolidated}.ndjson`), 'utf8'),
      })
      assert.equal(imported.code, 0, imported.stderr)
      const report = parseJson(imported.stdout) as JsonObject
      assert.equal(report.organization_id, FIXTURE_ORG)
      assert.equal(report.consolidated, consolidated)
      const second = await runCli(['--store', copy, 'export', ...flag])
      assert.equal(second.stdout, readFileSync(path(`first-${consolidated}.ndjson`), 'utf8'))
    }
  })

  test('export to a file that cannot be written fails without leaving anything', async () => {
    const store = await fresh()
    const r = await runCli(['--store', store, 'export', path('no-such-dir/out.ndjson')])
    assert.equal(r.code, 3, r.stderr)
    assert.equal(existsSync(path('no-such-dir')), false)
  })

  test('import refuses a catalog that holds data; a bad fixture writes nothing and creates no store', async () => {
    const store = await fresh()
    const again = await runCli(['--store', store, 'import', fixture('fresh-v47.ndjson'), '--organization-id', FIXTURE_ORG])
    assert.equal(again.code, 4, again.stderr)
    assert.match(again.stderr, /already holds data/)
    const lines = readFileSync(fixture('demo-v47.ndjson'), 'utf8').split('\n')
    const bad = lines.findIndex((l) => l.includes('"kind":"Database"'))
    lines[bad] = (lines[bad] as string).replace(/"name":"[^"]*"/, '"name":5')
    writeFileSync(path('bad.ndjson'), lines.join('\n'))
    const before = listDir(fx.dir)
    const r = await runCli(['--store', path('new.db'), 'import', path('bad.ndjson')])
    assert.equal(r.code, 2)
    assert.equal(r.stderr, `catalog-debug: error: bad.ndjson:${bad + 1}: data.value.name: expected a string, got 5\n`)
    assert.deepEqual(listDir(fx.dir), before, 'no store file left behind')
    const missing = await runCli(['--store', path('new.db'), 'import', path('missing.ndjson')])
    assert.equal(missing.code, 3)
    assert.equal(existsSync(path('new.db')), false)
  })

  test('diff: exit 0 when equal, 1 when different; json and jsonpatch', async () => {
    const a = await fresh()
    const b = await fresh()
    const equal = await runCli(['diff', a, b])
    assert.equal(equal.code, 0, equal.stderr)
    assert.equal(equal.stdout, `--- ${a}\n+++ ${b}\nno differences\n`)
    assert.equal((await runCli(['edit', '--store', b, 'config', DG, '{"value":3}', '--yes'])).code, 0)
    assert.equal((await runCli(['delete', '--store', b, 'compute_replicas', '{"id":{"value":{"User":1}}}', '--yes'])).code, 0)
    const text = await runCli(['diff', a, b])
    assert.equal(text.code, 1)
    assert.equal(text.stderr, '', 'like diff(1): differences are not an error message')
    assert.match(text.stdout, /^config: 1 changed\n {2}~ \{"key":"deploy_generation"\}\n/m)
    assert.match(text.stdout, /\n1 removed, 1 changed\n$/)
    const epochs = await runCli(['diff', a, b, '--include-epoch', '-o', 'json'])
    assert.equal(epochs.code, 1)
    const report = parseJson(epochs.stdout) as JsonObject
    assert.equal(report.equal, false)
    assert.deepEqual(report.summary, { added: 0n, removed: 1n, changed: 1n })
    assert.deepEqual(report.epoch, { before: 2n, after: 4n })
    const collections = report.collections as JsonObject[]
    assert.deepEqual(
      collections.map((c) => c.collection),
      ['compute_replicas', 'config'],
    )
    assert.deepEqual((collections[1] as JsonObject).changed, [
      { key: { key: 'deploy_generation' }, before: { value: 0n }, after: { value: 3n } },
    ])
    const patch = await runCli(['diff', a, b, '-o', 'jsonpatch'])
    assert.equal(patch.code, 1)
    const ops = parseJson(patch.stdout) as JsonObject[]
    assert.deepEqual(ops, [
      { op: 'remove', path: '/collections/compute_replicas/{"id":{"value":{"User":1}}}' },
      { op: 'replace', path: '/collections/config/{"key":"deploy_generation"}/value', value: 3n },
    ])
  })

  test('diff -o jsonpatch turns one fixture into the other', async () => {
    const before = fixture('demo-v42.ndjson')
    const after = fixture('golden/upgrade/demo-v42-upgraded.ndjson')
    const r = await runCli(['diff', before, after, '-o', 'jsonpatch'])
    assert.equal(r.code, 1, r.stderr)
    const ops = parseJson(r.stdout) as unknown as JsonPatchOp[]
    assert.ok(ops.length > 0)
    const doc = patchDocument(await contentsFromFixture(textLines(readFileSync(before, 'utf8'))))
    const want = patchDocument(await contentsFromFixture(textLines(readFileSync(after, 'utf8'))))
    assert.equal(canonicalJson(applyPatch(doc, ops) as JsonValue), canonicalJson(want))
  })

  test('verify: every shipped fixture is clean; a broken reference fails with exit 1', async () => {
    for (const name of SHIPPED) {
      const r = await runCli(['--store', fixture(name), 'verify'])
      assert.equal(r.code, 0, `${name}: ${r.stdout}${r.stderr}`)
      assert.match(r.stdout, /\nok: no findings\n$/, name)
    }
    const store = await fresh()
    assert.equal((await runCli(['--store', store, 'verify'])).code, 0)
    const del = await runCli(['--store', store, 'delete', 'database', '{"id":{"value":{"User":1}}}', '--yes'])
    assert.equal(del.code, 0, del.stderr)
    const r = await runCli(['--store', store, 'verify'])
    assert.equal(r.code, 1)
    assert.match(r.stdout, /^error \[referential-integrity\] .*u1/m)
    assert.match(r.stdout, /\nfailed: \d+ errors?, 0 warnings\n$/)
    assert.match(r.stderr, /^catalog-debug: error: verify found \d+ errors?, 0 warnings\nhint: /)
    const json = await runCli(['--store', store, 'verify', '-o', 'json', '--check', 'referential-integrity'])
    assert.equal(json.code, 1)
    const report = parseJson(json.stdout) as JsonObject
    assert.equal(report.ok, false)
    assert.deepEqual(report.checks, ['referential-integrity'])
    const findings = report.findings as JsonObject[]
    assert.ok(findings.length > 0)
    for (const f of findings) {
      assert.deepEqual(Object.keys(f), ['check', 'severity', 'message', 'rows'])
      assert.equal(f.check, 'referential-integrity')
    }
    const unique = await runCli(['--store', store, 'verify', '--check', 'unique-names'])
    assert.equal(unique.code, 0, 'only the checks asked for')
  })

  test('upgrade of a fixture into TARGET equals the shipped golden, for every version', async () => {
    for (const v of DEMO_VERSIONS) {
      const target = path(`upgraded-v${v}.ndjson`)
      const r = await runCli(['--store', fixture(`demo-v${v}.ndjson`), 'upgrade', target])
      assert.equal(r.code, 0, r.stderr)
      assert.equal(r.stdout, '')
      assert.match(r.stderr, new RegExp(`from catalog version ${v} to 47 \\(${47 - v} steps\\); written to `))
      assert.equal(readFileSync(target, 'utf8'), readFileSync(fixture(`golden/upgrade/demo-v${v}-upgraded.ndjson`), 'utf8'), `v${v}`)
    }
    const stdout = await runCli(['--store', fixture('demo-v45.ndjson'), 'upgrade', '-'])
    assert.equal(stdout.stdout, readFileSync(fixture('golden/upgrade/demo-v45-upgraded.ndjson'), 'utf8'))
    const onStore = await runCli(['--store', await fresh(), 'upgrade', path('x.ndjson')])
    assert.equal(onStore.code, 2)
    assert.match(onStore.stderr, /TARGET is for a fixture --store/)
  })

  test('upgrade of a SQLite store: refused without --yes (exit 4), previewed with --dry-run, committed with --yes', async () => {
    const store = path('v43.db')
    assert.equal((await runCli(['--store', store, 'import', fixture('demo-v43.ndjson')])).code, 0)
    const original = (await runCli(['--store', store, 'export'])).stdout
    const refused = await runCli(['--store', store, 'upgrade'])
    assert.equal(refused.code, 4)
    assert.match(refused.stderr, /^upgrade from catalog version 43 to 47:\n {2}step 43 → 44: 0 changes\n/)
    assert.match(
      refused.stderr,
      /catalog-debug: error: refusing to commit the migrations from catalog version 43 to 47 without confirmation: no terminal to ask\n/,
    )
    const dry = await runCli(['--store', store, 'upgrade', '--dry-run', '-o', 'json'])
    assert.equal(dry.code, 0, dry.stderr)
    const plan = parseJson(dry.stdout) as JsonObject
    assert.equal(plan.committed, false)
    assert.equal(plan.epoch, null)
    assert.deepEqual(
      (plan.steps as JsonObject[]).map((s) => s.from),
      [43n, 44n, 45n, 46n],
    )
    assert.equal((await runCli(['--store', store, 'export'])).stdout, original, 'nothing written')
    const done = await runCli(['--store', store, 'upgrade', '--yes'])
    assert.equal(done.code, 0, done.stderr)
    assert.equal(done.stdout, 'upgraded from catalog version 43 to 47 (4 steps); epoch 5\n')
    assert.equal(
      (await runCli(['--store', store, 'export'])).stdout,
      readFileSync(fixture('golden/upgrade/demo-v43-upgraded.ndjson'), 'utf8'),
    )
    const again = await runCli(['--store', store, 'upgrade', '--yes'])
    assert.equal(again.code, 0)
    assert.equal(again.stdout, 'catalog version 47: nothing to upgrade\n')
    assert.equal(again.stderr, 'no change; nothing written\n')
  })

  test('upgrade of a catalog this build cannot migrate: exit 6, nothing written', async () => {
    const store = await fresh()
    assert.equal((await runCli(['--store', store, 'edit', 'config', '{"key":"user_version"}', '{"value":41}', '--yes'])).code, 0)
    const r = await runCli(['--store', store, 'upgrade', '--yes'])
    assert.equal(r.code, 6)
    assert.match(r.stderr, /error: the catalog cannot be upgraded: incompatible Catalog version 41, minimum: 42, current: 47\n/)
    assert.equal((await runCli(['--store', store, 'epoch'])).stdout, 'Epoch: 3\n')
  })

  test('history after two edits shows both versions', async () => {
    const store = await fresh()
    const key = '{"name":"greeting"}'
    for (const value of ['hello', 'world']) {
      assert.equal((await runCli(['--store', store, 'edit', 'setting', key, `{"value":"${value}"}`, '--yes'])).code, 0)
    }
    const text = await runCli(['--store', store, 'history', 'setting', key])
    assert.equal(text.code, 0, text.stderr)
    // The last column is the write's record: wall-clock time, user@host and the command.
    const lines = text.stdout.split('\n')
    assert.match(lines[0]!, /^written_at {2}retracted_at {2}value +written_by$/)
    assert.match(lines[1]!, /^3 +4 +\{"value":"hello"\} +\d{4}-\d\d-\d\dT\S+Z \S+@\S+ edit$/)
    assert.match(lines[2]!, /^4 +- +\{"value":"world"\} +\d{4}-\d\d-\d\dT\S+Z \S+@\S+ edit$/)
    assert.equal(lines.length, 4)
    const json = await runCli(['--store', store, 'history', 'setting', key, '-o', 'json'])
    const versions = parseJson(json.stdout) as JsonObject[]
    assert.deepEqual(
      versions.map(({ value, written_at, retracted_at }) => ({ value, written_at, retracted_at })),
      [
        { value: { value: 'hello' }, written_at: 3n, retracted_at: 4n },
        { value: { value: 'world' }, written_at: 4n, retracted_at: null },
      ],
    )
    assert.deepEqual(
      versions.map((v) => (v.written_by as JsonObject).command),
      ['edit', 'edit'],
    )
    const none = await runCli(['--store', store, 'history', 'setting', '{"name":"nope"}'])
    assert.equal(none.code, 3)
    const bad = await runCli(['--store', store, 'history', 'nope', key])
    assert.equal(bad.code, 2)
  })
})
