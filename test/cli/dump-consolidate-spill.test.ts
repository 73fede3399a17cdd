/**
 * `dump --consolidate` past its sort memory (issue 13), through the real command line: sorted
 * runs go to a temporary file under TMPDIR, the output is byte for byte the in-memory one, the
 * temporary file is gone when it ends, and the store's directory is untouched.
 */
import { before, after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { spawnCli } from '../helpers/cli-process.js'
import { repoRoot } from '../helpers/fixture-testing.js'
import { listDir, makeTempDir, sha256File, type TempDir } from '../helpers/tmp.js'

const DEMO = join(repoRoot(), 'fixtures', 'demo-v47.ndjson')

/** Every file of a directory with its hash. */
function snapshotDir(dir: string): Record<string, string> {
  return Object.fromEntries(listDir(dir).map((name) => [name, sha256File(join(dir, name))]))
}

describe('dump --consolidate with a small --sort-memory', () => {
  let storeDir: TempDir
  let spillDir: TempDir
  let store: string
  let inMemory: string

  before(async () => {
    storeDir = makeTempDir('catalog-debug-spill-store-')
    spillDir = makeTempDir('catalog-debug-spill-tmp-')
    store = join(storeDir.dir, 'demo.db')
    const imported = await spawnCli(['--store', store, 'import', DEMO])
    assert.equal(imported.code, 0, imported.stderr)
    const r = await spawnCli(['--store', store, 'dump', '--consolidate', '-o', 'ndjson'], { env: { TMPDIR: spillDir.dir } })
    assert.equal(r.code, 0, r.stderr)
    inMemory = r.stdout
  })
  after(() => {
    storeDir.cleanup()
    spillDir.cleanup()
  })

  test('spills, prints the same bytes, leaves no temporary file and changes nothing beside the store', async () => {
    const beforeDir = snapshotDir(storeDir.dir)
    const r = await spawnCli(['--store', store, 'dump', '--consolidate', '-o', 'ndjson', '--sort-memory', '4K'], {
      env: { TMPDIR: spillDir.dir },
    })
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stdout, inMemory)
    assert.ok(inMemory.split('\n').length > 150)
    assert.deepEqual(readdirSync(spillDir.dir), [])
    assert.deepEqual(snapshotDir(storeDir.dir), beforeDir)
  })

  test('it does spill: without a usable TMPDIR the small sort fails in one line (exit 1), the default one needs none', async () => {
    const notADir = join(spillDir.dir, 'file')
    writeFileSync(notADir, '')
    const small = await spawnCli(['--store', store, 'dump', '-c', '-o', 'ndjson'], {
      env: { TMPDIR: notADir, CATALOG_DEBUG_SORT_MEMORY: '4K' },
    })
    assert.equal(small.code, 1, small.stderr)
    assert.match(small.stderr, /^catalog-debug: error: cannot create a temporary file to sort in .*file: ENOTDIR\n/)
    const fits = await spawnCli(['--store', store, 'dump', '-c', '-o', 'ndjson'], { env: { TMPDIR: notADir } })
    assert.equal(fits.code, 0, fits.stderr)
    assert.equal(fits.stdout, inMemory)
  })

  test('a --sort-memory that is not a size is a usage error (exit 2)', async () => {
    const r = await spawnCli(['--store', store, 'dump', '-c', '--sort-memory', '12X'])
    assert.equal(r.code, 2)
    assert.match(r.stderr, /invalid --sort-memory "12X"/)
  })
})
