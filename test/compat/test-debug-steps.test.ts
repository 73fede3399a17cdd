/**
 * Materialize's `test_debug` (`src/catalog/tests/debug.rs`) step by step through the command line
 * in compat mode, with Materialize's exact outputs; then the flags, variables and refusals of the
 * mode. Real processes on a real SQLite file.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sha256File, makeTempDir, type TempDir } from '../helpers/tmp.js'
import { spawnCli, type ProcessResult } from '../helpers/cli-process.js'
import { humanVersion } from '../../src/store/build-version.js'

const ORG = '00000000-0000-4000-8000-0000000000c0'
const OTHER = '00000000-0000-4000-8000-0000000000c1'
const FATAL = (message: string): string => `catalog-debug: fatal: ${message}\nbacktrace: disabled backtrace\n`

/** The `"setting": [...]` group of a compat dump. */
function settingGroup(dump: string): string {
  const start = dump.indexOf('    "setting": [')
  const end = dump.indexOf('\n    "storage_usage": ')
  assert.ok(start >= 0 && end > start, dump)
  return dump.slice(start, end + 1)
}

function settingEntry(value: string, ts: string, diff: number): string {
  return [
    '         {',
    '            key: SettingKey {',
    '                name: "debug-key",',
    '            },',
    '            value: SettingValue {',
    `                value: "${value}",`,
    '            },',
    `            key_json: '{"name":"debug-key"}',`,
    `            value_json: '{"value":"${value}"}',`,
    `            timestamp: "${ts}",`,
    `            diff: ${diff},`,
    '        },',
  ].join('\n')
}

function assertOk(r: ProcessResult, stdout: string): void {
  assert.equal(r.stderr, '')
  assert.equal(r.code, 0)
  assert.equal(r.stdout, stdout)
}

describe("Materialize's test_debug, through the command line in compat mode", () => {
  let tmp: TempDir
  let db: string
  const compat = (...args: string[]) =>
    spawnCli(['--compat', 'materialize', '--persist-consensus-url', db, '--organization-id', ORG, ...args])
  before(() => {
    tmp = makeTempDir('catalog-debug-compat-steps-')
    db = tmp.path('catalog.db')
  })
  after(() => tmp.cleanup())

  test('step 1: the trace of an empty catalog is uninitialized', async () => {
    const r = await compat('dump')
    assert.equal(r.code, 1)
    assert.equal(r.stdout, '')
    assert.equal(r.stderr, FATAL('uninitialized'))
  })

  test('step 2: the epoch of an empty catalog is uninitialized', async () => {
    const r = await compat('epoch')
    assert.equal(r.code, 1)
    assert.equal(r.stderr, FATAL('uninitialized'))
  })

  test('step 3: opening initialises the catalog', async () => {
    const r = await spawnCli(['--store', db, 'init', '--organization-id', ORG, '--replica-size', '1', '--now', '0'])
    assert.equal(r.code, 0, r.stderr)
  })

  test('step 4: the epoch is 2', async () => {
    assertOk(await compat('epoch'), 'Epoch: 2\n')
  })

  test('step 5: the opened trace holds user_version 47 at timestamp "2", diff 1', async () => {
    const r = await compat('dump', '--ignore-large-collections')
    assert.equal(r.code, 0, r.stderr)
    const userVersion = [
      '            key: ConfigKey {',
      '                key: "user_version",',
      '            },',
      '            value: ConfigValue {',
      '                value: 47,',
      '            },',
      `            key_json: '{"key":"user_version"}',`,
      `            value_json: '{"value":47}',`,
      '            timestamp: "2",',
      '            diff: 1,',
    ].join('\n')
    assert.ok(r.stdout.includes(userVersion), r.stdout)
    assert.doesNotMatch(r.stdout, /^ {4}"(audit_log|storage_usage)": /m)
    assert.ok(r.stdout.includes('\n    "setting": [],\n'))
  })

  test('step 6: reading (the debug open, the trace) does not modify the contents', async () => {
    const before = sha256File(db)
    const first = await compat('dump')
    const second = await compat('dump')
    assert.equal(first.stdout, second.stdout)
    assert.equal(sha256File(db), before)
  })

  test('step 7: edit adds a new value; the previous value is Null', async () => {
    assertOk(await compat('edit', 'setting', '{"name":"debug-key"}', '{"value":"initial"}'), 'previous value: Null\n')
    const dump = await compat('dump')
    assert.equal(settingGroup(dump.stdout), `    "setting": [\n${settingEntry('initial', '3', 1)}\n    ],\n`)
  })

  test('step 8: edit replaces the value; the previous value is printed as serde_json prints it', async () => {
    assertOk(
      await compat('edit', 'setting', '{"name":"debug-key"}', '{"value":"final"}'),
      'previous value: Object {"value": String("initial")}\n',
    )
    // Unconsolidated, every update at the read point: the new value, and the old one's insert and retraction.
    const dump = await compat('dump')
    const entries = [settingEntry('final', '4', 1), settingEntry('initial', '4', -1), settingEntry('initial', '4', 1)]
    assert.equal(settingGroup(dump.stdout), `    "setting": [\n${entries.join('\n')}\n    ],\n`)
  })

  test('step 9: delete is silent and leaves no setting', async () => {
    assertOk(await compat('delete', 'setting', '{"name":"debug-key"}'), '')
    const group = settingGroup((await compat('dump')).stdout)
    const sums = new Map<string, number>()
    for (const m of group.matchAll(/value_json: '(.*)',\n {12}timestamp: "5",\n {12}diff: (-?1),/g)) {
      sums.set(m[1] as string, (sums.get(m[1] as string) ?? 0) + Number(m[2]))
    }
    assert.deepEqual([...sums.values()], [0, 0], group)
    // Unlike the v47-era tool, and like Materialize after PR 26138, each write bumped the epoch.
    assertOk(await compat('epoch'), 'Epoch: 5\n')
  })
})

