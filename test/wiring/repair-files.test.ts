/**
 * Issue 12: `repair --plan-out` and `--patch-out` write their files as every TARGET is written
 * (src/cli/sink.ts): under a private temporary name in the same directory, put in place whole,
 * owner-only (0600); an existing file is replaced only with `--force`. Real processes.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { listDir, makeTempDir } from '../helpers/tmp.js'
import { assertOneLineError, cli, initStore } from '../trust/trust-kit.js'

test('repair --plan-out and --patch-out write owner-only files whole, and replace one only with --force', async () => {
  const tmp = makeTempDir()
  try {
    const store = tmp.path('s.db')
    await initStore(store)
    const plan = tmp.path('plan.json')
    const patch = tmp.path('patch.ndjson')
    const r = await cli(['--store', store, 'repair', '--plan-out', plan, '--patch-out', patch])
    assert.equal(r.code, 0, r.stderr)
    for (const file of [plan, patch]) assert.equal(statSync(file).mode & 0o777, 0o600, file)
    assert.ok(JSON.parse(readFileSync(plan, 'utf8')))

    writeFileSync(plan, 'keep me')
    assertOneLineError(await cli(['--store', store, 'repair', '--plan-out', plan]), 4, /exists/)
    assert.equal(readFileSync(plan, 'utf8'), 'keep me')
    const forced = await cli(['--store', store, 'repair', '--plan-out', plan, '--force'])
    assert.equal(forced.code, 0, forced.stderr)
    assert.notEqual(readFileSync(plan, 'utf8'), 'keep me')
    assert.equal(statSync(plan).mode & 0o777, 0o600)
    // A TARGET of any other command is written the same way.
    const exported = tmp.path('export.ndjson')
    assert.equal((await cli(['--store', store, 'export', exported])).code, 0)
    assert.equal(statSync(exported).mode & 0o777, 0o600)
    assert.deepEqual(
      listDir(tmp.dir).filter((n) => n.includes('.tmp')),
      [],
      'a temporary file was left behind',
    )
  } finally {
    tmp.cleanup()
  }
})
