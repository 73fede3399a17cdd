/**
 * Issue 12: a run in the Materialize-compatible mode goes through `main`'s wiring like any other:
 * passwords on the command line or in the environment are never printed, safety switches set in
 * the environment are refused, and a special file is one fatal line at once. The output keeps
 * Materialize's shape (`catalog-debug: fatal: …` + `backtrace: …`, exit 1; clap's usage errors,
 * exit 2). Real processes on a real SQLite file.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { makeTempDir } from '../helpers/tmp.js'
import type { ProcessResult } from '../helpers/cli-process.js'
import { cli, initStore, ORG, storeHash } from '../trust/trust-kit.js'

const SECRET = 'wiring-s3cr3t'
const URL = `postgres://someone:${SECRET}@127.0.0.1:1/catalog`

/** Asserts Materialize's fatal shape: exactly the fatal line and the backtrace line, exit 1. */
function assertFatal(r: ProcessResult, pattern: RegExp): void {
  assert.equal(r.code, 1, r.stderr)
  const lines = r.stderr.split('\n')
  assert.equal(lines.length, 3, r.stderr)
  assert.match(lines[0] as string, /^catalog-debug: fatal: /)
  assert.match(lines[0] as string, pattern)
  assert.equal(lines[1], 'backtrace: disabled backtrace')
  assert.equal(r.stdout, '')
}

test('compat runs never print a password, from the command line or the environment', async () => {
  const tmp = makeTempDir()
  try {
    const store = tmp.path('s.db')
    await initStore(store)
    const compat = ['--compat', 'materialize']
    const runs: { args: string[]; env?: Record<string, string> }[] = [
      // Arguments the parser quotes back in its usage errors.
      { args: [...compat, '--persist-consensus-url', store, 'epoch', tmp.path('e.txt'), URL] },
      { args: [...compat, '--persist-consensus-url', store, '--organization-id', URL, 'epoch'] },
      { args: [...compat, '--persist-consensus-url', store, 'dump', '-i', URL] },
      // The store itself, failing at once (a bad sslmode) with the password as a parameter.
      { args: [...compat, '--persist-consensus-url', `postgres://u@127.0.0.1:1/x?password=${SECRET}&sslmode=bogus`, 'epoch'] },
      // Materialize's variables.
      { args: [...compat, '--persist-consensus-url', store, 'epoch'], env: { MZ_CATALOG_DEBUG_ORG_ID: URL } },
    ]
    for (const { args, env } of runs) {
      const r = await cli(args, env === undefined ? {} : { env })
      assert.notEqual(r.code, 0, `${args.join(' ')}: ${r.stderr}`)
      assert.ok(!(r.stdout + r.stderr).includes(SECRET), `${args.join(' ')}: ${r.stderr}`)
      assert.match(r.stderr, /^(catalog-debug: fatal: |error: )/)
    }
  } finally {
    tmp.cleanup()
  }
})

test('compat runs refuse safety switches from the environment and special files, in Materialize-shaped lines', async () => {
  const tmp = makeTempDir()
  try {
    const store = tmp.path('s.db')
    await initStore(store)
    const before = storeHash(store)
    const edit = ['--compat', 'materialize', '--persist-consensus-url', store, 'edit', 'setting', '{"name":"k"}', '{"value":"v"}']
    const refused = await cli(edit, { env: { CATALOG_DEBUG_YES: '1' } })
    assertFatal(refused, /CATALOG_DEBUG_YES is set in the environment/)
    assert.equal(storeHash(store), before)

    const fifo = tmp.path('fifo.db')
    execFileSync('mkfifo', [fifo])
    for (const args of [
      ['--persist-consensus-url', fifo, '--organization-id', ORG, 'epoch'],
      ['--persist-consensus-url', store, 'dump', fifo],
      ['--persist-consensus-url', store, 'epoch', store],
    ]) {
      const r = await cli(['--compat', 'materialize', ...args])
      assertFatal(r, /not a regular file|is the store itself/)
    }
    assert.equal(storeHash(store), before)
    // The mode still works as Materialize's does.
    const ok = await cli(['--compat', 'materialize', '--persist-consensus-url', store, 'epoch'])
    assert.equal(ok.code, 0, ok.stderr)
    assert.match(ok.stdout, /^Epoch: \d+\n$/)
  } finally {
    tmp.cleanup()
  }
})
