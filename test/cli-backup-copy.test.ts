/**
 * `backup`, `restore` and `copy` through `main`, and the snapshot commands as real child
 * processes (the README's first command, exit codes through pipes, export piped into import).
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseJson, type JsonObject } from '../src/json/lossless-json.js'
import { repoRoot } from './helpers/cli-golden.js'
import { createFixtureCatalog, FIXTURE_ORG, OTHER_ORG, tempDir, type FixtureDir } from './helpers/cli-fixture.js'
import { spawnCli } from './helpers/cli-process.js'
import { runCli } from './helpers/cli-run.js'
import { displayLocation } from '../src/cli/store-access.js'
import { contentsFromFixture, diffCatalogs } from '../src/catalog/diff/index.js'
import { textLines, type ImportResult } from '../src/catalog/fixture/index.js'
import { renderCopy } from '../src/render/import-result.js'
import { Chalk } from 'chalk'
import { fingerprint } from './helpers/tmp.js'

const ROOT = repoRoot()
const DEMO = join(ROOT, 'fixtures', 'demo-v47.ndjson')
const DG = '{"key":"deploy_generation"}'

describe('backup, restore and copy', () => {
  let fx: FixtureDir
  let n = 0
  const path = (name: string): string => join(fx.dir, name)
  async function fresh(orgs?: string[]): Promise<string> {
    const p = path(`c${n++}.db`)
    await createFixtureCatalog(p, orgs)
    return p
  }
  const epoch = async (store: string): Promise<string> => (await runCli(['--store', store, 'epoch'])).stdout
  before(() => {
    fx = tempDir()
  })
  after(() => fx.cleanup())

  test('backup, then restore after a later edit: refused (exit 4) unless --force, guarded like edit', async () => {
    const store = await fresh()
    const backup = await runCli(['--store', store, 'backup', path('b.db')])
    assert.equal(backup.code, 0, backup.stderr)
    assert.match(backup.stdout, /^backup written to .*b\.db \(\d+ bytes, 2 shards\):\n {2}catalog_upgrade s/)
    const exists = await runCli(['--store', store, 'backup', path('b.db')])
    assert.equal(exists.code, 4)
    assert.match(exists.stderr, /b\.db exists; not replacing it\nhint: choose a new file name, or pass --force to replace it\n$/)
    assert.equal((await runCli(['--store', store, 'backup', path('b.db'), '--force'])).code, 0)

    assert.equal((await runCli(['--store', store, 'edit', 'config', DG, '{"value":8}', '--yes'])).code, 0)
    assert.equal(await epoch(store), 'Epoch: 3\n')
    const before = fingerprint(store).db
    const regress = await runCli(['--store', store, 'restore', path('b.db'), '--yes'])
    assert.equal(regress.code, 4)
    assert.match(regress.stderr, /would move a shard's upper backwards: catalog s[0-9a-f-]+ \(organization [0-9a-f-]+\): upper 4 → 3/)
    const dry = await runCli(['--store', store, 'restore', path('b.db'), '--force', '--dry-run', '-o', 'json'])
    assert.equal(dry.code, 0, dry.stderr)
    const plan = parseJson(dry.stdout) as JsonObject
    assert.equal(plan.committed, false)
    assert.deepEqual(
      (plan.regressions as JsonObject[]).map((r) => [r.current_upper, r.restored_upper]),
      [[4n, 3n]],
    )
    assert.match(
      dry.stderr,
      /lost \(--force\):\n {2}catalog s.*: upper 4 → 3\nevery writer of the store or the backup is fenced:\n {2}organization [0-9a-f-]+: epoch 4 \(the store had 3, the backup 2\)\ndry run; nothing written\n$/,
    )
    const unconfirmed = await runCli(['--store', store, 'restore', path('b.db'), '--force'])
    assert.equal(unconfirmed.code, 4)
    assert.match(unconfirmed.stderr, /refusing to replace .* with .*b\.db without confirmation/)
    assert.equal(fingerprint(store).db, before, 'nothing written')
    const forced = await runCli(['--store', store, 'restore', path('b.db'), '--force', '--yes'])
    assert.equal(forced.code, 0, forced.stderr)
    assert.match(forced.stdout, /^restored .*b\.db to .*; the writes after the backup to 1 shard are gone \(forced\)\n$/)
    // Above both the store's epoch (3) and the backup's (2): the editor's epoch is fenced.
    assert.equal(await epoch(store), 'Epoch: 4\n')
    assert.equal((await runCli(['--store', store, 'history', 'config', DG])).stdout.split('\n').length, 3, 'the edit is gone')
  })

  test('restore of a backup that is not behind needs no --force', async () => {
    const store = await fresh()
    assert.equal((await runCli(['--store', store, 'backup', path('same.db')])).code, 0)
    const r = await runCli(['--store', store, 'restore', path('same.db'), '--yes'])
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stdout, `restored ${path('same.db')} to ${store}\n`)
    const missing = await runCli(['--store', store, 'restore', path('missing.db'), '--yes'])
    assert.equal(missing.code, 3)
    const fixture = await runCli(['--store', store, 'restore', DEMO, '--yes'])
    assert.equal(fixture.code, 2)
    assert.match(fixture.stderr, /is a fixture, not a backup/)
  })

  test('copy SQLite → SQLite: full history, verified', async () => {
    const store = await fresh()
    assert.equal((await runCli(['--store', store, 'edit', 'config', DG, '{"value":4}', '--yes'])).code, 0)
    const to = path('copy.db')
    const r = await runCli(['copy', '--from', store, '--to', to])
    assert.equal(r.code, 0, r.stderr)
    assert.equal(
      r.stdout,
      `copied 50 updates into the catalog of organization ${FIXTURE_ORG} (catalog version 47, upper 4)\nfrom ${store}\nto ${to}\nverified: the copy equals the source\n`,
    )
    const a = await runCli(['--store', store, 'export'])
    const b = await runCli(['--store', to, 'export'])
    assert.equal(b.stdout, a.stdout, 'the full history, byte for byte')
    const again = await runCli(['copy', '--from', store, '--to', to])
    assert.equal(again.code, 4, 'the target catalog holds data')
    const json = await runCli(['copy', '--from', DEMO, '--to', path('demo.db'), '-o', 'json'])
    assert.equal(json.code, 0, json.stderr)
    const report = parseJson(json.stdout) as JsonObject
    assert.equal(report.verified, true)
    assert.equal((report.diff as JsonObject).equal, true)
    assert.equal((await runCli(['--store', path('demo.db'), 'export'])).stdout, readFileSync(DEMO, 'utf8'))
  })

  test('a copy that differs from its source is reported with the diff', async () => {
    const before = await contentsFromFixture(textLines(readFileSync(join(ROOT, 'fixtures', 'demo-v46.ndjson'), 'utf8')))
    const after = await contentsFromFixture(textLines(readFileSync(DEMO, 'utf8')))
    const imported = { organizationId: FIXTURE_ORG, updates: 1, upper: 2n, header: { catalogVersion: 47n } } as unknown as ImportResult
    const text = renderCopy({ from: 'a.db', to: 'b.db', imported, check: diffCatalogs(before, after) }, 'text', new Chalk({ level: 0 }))
    assert.match(text, /\nverification failed: the copy differs from the source\n--- a\.db\n\+\+\+ b\.db\n/)
    assert.match(text, /\n4 changed\n$/)
  })

  test('store locations are printed without passwords', () => {
    assert.equal(
      displayLocation('postgres://ops:s3cret@db.internal:5432/catalog?sslmode=require'),
      'postgres://ops:***@db.internal:5432/catalog?sslmode=require',
    )
    assert.equal(displayLocation('postgresql://ops@db.internal/catalog'), 'postgresql://ops@db.internal/catalog')
    assert.equal(displayLocation('catalog.db'), 'catalog.db')
  })

  test('copy picks the organization like every command', async () => {
    const store = await fresh([FIXTURE_ORG, OTHER_ORG])
    const ambiguous = await runCli(['copy', '--from', store, '--to', path('two.db')])
    assert.equal(ambiguous.code, 2)
    assert.match(ambiguous.stderr, /holds 2 catalogs; choose one with --organization-id/)
    assert.equal(existsSync(path('two.db')), false, 'nothing created')
    const r = await runCli(['copy', '--from', store, '--to', path('two.db'), '--organization-id', OTHER_ORG])
    assert.equal(r.code, 0, r.stderr)
    assert.equal((await runCli(['--store', path('two.db'), 'epoch'])).stdout, 'Epoch: 2\n')
  })
})

describe('snapshot commands as child processes', () => {
  let fx: FixtureDir
  before(async () => {
    fx = tempDir()
    await createFixtureCatalog(fx.store)
  })
  after(() => fx.cleanup())

  test("the README's first command prints a readable dump of the demo fixture", async () => {
    const r = await spawnCli(['--store', 'fixtures/demo-v47.ndjson', 'dump', '--ignore-large-collections'], { cwd: ROOT })
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stderr, '')
    assert.match(r.stdout, /^comments:\n {2}total_count: 5\n/)
    assert.match(r.stdout, /\n {4}- key_json: '\{"key":"user_version"\}'\n {6}value_json: '\{"value":47\}'\n/)
  })

  test('diff exit codes and export piped into import', async () => {
    const equal = await spawnCli(['diff', DEMO, DEMO])
    assert.equal(equal.code, 0, equal.stderr)
    const differ = await spawnCli(['diff', DEMO, fx.store, '-o', 'jsonpatch'])
    assert.equal(differ.code, 1, differ.stderr)
    assert.ok(Array.isArray(parseJson(differ.stdout)))
    const exported = await spawnCli(['--store', fx.store, 'export'])
    assert.equal(exported.code, 0, exported.stderr)
    const target = join(fx.dir, 'piped.db')
    const imported = await spawnCli(['--store', target, 'import', '-'], { input: exported.stdout })
    assert.equal(imported.code, 0, imported.stderr)
    assert.equal((await spawnCli(['diff', fx.store, target, '--include-epoch'])).code, 0)
    // 1 means "differ" only: a side that cannot be read is trouble (2), not found stays 3.
    const notAStore = join(fx.dir, 'not-a-store.db')
    writeFileSync(notAStore, 'hello, this is not SQLite\n'.repeat(100))
    const trouble = await spawnCli(['diff', DEMO, notAStore])
    assert.equal(trouble.code, 2, trouble.stderr)
    assert.match(trouble.stderr, /^catalog-debug: error: /)
    assert.equal((await spawnCli(['diff', DEMO, join(fx.dir, 'missing.db')])).code, 3)
  })
})
