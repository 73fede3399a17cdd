/**
 * `upgrade-check`'s line as Materialize's tool builds it (`src/catalog-debug/src/main.rs`):
 * `catalog upgrade from {last_seen_version} to {BUILD_INFO.human_version()} would succeed in about
 * {ms} ms`, with and without the `catalog_content_version` setting; `--version` shows the same
 * human version; `scripts/build-info.mjs` embeds the commit. Real processes throughout.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { repositoryRoot } from '../../scripts/make-fixtures.js'
import { humanVersion } from '../../src/store/build-version.js'
import { spawnCli } from '../helpers/cli-process.js'
import { makeTempDir, type TempDir } from '../helpers/tmp.js'

const ORG = '00000000-0000-4000-8000-00000000000e'
const literal = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

describe('upgrade-check line and build version', () => {
  let tmp: TempDir
  before(() => {
    tmp = makeTempDir('catalog-debug-upgrade-line-')
  })
  after(() => tmp.cleanup())

  test('a catalog without catalog_content_version: from new', async () => {
    const db = tmp.path('new.db')
    assert.equal((await spawnCli(['--store', db, 'init', '--organization-id', ORG])).code, 0)
    const r = await spawnCli(['--store', db, 'upgrade-check'])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, new RegExp(`^catalog upgrade from new to ${literal(humanVersion())} would succeed in about \\d+ ms\\n$`))
    assert.match(humanVersion(), /^v0\.91\.0 \([0-9a-f]{9}\)$/)
  })

  test('with catalog_content_version: from its value', async () => {
    const db = tmp.path('seen.db')
    assert.equal((await spawnCli(['--store', db, 'init', '--organization-id', ORG])).code, 0)
    const setting = ['setting', '{"name":"catalog_content_version"}', '{"value":"0.90.2-dev"}']
    assert.equal((await spawnCli(['--store', db, 'edit', ...setting, '--yes'])).code, 0)
    const r = await spawnCli(['--store', db, 'upgrade-check'])
    assert.equal(r.code, 0, r.stderr)
    assert.match(
      r.stdout,
      new RegExp(`^catalog upgrade from 0\\.90\\.2-dev to ${literal(humanVersion())} would succeed in about \\d+ ms\\n$`),
    )
  })

  test('--version prints the human version', async () => {
    const r = await spawnCli(['--version'])
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stdout, `${humanVersion()}\n`)
  })

  test('the build script embeds the checkout commit, an override, or zeros outside git', () => {
    const root = repositoryRoot()
    const script = join(root, 'scripts', 'build-info.mjs')
    const read = (p: string): string => (JSON.parse(readFileSync(p, 'utf8')) as { sha: string }).sha
    const env = { PATH: process.env.PATH ?? '' }
    const own = tmp.path('own.json')
    execFileSync(process.execPath, [script, own], { env })
    let head: string | undefined
    try {
      head = execFileSync('git', ['rev-parse', '--verify', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim()
    } catch {
      head = undefined // not a git checkout: the script must fall back to zeros
    }
    assert.equal(read(own), head ?? '0'.repeat(40))

    const given = 'abcdef0123456789abcdef0123456789abcdef01'
    const overridden = tmp.path('given.json')
    execFileSync(process.execPath, [script, overridden], { env: { ...env, CATALOG_DEBUG_BUILD_SHA: given } })
    assert.equal(read(overridden), given)

    // A copy of the package outside any git checkout knows no commit.
    const elsewhere = join(tmp.dir, 'pkg')
    mkdirSync(join(elsewhere, 'scripts'), { recursive: true })
    copyFileSync(script, join(elsewhere, 'scripts', 'build-info.mjs'))
    execFileSync(process.execPath, [join(elsewhere, 'scripts', 'build-info.mjs')], { env, cwd: elsewhere })
    assert.equal(read(join(elsewhere, 'build-info.json')), '0'.repeat(40))
  })
})
