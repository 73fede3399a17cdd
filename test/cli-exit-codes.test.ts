/** Every exit code, from `main` run in process with captured streams. */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { createFixtureCatalog, FIXTURE_ORG, openFixtureStore, OTHER_ORG, tempDir, type FixtureDir } from './helpers/cli-fixture.js'
import { runCli } from './helpers/cli-run.js'
import { catalogShardIds } from '../src/catalog/index.js'
import { systemClock } from '../src/retry.js'
import { openRawDatabase } from '../src/store/sqlite/raw-database.js'

describe('exit codes', () => {
  let fx: FixtureDir
  let n = 0
  /** A fresh catalog for tests that write. */
  async function fresh(orgs?: string[]): Promise<string> {
    const path = join(fx.dir, `c${n++}.db`)
    await createFixtureCatalog(path, orgs)
    return path
  }
  before(() => {
    fx = tempDir()
  })
  after(() => fx.cleanup())

  test('0: ok', async () => {
    const r = await runCli(['epoch', '--store', await fresh()])
    assert.equal(r.code, 0)
    assert.equal(r.stdout, 'Epoch: 2\n')
    assert.equal(r.stderr, '')
  })

  test('1: a file that is not a store', async () => {
    const path = join(fx.dir, 'not-a-store.db')
    writeFileSync(path, 'hello, this is not SQLite\n'.repeat(100))
    const r = await runCli(['epoch', '--store', path])
    assert.equal(r.code, 1, r.stderr)
    assert.match(r.stderr, /^catalog-debug: error: /)
    assert.equal(r.stdout, '')
  })

  test('1: dump --strict with rows that do not decode; without --strict a warning only', async () => {
    const path = await fresh()
    const store = await openFixtureStore(path)
    const shard = catalogShardIds(FIXTURE_ORG).catalog
    const upper = (await store.fetchRecentUpper(shard)) as bigint
    const bad = '{"key":{"key":"broken"},"kind":"Config","value":{"value":"not a number"}}'
    const res = await store.compareAndAppend(shard, [{ data: bad, ts: upper, diff: 1n }], upper, upper + 1n)
    assert.equal(res.ok, true)
    await store.close()
    const loose = await runCli(['dump', '--store', path, '-i', 'audit_log'])
    assert.equal(loose.code, 0)
    assert.match(loose.stdout, /undecodable:\n {2}- collection: config\n {4}raw: '\{"key":\{"key":"broken"\}/)
    assert.match(loose.stderr, /warning: 1 row did not decode/)
    const strict = await runCli(['dump', '--store', path, '--strict', '--stats-only'])
    assert.equal(strict.code, 1)
    assert.match(strict.stderr, /error: 1 row did not decode/)
  })

  test('2: usage errors', async () => {
    for (const argv of [[], ['bogus'], ['epoch'], ['epoch', '--store', 'x', '-o', 'xml'], ['edit', '--store', 'x', 'config', '{}']]) {
      const r = await runCli(argv)
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`)
      assert.match(r.stderr, /^catalog-debug: error: /)
      assert.equal(r.stdout, '')
    }
    const bad = await runCli(['edit', '--store', await fresh(), 'config', '{"key":', '{}', '--yes'])
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /KEY is not valid JSON/)
    const schema = await runCli(['edit', '--store', await fresh(), 'config', '{"key":"x"}', '{"value":"seven"}', '--yes'])
    assert.equal(schema.code, 2, schema.stderr)
  })

  test('2: several catalogs and no --organization-id lists them', async () => {
    const path = await fresh([FIXTURE_ORG, OTHER_ORG])
    const r = await runCli(['epoch', '--store', path])
    assert.equal(r.code, 2)
    assert.match(r.stderr, new RegExp(`holds 2 catalogs; choose one with --organization-id: ${FIXTURE_ORG}, ${OTHER_ORG}`))
    const ok = await runCli(['epoch', '--store', path], { env: { CATALOG_DEBUG_ORGANIZATION_ID: OTHER_ORG } })
    assert.equal(ok.code, 0)
  })

  test('3: not found, and a read command creates nothing', async () => {
    const missing = join(fx.dir, 'missing.db')
    for (const cmd of [
      ['epoch'],
      ['dump'],
      ['inspect'],
      ['upgrade-check'],
      ['edit', 'config', '{}', '{}', '--yes'],
      ['delete', 'config', '{}', '--yes'],
    ]) {
      const r = await runCli([...cmd, '--store', missing])
      assert.equal(r.code, 3, `${cmd[0]}: ${r.stderr}`)
      assert.match(r.stderr, /store not found/)
    }
    assert.equal(existsSync(missing), false)
    assert.equal(existsSync(`${missing}-wal`), false)
    const path = await fresh()
    const org = await runCli(['epoch', '--store', path, '--organization-id', OTHER_ORG])
    assert.equal(org.code, 3)
    assert.match(org.stderr, /no catalog for organization/)
    const key = await runCli(['delete', '--store', path, 'config', '{"key":"nope"}', '--yes'])
    assert.equal(key.code, 3)
    const file = await runCli(['edit', '--store', path, 'config', '@nope.json', '{}', '--yes'], { cwd: fx.dir })
    assert.equal(file.code, 3)
  })

  test('4: refused without a terminal; an interactive "n" cancels, "y" writes', async () => {
    const path = await fresh()
    const edit = ['edit', '--store', path, 'config', '{"key":"deploy_generation"}', '{"value":9}']
    const refused = await runCli(edit)
    assert.equal(refused.code, 4)
    assert.match(refused.stderr, /no terminal to ask/)
    const no = await runCli(edit, { isTTY: { stdin: true, stderr: true }, stdin: 'n\n', env: { CI: '1' } })
    assert.equal(no.code, 4)
    assert.match(no.stderr, /\? \[y\/N\] /)
    assert.equal((await runCli(['epoch', '--store', path])).stdout, 'Epoch: 2\n', 'nothing written')
    const yes = await runCli(edit, { isTTY: { stdin: true, stderr: true }, stdin: 'y\n', env: { CI: '1' } })
    assert.equal(yes.code, 0, yes.stderr)
    assert.equal(yes.stdout, 'previous value: {"value":0}\n')
    assert.equal((await runCli(['epoch', '--store', path])).stdout, 'Epoch: 3\n')
  })

  test('5: busy store, after retrying', async () => {
    const path = await fresh()
    const lock = openRawDatabase(path, { mustExist: true })
    lock.exec('BEGIN EXCLUSIVE')
    try {
      const r = await runCli([
        'edit',
        '--store',
        path,
        'config',
        '{"key":"deploy_generation"}',
        '{"value":9}',
        '--yes',
        '--busy-timeout',
        '20ms',
        '--retry-timeout',
        '1s',
      ])
      assert.equal(r.code, 5, r.stderr)
      assert.match(r.stderr, /catalog-debug: retrying editing config \(attempt 2 in 125 ms\): /)
      assert.match(r.stderr, /\(final attempt in \d+ ms\)/)
      assert.match(r.stderr, /catalog-debug: error: /)
      // A non-zero retry timeout, so there are retries that -q must keep quiet.
      const quiet = await runCli([
        'edit',
        '--store',
        path,
        'config',
        '{"key":"deploy_generation"}',
        '{"value":9}',
        '--yes',
        '-q',
        '--busy-timeout',
        '20ms',
        '--retry-timeout',
        '1s',
      ])
      assert.equal(quiet.code, 5)
      assert.doesNotMatch(quiet.stderr, /retrying/)
      assert.match(quiet.stderr, /^catalog-debug: error: /, 'the error is still printed')
    } finally {
      lock.exec('ROLLBACK')
      lock.close()
    }
  })

  // The retry budget leaves room for ora's lazy import on a loaded CI machine: the spinner only
  // appears once ora has loaded, and a run that gives up first would show nothing to match.
  test('on a terminal, retries show in a spinner on stderr', async () => {
    const path = await fresh()
    const lock = openRawDatabase(path, { mustExist: true })
    lock.exec('BEGIN EXCLUSIVE')
    try {
      const r = await runCli(
        [
          'edit',
          '--store',
          path,
          'config',
          '{"key":"deploy_generation"}',
          '{"value":9}',
          '--yes',
          '--busy-timeout',
          '10ms',
          '--retry-timeout',
          '3s',
        ],
        { isTTY: { stderr: true }, env: { TERM: 'xterm' }, retryClock: systemClock },
      )
      assert.equal(r.code, 5)
      assert.match(r.stderr, /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] retrying editing config \(attempt \d+ in \d+ ms\): .*locked/)
      assert.doesNotMatch(r.stderr, /catalog-debug: retrying/, 'no plain retry lines on a terminal')
    } finally {
      lock.exec('ROLLBACK')
      lock.close()
    }
  })

  test('6: upgrade check failed', async () => {
    const path = await fresh()
    const edit = await runCli(['edit', '--store', path, 'config', '{"key":"user_version"}', '{"value":41}', '--yes'])
    assert.equal(edit.code, 0, edit.stderr)
    const r = await runCli(['upgrade-check', '--store', path])
    assert.equal(r.code, 6, r.stderr)
    assert.match(
      r.stdout,
      /^catalog upgrade from new to v\S+ \([0-9a-f]{9}\) would fail:\n {2}- incompatible Catalog version 41, minimum: 42, current: 47\n$/,
    )
    assert.match(r.stderr, /catalog-debug: error: upgrade check failed: 1 problem\n/)
    const json = await runCli(['upgrade-check', '--store', path, '-o', 'json'])
    assert.equal(json.code, 6)
    assert.match(json.stdout, /"ok": false/)
  })

  test('70: internal error; the stack only with --verbose', async () => {
    const path = await fresh()
    const broken = new (class extends Writable {
      override write(): boolean {
        throw new TypeError('stdout exploded')
      }
    })()
    const r = await runCli(['epoch', '--store', path], { stdout: broken })
    assert.equal(r.code, 70)
    assert.equal(
      r.stderr,
      'catalog-debug: error: internal error: stdout exploded\nhint: this is a bug; rerun with --verbose for the stack trace\n',
    )
    const v = await runCli(['epoch', '--store', path, '-v'], { stdout: broken })
    assert.equal(v.code, 70)
    assert.match(v.stderr, /TypeError: stdout exploded\n\s+at /)
  })

  test('--verbose prints timings; --quiet silences messages but not errors', async () => {
    const path = await fresh()
    const v = await runCli(['epoch', '--store', path, '--verbose'])
    assert.equal(v.code, 0)
    assert.match(v.stderr, /timing: open store \(read\) [\d.]+ ms/)
    assert.match(v.stderr, /timing: epoch total [\d.]+ ms/)
    const q = await runCli(['edit', '--store', path, 'config', '{"key":"deploy_generation"}', '{"value":4}', '--dry-run', '-q'])
    assert.equal(q.code, 0)
    assert.equal(q.stderr, '')
    assert.equal(q.stdout, 'previous value: {"value":0}\n')
  })
})
