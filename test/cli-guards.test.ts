/**
 * Guards of the command line found in review: a TARGET/SOURCE that is the store itself, a store
 * in a missing directory, stdout/stderr write errors, and the short SQLite busy timeout.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { copyFileSync, existsSync, readFileSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { Readable, Writable } from 'node:stream'
import { repoRoot } from './helpers/cli-golden.js'
import { createFixtureCatalog, tempDir, type FixtureDir } from './helpers/cli-fixture.js'
import { Capture, runCli } from './helpers/cli-run.js'
import { main } from '../src/cli/main.js'
import { systemClock } from '../src/retry.js'
import { openRawDatabase } from '../src/store/sqlite/raw-database.js'

const ROOT = repoRoot()
const DG = '{"key":"deploy_generation"}'

/** A stream whose every write fails with `code` (an errno such as ENOSPC or EPIPE). */
function failingStream(code: string): Writable {
  return new Writable({
    write(_chunk, _enc, cb) {
      cb(Object.assign(new Error(`${code}: write failed`), { code }))
    },
  })
}

async function runWith(
  argv: string[],
  streams: { stdout?: Writable; stderr?: Writable },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture()
  const stderr = new Capture()
  const code = await main(argv, {
    stdout: streams.stdout ?? stdout,
    stderr: streams.stderr ?? stderr,
    stdin: Readable.from([]),
    env: {},
    isTTY: { stdin: false, stdout: false, stderr: false },
    cwd: process.cwd(),
    columns: 80,
    now: () => 0,
  })
  return { code, stdout: stdout.text, stderr: stderr.text }
}

describe('command line guards', () => {
  let fx: FixtureDir
  let n = 0
  const path = (name: string): string => join(fx.dir, name)
  async function fresh(): Promise<string> {
    const p = path(`g${n++}.db`)
    await createFixtureCatalog(p)
    return p
  }
  before(() => {
    fx = tempDir()
  })
  after(() => fx.cleanup())

  test('backup TARGET that is the store itself is refused (exit 4), even with --force and through a link', async () => {
    const store = await fresh()
    const before = readFileSync(store)
    const same = await runCli(['--store', store, 'backup', store, '--force'])
    assert.equal(same.code, 4, same.stderr)
    assert.match(same.stderr, /is the store itself/)
    const link = path('link.db')
    symlinkSync(store, link)
    const linked = await runCli(['--store', store, 'backup', link, '--force'])
    assert.equal(linked.code, 4, linked.stderr)
    const relative = await runCli(['--store', store, 'backup', `./${store.split('/').pop() as string}`, '--force'], { cwd: fx.dir })
    assert.equal(relative.code, 4, relative.stderr)
    assert.deepEqual(readFileSync(store), before)
  })

  test('restore SOURCE that is the store itself is refused (exit 4)', async () => {
    const store = await fresh()
    const r = await runCli(['--store', store, 'restore', store, '--yes', '--force'])
    assert.equal(r.code, 4, r.stderr)
    assert.match(r.stderr, /SOURCE .* is the store itself/)
    assert.doesNotMatch(r.stdout, /restored/)
  })

  test('upgrade TARGET that is the --store fixture is refused (exit 4); the fixture is unchanged', async () => {
    const fixture = path('v42.ndjson')
    copyFileSync(join(ROOT, 'fixtures', 'demo-v42.ndjson'), fixture)
    const before = readFileSync(fixture, 'utf8')
    const r = await runCli(['--store', fixture, 'upgrade', fixture])
    assert.equal(r.code, 4, r.stderr)
    assert.match(r.stderr, /TARGET .* is the store itself/)
    assert.equal(readFileSync(fixture, 'utf8'), before)
    const other = await runCli(['--store', fixture, 'upgrade', path('v47.ndjson')])
    assert.equal(other.code, 0, other.stderr)
  })

  test('a store or backup in a missing directory is "not found" (exit 3), not an internal error', async () => {
    const missing = path('no-such-dir/x.db')
    const init = await runCli(['--store', missing, 'init'])
    assert.equal(init.code, 3, init.stderr)
    assert.match(init.stderr, /directory does not exist: .*no-such-dir\n/)
    const imported = await runCli(['--store', missing, 'import', join(ROOT, 'fixtures', 'demo-v47.ndjson')])
    assert.equal(imported.code, 3, imported.stderr)
    const store = await fresh()
    const copy = await runCli(['copy', '--from', store, '--to', missing])
    assert.equal(copy.code, 3, copy.stderr)
    const backup = await runCli(['--store', store, 'backup', missing])
    assert.equal(backup.code, 3, backup.stderr)
    assert.match(backup.stderr, /directory does not exist/)
    assert.equal(existsSync(path('no-such-dir')), false)
  })

  test('a write error on stdout (ENOSPC) is a failure (exit 1), not a bug', async () => {
    const store = await fresh()
    const r = await runWith(['dump', '--store', store], { stdout: failingStream('ENOSPC') })
    assert.equal(r.code, 1, r.stderr)
    assert.match(r.stderr, /^catalog-debug: error: cannot write to stdout: ENOSPC/)
  })

  test('EPIPE on stderr is dropped quietly, not an unhandled error', async () => {
    const fixture = join(ROOT, 'fixtures', 'demo-v42.ndjson')
    const r = await runWith(['--store', fixture, 'upgrade', '--dry-run'], { stderr: failingStream('EPIPE') })
    assert.equal(r.code, 0)
    assert.match(r.stdout, /42/)
  })

  test('init on an existing catalog is refused (exit 4), like import and copy', async () => {
    const store = await fresh()
    const r = await runCli(['--store', store, 'init', '--organization-id', '00000000-0000-4000-8000-000000000001'])
    assert.equal(r.code, 4, r.stderr)
    assert.match(r.stderr, /already initialized/)
  })

  test('inspect --organization-id of a catalog the store lacks is "not found" (exit 3), like every command', async () => {
    const store = await fresh()
    const r = await runCli(['--store', store, 'inspect', '--organization-id', '00000000-0000-4000-8000-0000000000ff'])
    assert.equal(r.code, 3, r.stderr)
    assert.match(r.stderr, /no catalog for organization/)
    assert.equal(r.stdout, '')
  })

  test('completion --help prints help, not the script; epoch TARGET says where it wrote', async () => {
    const r = await runCli(['completion', '--help'])
    assert.equal(r.code, 0)
    assert.match(r.stdout, /^catalog-debug completion \[shell\]\n/)
    assert.match(r.stdout, /Examples:/)
    assert.doesNotMatch(r.stdout, /begin-catalog-debug-completions/)
    const store = await fresh()
    const e = await runCli(['--store', store, 'epoch', path('epoch.txt')])
    assert.equal(e.code, 0, e.stderr)
    assert.match(e.stderr, /wrote the epoch to .*epoch\.txt\n/)
  })

  test('a locked SQLite store with --retry-timeout 1s gives up (exit 5) well within 3 s: the default busy timeout is short', async () => {
    const store = await fresh()
    const lock = openRawDatabase(store, { mustExist: true })
    lock.exec('BEGIN EXCLUSIVE')
    try {
      const started = performance.now()
      const r = await runCli(['edit', '--store', store, 'config', DG, '{"value":9}', '--yes', '--retry-timeout', '1s'], {
        retryClock: systemClock,
      })
      const took = performance.now() - started
      assert.equal(r.code, 5, r.stderr)
      assert.ok(took < 3000, `took ${took.toFixed(0)} ms`)
    } finally {
      lock.exec('ROLLBACK')
      lock.close()
    }
  })
})