describe('compat mode: flags, variables and refusals', () => {
  let tmp: TempDir
  let db: string
  before(async () => {
    tmp = makeTempDir('catalog-debug-compat-flags-')
    db = tmp.path('catalog.db')
    assert.equal((await spawnCli(['--store', db, 'init', '--organization-id', ORG])).code, 0)
  })
  after(() => tmp.cleanup())

  test("Materialize's variables, --store persist and an ignored --persist-blob-url", async () => {
    const env = {
      CATALOG_DEBUG_COMPAT: 'materialize',
      MZ_CATALOG_DEBUG_PERSIST_CONSENSUS_URL: `file://${db}`,
      MZ_CATALOG_DEBUG_PERSIST_BLOB_URL: 's3://bucket/blob',
      MZ_CATALOG_DEBUG_ORG_ID: ORG,
    }
    assertOk(await spawnCli(['--store', 'persist', 'epoch'], { env }), 'Epoch: 2\n')
    const r = await spawnCli(['epoch'], { env: { ...env, MZ_CATALOG_DEBUG_ORG_ID: OTHER } })
    assert.equal(r.stderr, FATAL('uninitialized'), 'another organization has no catalog here')
  })

  test('--store stash is refused in one line; --version is clap-shaped', async () => {
    const r = await spawnCli(['--compat', 'materialize', '--store', 'stash', '--postgres-url', 'postgres://x', 'epoch'])
    assert.equal(r.code, 1)
    assert.match(r.stderr, /^catalog-debug: fatal: the stash catalog is not supported: [^\n]*\nbacktrace: disabled backtrace\n$/)
    assertOk(await spawnCli(['--compat=materialize', '--version']), `catalog ${humanVersion()}\n`)
  })

  test("an unknown collection gets serde's message; bad JSON is a usage error (exit 2)", async () => {
    const env = { CATALOG_DEBUG_COMPAT: 'materialize' }
    const unknown = await spawnCli(['--persist-consensus-url', db, 'delete', 'settings', '{"name":"x"}'], { env })
    assert.equal(unknown.code, 1)
    assert.match(
      unknown.stderr,
      /^catalog-debug: fatal: unknown variant `settings`, expected one of `audit_log`, `compute_instance`, .*`timestamp`\n/,
    )
    const bad = await spawnCli(['--persist-consensus-url', db, 'edit', 'setting', '{"name":', '{}'], { env })
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /^error: invalid value '\{"name":' for '<KEY>': /)
    const badOrg = await spawnCli(['--persist-consensus-url', db, '--organization-id', 'not-a-uuid', 'epoch'], { env })
    assert.equal(badOrg.code, 2)
    assert.match(badOrg.stderr, /^error: invalid value 'not-a-uuid' for '--organization-id <ORGANIZATION_ID>'/)
  })

  test('a value Materialize could not decode is refused and nothing is written', async () => {
    const before = sha256File(db)
    const r = await spawnCli(['--compat', 'materialize', '--persist-consensus-url', db, 'edit', 'setting', '{"name":"x"}', '{"valu":"y"}'])
    assert.equal(r.code, 1)
    assert.match(r.stderr, /^catalog-debug: fatal: .*value/)
    assert.equal(r.stdout, '')
    assert.equal(sha256File(db), before)
  })

  test('upgrade-check prints the line; an unknown mode is refused', async () => {
    const r = await spawnCli(['--compat', 'materialize', '--persist-consensus-url', db, 'upgrade-check', '{"1":{"workers":1}}'])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /^catalog upgrade from new to v\S+ \([0-9a-f]{9}\) would succeed in about \d+ ms\n$/)
    const other = await spawnCli(['--compat', 'materialize', '--persist-consensus-url', db, '--organization-id', OTHER, 'upgrade-check'])
    assert.equal(other.code, 1)
    assert.equal(other.stderr, FATAL('catalog tables do not exist; will not create in Savepoint mode'))
    const unknown = await spawnCli(['--compat', 'stash', 'epoch'])
    assert.equal(unknown.code, 2)
    // --compat none: the usual mode (and its commands) in a script that sets the variable.
    const usual = await spawnCli(['--store', db, '--compat', 'none', 'verify'], { env: { CATALOG_DEBUG_COMPAT: 'materialize' } })
    assert.equal(usual.code, 0, usual.stderr)
    assert.match(usual.stdout, /ok: no findings/)
  })
})
