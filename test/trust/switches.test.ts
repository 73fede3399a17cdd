/**
 * Issue 12, items 6 and 8: safety switches only from the command line, and the smaller
 * command-line mistakes each with its documented exit code (never 70).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { makeTempDir } from '../helpers/tmp.js'
import { assertOneLineError, cli, initStore, storeHash } from './trust-kit.js'

test('CATALOG_DEBUG_YES / _FORCE / _DRY_RUN in the environment are refused, naming the variable', async () => {
  const tmp = makeTempDir()
  try {
    const store = tmp.path('s.db')
    await initStore(store)
    const before = storeHash(store)
    for (const variable of ['CATALOG_DEBUG_YES', 'CATALOG_DEBUG_FORCE', 'CATALOG_DEBUG_DRY_RUN']) {
      const r = await cli(['--store', store, 'edit', 'setting', '{"name":"x"}', '{"value":"y"}'], { env: { [variable]: '1' } })
      assertOneLineError(r, 2, new RegExp(variable))
      const e = await cli(['--store', store, 'epoch'], { env: { [variable]: '1' } })
      assertOneLineError(e, 2, new RegExp(variable))
    }
    assert.equal(storeHash(store), before)
  } finally {
    tmp.cleanup()
  }
})

test('an option given twice, a huge --busy-timeout, --store - and diff A - are usage errors (exit 2)', async () => {
  const tmp = makeTempDir()
  try {
    const store = tmp.path('s.db')
    await initStore(store)
    assertOneLineError(await cli(['dump', '--store', store, '--store', store]), 2, /--store/)
    assertOneLineError(await cli(['--store', store, 'dump', '-o', 'json', '-o', 'text']), 2, /--output/)
    assertOneLineError(await cli(['--store', store, '--busy-timeout', '99999999999999999999', 'epoch']), 2, /busy-timeout/)
    assertOneLineError(await cli(['--store', store, '--retry-timeout', '99999999999999999999', 'epoch']), 2, /retry-timeout/)
    const dash = await cli(['--store', '-', 'epoch'])
    assertOneLineError(dash, 2)
    const diff = await cli(['diff', store, '-'])
    assertOneLineError(diff, 2)
    assert.doesNotMatch(diff.stderr, /\u0000/)
  } finally {
    tmp.cleanup()
  }
})
