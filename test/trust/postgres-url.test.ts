/**
 * Issue 12, item 8 (PostgreSQL): an unknown `sslmode` is a usage error (it used to be accepted and
 * ignored), and a statement cancelled by the server's `statement_timeout` (57014) is not "a lock
 * was not granted" retried for 30 s: the same statement under the same limit fails the same way.
 * A lock wait past `lock_timeout` (55P03) stays a transient busy error.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isTransient } from '../../src/errors.js'
import { mapPgError } from '../../src/store/postgres/pg-errors.js'

function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, severity: 'ERROR' })
}

test('57014 (statement_timeout) is a permanent failure; 55P03 (lock_timeout) stays transient', () => {
  const cancelled = mapPgError(pgError('57014', 'canceling statement due to statement timeout'), 'append', 'postgres://h/db')
  assert.equal(isTransient(cancelled), false)
  assert.equal(cancelled.category, 'failure')
  assert.doesNotMatch(cancelled.message, /lock was not granted/)
  const lock = mapPgError(pgError('55P03', 'canceling statement due to lock timeout'), 'append', 'postgres://h/db')
  assert.equal(isTransient(lock), true)
})

test('an unknown sslmode is a usage error naming it; the URL is shown without its password', async () => {
  const { openStore } = await import('../../src/store/open-store.js')
  await assert.rejects(openStore('postgres://u:s3cret@127.0.0.1:1/db?sslmode=bogus'), (err: Error) => {
    assert.match(err.message, /invalid sslmode "bogus"/)
    assert.doesNotMatch(err.message, /s3cret/)
    return (err as { category?: string }).category === 'usage'
  })
})
