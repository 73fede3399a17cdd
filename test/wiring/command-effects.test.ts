/**
 * Issue 12: commands declare what they do to the store, and the declaration binds. Every
 * registered command runs against a real SQLite store (in process, through `main`), so a command
 * that opens a store in a mode its declaration does not allow fails the run (an internal error,
 * exit 70); the read commands leave the store byte-identical. Then the binding itself: a `read`
 * context cannot open `write` or `create`, a `none` context nothing; a store left open is closed
 * by what `main` calls after every handler; and real processes run write commands end to end.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, statSync } from 'node:fs'
import { Readable } from 'node:stream'
import { COMMANDS } from '../../src/cli/commands/index.js'
import { createContext } from '../../src/cli/context.js'
import { main } from '../../src/cli/main.js'
import { Output } from '../../src/cli/output.js'
import { resolveGlobalOptions } from '../../src/cli/options.js'
import { closeOpenStores, withStore } from '../../src/cli/store-access.js'
import { catalogShardIds } from '../../src/catalog/catalog-shards.js'
import { resolveIo } from '../../src/cli/io.js'
import { Capture, instantClock } from '../helpers/cli-run.js'
import { makeTempDir, sha256File } from '../helpers/tmp.js'
import { cli, initStore, ORG } from '../trust/trust-kit.js'

const SETTING = ['setting', '{"name":"greeting"}']

/** One run of `main` in process; `watch` is interrupted as soon as it asks to be. */
async function run(argv: readonly string[], cwd: string): Promise<{ code: number; stderr: string }> {
  const stderr = new Capture()
  const code = await main(argv, {
    stdout: new Capture(),
    stderr,
    stdin: Readable.from([]),
    env: {},
    isTTY: { stdin: false, stdout: false, stderr: false },
    cwd,
    columns: 80,
    retryClock: instantClock(),
    onInterrupt: (listener) => {
      const t = setTimeout(listener, 20)
      return () => clearTimeout(t)
    },
  })
  return { code, stderr: stderr.text }
}

/** Each registered command's sample run: `--store s.db` is prepended unless the command names its stores. */
const READS: Record<string, string[]> = {
  dump: ['dump'],
  get: ['get', 'config', '{"key":"user_version"}'],
  epoch: ['epoch'],
  'upgrade-check': ['upgrade-check'],
  inspect: ['inspect'],
  verify: ['verify'],
  history: ['history', 'config', '{"key":"user_version"}'],
  describe: ['describe', 'cluster', 'quickstart'],
  find: ['find', 'quickstart'],
  graph: ['graph'],
  log: ['log'],
  watch: ['watch'],
  export: ['export', 'out.ndjson'],
  backup: ['backup', 'backup.db'],
  completion: ['completion', 'bash'],
  version: ['version'],
}
const WRITES: Record<string, string[]> = {
  edit: ['edit', ...SETTING, '{"value":"hi"}', '--yes'],
  undo: ['undo', ...SETTING, '--yes'],
  delete: ['delete', 'config', '{"key":"system_config_synced"}', '--yes'],
  upgrade: ['upgrade', '--yes'],
  repair: ['repair', '--yes'],
  restore: ['restore', 'backup.db', '--yes', '--force'],
  init: ['init', '--organization-id', '00000000-0000-4000-8000-0000000000e2'],
  import: ['import', 'out.ndjson', '--organization-id', '00000000-0000-4000-8000-0000000000e3'],
}
/** The `create` commands make stores of their own. */
const NEW_STORES: Record<string, string> = { init: 'new.db', import: 'imported.db' }
/** Commands that name their stores themselves. */
const OWN_STORES: Record<string, string[]> = {
  diff: ['diff', 's.db', 'out.ndjson'],
  copy: ['copy', '--from', 's.db', '--to', 'copy.db'],
}

test('every registered command opens only what its declaration allows; read commands change nothing', async () => {
  const sampled = [...Object.keys(READS), ...Object.keys(WRITES), ...Object.keys(OWN_STORES)].sort()
  assert.deepEqual(sampled, COMMANDS.map((c) => c.name).sort(), 'a registered command without a sample run here')
  const tmp = makeTempDir()
  try {
    const store = tmp.path('s.db')
    await initStore(store)
    // The store file and its WAL's contents (a read-only open by the owner may leave an empty WAL
    // and its index beside a WAL database: SQLite needs them to read one).
    const contents = () => `${sha256File(store)} ${existsSync(`${store}-wal`) ? statSync(`${store}-wal`).size : 0}`
    const before = contents()
    for (const [name, args] of Object.entries(READS)) {
      const def = COMMANDS.find((c) => c.name === name)
      assert.ok(def?.effect === 'read' || def?.effect === 'none', `${name} is declared ${def?.effect}`)
      const r = await run(def.needsStore ? ['--store', 's.db', ...args] : args, tmp.dir)
      assert.equal(r.code, 0, `${name}: ${r.stderr}`)
    }
    assert.equal(contents(), before, 'a read command changed the store')
    for (const [name, args] of Object.entries({ ...WRITES, ...OWN_STORES })) {
      const def = COMMANDS.find((c) => c.name === name)
      const r = await run(def?.needsStore === true ? ['--store', NEW_STORES[name] ?? 's.db', ...args] : args, tmp.dir)
      assert.ok(r.code === 0 || (name === 'diff' && r.code === 1), `${name} (${def?.effect}): exit ${r.code}: ${r.stderr}`)
    }
  } finally {
    tmp.cleanup()
  }
})

test('the declared effect binds: a read command cannot open a store to write, a none command cannot open one at all', async () => {
  const tmp = makeTempDir()
  try {
    const store = tmp.path('s.db')
    await initStore(store)
    const io = resolveIo({ env: {}, cwd: tmp.dir, stdout: new Capture(), stderr: new Capture() })
    const options = resolveGlobalOptions({ store })
    for (const [effect, mode] of [
      ['read', 'write'],
      ['read', 'create'],
      ['none', 'read'],
      ['write', 'create'],
    ] as const) {
      const ctx = createContext(io, new Output(io), options, effect)
      await assert.rejects(
        withStore(ctx, mode, async () => assert.fail('opened')),
        (err: Error) => err.constructor === Error && /declared "\w+" opened a store in \w+ mode/.test(err.message),
        `${effect} opening ${mode}`,
      )
    }
    const ctx = createContext(io, new Output(io), options, 'write')
    assert.equal(await withStore(ctx, 'write', async () => 'opened'), 'opened')
    assert.equal(ctx.openStores.size, 0)
    // A store whose callback has not ended when the handler returns: `main` closes it.
    const left = createContext(io, new Output(io), options, 'read')
    let release: (() => void) | undefined
    const pending = withStore(left, 'read', async (s) => {
      await new Promise<void>((resolve) => {
        release = resolve
      })
      return s.fetchRecentUpper(catalogShardIds(ORG).catalog)
    })
    while (release === undefined) await new Promise((r) => setTimeout(r, 5))
    assert.equal(left.openStores.size, 1)
    await closeOpenStores(left)
    assert.equal(left.openStores.size, 0)
    release()
    await assert.rejects(pending, /closed/)
    // Through real processes: a write command end to end (exit 70 if its declaration were `read`).
    for (const args of [
      ['edit', ...SETTING, '{"value":"hi"}', '--yes'],
      ['undo', ...SETTING, '--yes'],
    ]) {
      const r = await cli(['--store', store, '--organization-id', ORG, ...args])
      assert.equal(r.code, 0, r.stderr)
    }
  } finally {
    tmp.cleanup()
  }
})
