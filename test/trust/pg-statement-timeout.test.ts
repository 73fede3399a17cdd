/**
 * Issue 12, item 8: a PostgreSQL statement cancelled by the server's `statement_timeout` (57014) is
 * not "a lock was not granted" and is not retried for 30 s: the same statement under the same
 * limit fails the same way. A lock wait past `lock_timeout` (55P03) stays a transient busy error.
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
