/**
 * Issue 12: `sslmode` in a PostgreSQL URL has libpq's meaning and prints no library warning
 * (node-postgres 8 printed ten lines for `require`, `prefer` and `verify-ca`). The server here is
 * unreachable (port 1): the one error line is about that, and nothing else is printed.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { assertOneLineError, cli } from '../trust/trust-kit.js'

test('sslmode=require, prefer or verify-full prints no library warning; verify-ca without a CA is a usage error', async () => {
  for (const mode of ['require', 'prefer', 'verify-full']) {
    const r = await cli(['--retry-timeout', '0', '--store', `postgres://u:pw@127.0.0.1:1/x?sslmode=${mode}`, 'epoch'])
    assertOneLineError(r, 5, /cannot reach the PostgreSQL server/)
    assert.doesNotMatch(r.stderr, /warning/i)
  }
  const ca = await cli(['--retry-timeout', '0', '--store', 'postgres://u:pw@127.0.0.1:1/x?sslmode=verify-ca', 'epoch'])
  assertOneLineError(ca, 2, /sslmode=verify-ca needs the CA to check against: add sslrootcert=FILE/)
})
