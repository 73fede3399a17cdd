/**
 * Issue 12, item 2: the TARGET rules, for every command that writes a file (`export`, `dump`,
 * `epoch`, `upgrade` with a fixture store, `backup`): never the store or one of its sidecar files,
 * never a URL, an existing file only with `--force`, and always written whole (temp + rename).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { makeTempDir } from '../helpers/tmp.js'
import { assertOneLineError, cli, initStore, storeHash } from './trust-kit.js'

const TARGET_COMMANDS: readonly (readonly string[])[] = [['export'], ['dump'], ['epoch'], ['backup']]

test('no command writes its TARGET over the store, its sidecars or a URL; an existing file needs --force', async () => {
  const tmp = makeTempDir()
  try {
    const store = tmp.path('s.db')
    await initStore(store)
    writeFileSync(`${store}-wal`, '')
    const before = storeHash(store)
    const existing = tmp.path('existing.txt')
    mkdirSync(tmp.path('dir'))
    for (const cmd of TARGET_COMMANDS) {
      // The store itself (even with --force, even spelled ./s.db) and its sidecar files.
      for (const [target, force] of [
        [store, ['--force']],
        [tmp.path('./s.db'), []],
        [`${store}-wal`, ['--force']],
        [`${store}-shm`, []],
      ] as const) {
        const r = await cli(['--store', store, ...cmd, target, ...force])
        assertOneLineError(r, 4, /store/)
        assert.equal(storeHash(store), before, `${cmd.join(' ')} ${target} changed the store`)
      }
      const url = await cli(['--store', store, ...cmd, 'postgres://u:hunter2@localhost/db'])
      assertOneLineError(url, 2)
      assert.doesNotMatch(url.stderr, /hunter2/)
      writeFileSync(existing, 'keep me\n')
      const noForce = await cli(['--store', store, ...cmd, existing])
      assertOneLineError(noForce, 4, /exists/)
      assert.equal(readFileSync(existing, 'utf8'), 'keep me\n')
      const forced = await cli(['--store', store, ...cmd, existing, '--force'])
      assert.equal(forced.code, 0, forced.stderr)
      assert.notEqual(readFileSync(existing, 'utf8'), 'keep me\n')
      const dir = await cli(['--store', store, ...cmd, tmp.path('dir'), '--force'])
      assertOneLineError(dir, 4)
      assert.equal(storeHash(store), before)
    }
  } finally {
    tmp.cleanup()
  }
})

test('upgrade of a fixture never writes over its own fixture, and needs --force for an existing TARGET', async () => {
  const tmp = makeTempDir()
  try {
    const store = tmp.path('s.db')
    await initStore(store)
    const fixture = tmp.path('f.ndjson')
    assert.equal((await cli(['--store', store, 'export', fixture])).code, 0)
    const original = readFileSync(fixture, 'utf8')
    assertOneLineError(await cli(['--store', fixture, 'upgrade', fixture, '--force']), 4)
    const other = tmp.path('other.ndjson')
    writeFileSync(other, 'x\n')
    assertOneLineError(await cli(['--store', fixture, 'upgrade', other]), 4, /exists/)
    assert.equal(readFileSync(other, 'utf8'), 'x\n')
    assert.equal(readFileSync(fixture, 'utf8'), original)
  } finally {
    tmp.cleanup()
  }
})
