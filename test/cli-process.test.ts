/**
 * The command line as a real child process: pipes, stdin `-`, exit codes, colour rules,
 * read-only commands leaving the store byte-identical, and concurrent edits from two processes.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseJson } from '../src/json/lossless-json.js'
import { catalogShardIds } from '../src/catalog/index.js'
import { createFixtureCatalog, FIXTURE_ORG, openFixtureStore, tempDir, type FixtureDir } from './helpers/cli-fixture.js'
import { runCli } from './helpers/cli-run.js'
import { CLI_BIN, spawnCli } from './helpers/cli-process.js'

const ANSI = /\x1b\[/
const DG = '{"key":"deploy_generation"}'

/**
 * The store file's hash, and whether its write-ahead log holds anything. SQLite's housekeeping
 * files may appear on a read-only open (an empty -wal, the -shm index), but no data may change.
 */
function snapshotDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of readdirSync(dir).sort()) {
    const bytes = readFileSync(join(dir, name))
    if (name.endsWith('-shm')) continue
    if (name.endsWith('-wal') && bytes.length === 0) continue
    out[name] = createHash('sha256').update(bytes).digest('hex')
  }
  return out
}

describe('child processes', () => {
  let fx: FixtureDir
  let _n = 0
  async function fresh(): Promise<{ dir: string; store: string }> {
    const sub = tempDir()
    const store = join(sub.dir, 'catalog.db')
    await createFixtureCatalog(store)
    cleanups.push(sub.cleanup)
    _n++
    return { dir: sub.dir, store }
  }
  const cleanups: (() => void)[] = []
  before(async () => {
    fx = tempDir()
    await createFixtureCatalog(fx.store)
  })
  after(() => {
    fx.cleanup()
    for (const c of cleanups) c()
  })

  test('stdout carries only data through a pipe; it matches the in-process output', async () => {
    const r = await spawnCli(['dump', '--store', fx.store, '-o', 'ndjson'])
    assert.equal(r.code, 0)
    assert.equal(r.stderr, '')
    const lines = r.stdout.trimEnd().split('\n')
    assert.ok(lines.length > 40)
    for (const l of lines) parseJson(l)
    const inProcess = await runCli(['dump', '--store', fx.store, '-o', 'ndjson'])
    assert.equal(r.stdout, inProcess.stdout)
  })

  test('exit codes of the real process', async () => {
    assert.equal((await spawnCli(['epoch', '--store', fx.store])).code, 0)
    assert.equal((await spawnCli(['epoch'])).code, 2)
    assert.equal((await spawnCli(['epoch', '--store', join(fx.dir, 'missing.db')])).code, 3)
    const refused = await spawnCli(['edit', '--store', fx.store, 'config', DG, '{"value":1}'])
    assert.equal(refused.code, 4, 'stdin is a pipe: no terminal to ask')
    const env = await spawnCli(['epoch'], { env: { CATALOG_DEBUG_STORE: fx.store } })
    assert.equal(env.code, 0)
    assert.equal(env.stdout, 'Epoch: 2\n')
  })

  test('stdin `-` supplies KEY or VALUE', async () => {
    const { store } = await fresh()
    const r = await spawnCli(['edit', '--store', store, 'config', DG, '-', '--yes'], { input: '{"value": 12}\n' })
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stdout, 'previous value: {"value":0}\n')
    const k = await spawnCli(['delete', '--store', store, 'config', '-', '--yes', '-o', 'json'], { input: DG })
    assert.equal(k.code, 0, k.stderr)
    assert.match(k.stdout, /"deleted": \[\n {4}\{\n {6}"value": 12\n/)
    const both = await spawnCli(['edit', '--store', store, 'config', '-', '-', '--yes'], { input: '{}' })
    assert.equal(both.code, 2)
    assert.match(both.stderr, /only one argument can be read from stdin/)
  })

  test('colour: off through pipes and with NO_COLOR or --no-color; FORCE_COLOR and --color force it', async () => {
    const args = ['edit', '--store', fx.store, 'config', DG, '{"value":1}', '--dry-run']
    const plain = await spawnCli(args)
    assert.equal(plain.code, 0)
    assert.match(plain.stderr, /value: 0 => 1/)
    assert.doesNotMatch(plain.stderr, ANSI)
    const forced = await spawnCli(args, { env: { FORCE_COLOR: '1' } })
    assert.match(forced.stderr, ANSI)
    assert.doesNotMatch(forced.stdout, ANSI, 'data is never coloured when piped')
    assert.doesNotMatch((await spawnCli([...args, '--no-color'], { env: { FORCE_COLOR: '1' } })).stderr, ANSI)
    assert.doesNotMatch((await spawnCli(args, { env: { FORCE_COLOR: '1', TERM: 'dumb' } })).stderr, ANSI)
    assert.doesNotMatch((await spawnCli(args, { env: { NO_COLOR: '1' } })).stderr, ANSI)
    assert.match((await spawnCli([...args, '--color'])).stderr, ANSI)
    const error = await spawnCli(['epoch', '--store', 'nope.db', '--color'], { cwd: fx.dir })
    assert.match(error.stderr, /\x1b\[31merror:\x1b\[39m/)
  })

  test('read-only commands leave the store byte-identical', async () => {
    const { dir, store } = await fresh()
    const before = snapshotDir(dir)
    // Each with the exit code it must give: 4 = refused (no terminal to ask), 3 = key not found.
    const commands: [string[], number][] = [
      [['dump'], 0],
      [['dump', '-c', '-o', 'json'], 0],
      [['epoch'], 0],
      [['inspect'], 0],
      [['upgrade-check'], 0],
      [['edit', 'config', DG, '{"value":1}', '--dry-run'], 0],
      [['edit', 'config', DG, '{"value":1}'], 4],
      [['delete', 'config', DG, '--dry-run'], 0],
      [['delete', 'config', '{"key":"nope"}', '--yes'], 3],
      [['verify'], 0],
      [['history', 'config', DG], 0],
      [['export', '--consolidated'], 0],
      [['diff', store, store], 0],
      [['upgrade', '--dry-run'], 0],
    ]
    for (const [c, expected] of commands) {
      const r = await spawnCli([...c, '--store', store])
      assert.equal(r.code, expected, `${c.join(' ')}: ${r.code} ${r.stderr}`)
      assert.deepEqual(snapshotDir(dir), before, `${c.join(' ')} changed the store`)
    }
  })

  test('concurrent edits of one key from several processes: all apply, none lost, epoch +1 each', async () => {
    const { store } = await fresh()
    const values = [101n, 102n, 103n, 104n]
    const runs = await Promise.all(
      values.map((v) => spawnCli(['edit', '--store', store, 'config', DG, `{"value":${v}}`, '--yes', '-o', 'json'])),
    )
    for (const r of runs) assert.equal(r.code, 0, r.stderr)
    const results = runs.map(
      (r) => parseJson(r.stdout) as { previous: { value: bigint }; value: { value: bigint }; epoch: { from: bigint; to: bigint } },
    )
    // Each write saw the state the previous one left: the epochs chain 2→3→4→5→6 and the
    // previous values chain from the original 0 through every value but the last one written.
    const byEpoch = [...results].sort((a, b) => Number(a.epoch.from - b.epoch.from))
    assert.deepEqual(
      byEpoch.map((r) => [r.epoch.from, r.epoch.to]),
      [
        [2n, 3n],
        [3n, 4n],
        [4n, 5n],
        [5n, 6n],
      ],
    )
    assert.equal(byEpoch[0]?.previous.value, 0n)
    for (let i = 1; i < byEpoch.length; i++) assert.equal(byEpoch[i]?.previous.value, byEpoch[i - 1]?.value.value)
    const epoch = await spawnCli(['epoch', '--store', store])
    assert.equal(epoch.stdout, 'Epoch: 6\n')
    const dump = await spawnCli(['dump', '--store', store, '-c', '-o', 'ndjson', '-i', 'audit_log'])
    const current = dump.stdout
      .split('\n')
      .filter((l) => l.includes('"deploy_generation"'))
      .map((l) => parseJson(l) as { value: { value: bigint } })
    assert.equal(current.length, 1)
    assert.equal(current[0]?.value.value, byEpoch.at(-1)?.value.value)
  })

  test('two processes editing the same key at once: both apply, epoch rises by exactly two', async () => {
    const { store } = await fresh()
    const [a, b] = await Promise.all([
      spawnCli(['edit', '--store', store, 'config', DG, '{"value":7}', '--yes']),
      spawnCli(['edit', '--store', store, 'config', DG, '{"value":8}', '--yes']),
    ])
    assert.equal(a.code, 0, a.stderr)
    assert.equal(b.code, 0, b.stderr)
    const prev = [a.stdout, b.stdout].sort()
    assert.ok(
      (prev[0] === 'previous value: {"value":0}\n' && prev[1] === 'previous value: {"value":7}\n') ||
        (prev[0] === 'previous value: {"value":0}\n' && prev[1] === 'previous value: {"value":8}\n'),
      `one saw the original, the other the first write: ${prev.join(' | ')}`,
    )
    assert.equal((await spawnCli(['epoch', '--store', store])).stdout, 'Epoch: 4\n')
  })
})

describe('a reader that goes away', () => {
  test('`dump | head`: the dump stops quietly with exit 0', async () => {
    const fx = tempDir()
    try {
      await createFixtureCatalog(fx.store)
      const store = await openFixtureStore(fx.store)
      const shard = catalogShardIds(FIXTURE_ORG).catalog
      const upper = (await store.fetchRecentUpper(shard)) as bigint
      const rows = Array.from({ length: 5000 }, (_, i) => ({
        data: `{"key":{"name":"setting_${i}"},"kind":"Setting","value":{"value":"${'x'.repeat(100)}"}}`,
        ts: upper,
        diff: 1n,
      }))
      assert.equal((await store.compareAndAppend(shard, rows, upper, upper + 1n)).ok, true)
      await store.close()
      const result = await new Promise<{ code: number | null; stderr: string; got: number }>((resolve, reject) => {
        const child = spawn(process.execPath, [CLI_BIN, 'dump', '--store', fx.store], { env: { PATH: process.env.PATH ?? '' } })
        let stderr = ''
        let got = 0
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
        child.stdout.once('data', (d: Buffer) => {
          got = d.length
          child.stdout.destroy()
        })
        child.on('error', reject)
        child.on('close', (code) => resolve({ code, stderr, got }))
      })
      assert.ok(result.got > 0)
      assert.equal(result.code, 0, result.stderr)
      assert.equal(result.stderr, '')
    } finally {
      fx.cleanup()
    }
  })
})
