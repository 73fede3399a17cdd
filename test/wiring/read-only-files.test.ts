/**
 * Issue 12: a write to a file the user may not write is a failure of the store or the file
 * (exit 1, as docs/exit-codes.md says), not a refusal (exit 4): a store the user may only read
 * (`edit`), a TARGET in a directory the user may not write (`export`). Runs only as root: it
 * creates a second user with `useradd` and runs the command line as that user with `runuser`.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync } from 'node:fs'
import { CLI_BIN, type ProcessResult } from '../helpers/cli-process.js'
import { makeTempDir } from '../helpers/tmp.js'
import { assertOneLineError, initStore, storeHash } from '../trust/trust-kit.js'

const OTHER = 'catdebug_reader'

function asOther(args: readonly string[]): ProcessResult {
  if (spawnSync('id', ['-u', OTHER]).status !== 0) execFileSync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', OTHER])
  const r = spawnSync('runuser', ['-u', OTHER, '--', process.execPath, CLI_BIN, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  })
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr }
}

test('a write to a file the user may not write exits 1', { skip: process.getuid?.() !== 0 && 'needs root' }, async () => {
  const tmp = makeTempDir()
  try {
    chmodSync(tmp.dir, 0o1777)
    const store = tmp.path('s.db')
    await initStore(store)
    chmodSync(store, 0o644)
    const before = storeHash(store)
    const edit = asOther(['--store', store, 'edit', 'setting', '{"name":"g"}', '{"value":"h"}', '--yes'])
    assert.equal(edit.code, 1, edit.stderr)
    assert.match(edit.stderr, /^catalog-debug: error: .*cannot be written/m)
    assert.equal(storeHash(store), before)
    const closed = tmp.path('closed')
    mkdirSync(closed, { mode: 0o755 })
    assertOneLineError(asOther(['--store', store, 'export', `${closed}/out.ndjson`]), 1, /cannot write/)
  } finally {
    tmp.cleanup()
  }
})
