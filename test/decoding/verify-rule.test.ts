/**
 * `verify` applies the decoding rule to stored rows: a row Materialize's decoding refuses (a
 * required field null, a duplicate key) or that it would read only by dropping an unknown field
 * is a `decode` error (the Finding shape `repair` builds on); a row that reads only by taking a
 * missing optional field as null is a `decode` warning.
 */

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { verifyRows } from '../../src/catalog/verify/index.js'
import { FRESH_ROWS } from '../helpers/fixture-testing.js'

const ROLE = FRESH_ROWS.find((r) => r.includes('"name":"mz_monitor"')) as string
const SCHEMA = FRESH_ROWS.find((r) => r.includes('"kind":"Schema"') && r.includes('"database_id":null')) as string

/** The decode findings of the fresh catalog with `from` replaced by `to`. */
function decodeFindings(from: string, to: string) {
  assert.ok(FRESH_ROWS.includes(from))
  assert.notEqual(from, to)
  const rows = FRESH_ROWS.map((data) => ({ data: data === from ? to : data, diff: 1n }))
  return verifyRows(rows).findings.filter((f) => f.check === 'decode')
}

test('the fresh catalog has no decode findings', () => {
  assert.deepEqual(
    verifyRows(FRESH_ROWS.map((data) => ({ data, diff: 1n }))).findings.filter((f) => f.check === 'decode'),
    [],
  )
})

test('a required field null (what the old edit wrote) is a decode error naming the path', () => {
  const bad = ROLE.replace('"membership":{"map":[]}', '"membership":null')
  const f = decodeFindings(ROLE, bad)
  assert.equal(f.length, 1)
  assert.equal(f[0]?.severity, 'error')
  assert.match(f[0]?.message ?? '', /value\.membership: expected a RoleMembership object, got null/)
  assert.deepEqual(f[0]?.rows, [bad])
  const nullKey = ROLE.replace(/"key":\{"id":\{"value":\{"System":3\}\}\}/, '"key":{"id":null}')
  assert.match(decodeFindings(ROLE, nullKey)[0]?.message ?? '', /key\.id: expected a RoleId object, got null/)
})

test('an unknown field is a decode error; a duplicate key too', () => {
  const extra = ROLE.replace('"name":"mz_monitor"', '"bogus":1,"name":"mz_monitor"')
  const f = decodeFindings(ROLE, extra)
  assert.equal(f.length, 1)
  assert.equal(f[0]?.severity, 'error')
  assert.match(f[0]?.message ?? '', /Role row has fields catalog v47 does not have \(Materialize would drop them\): value\.bogus/)
  const dup = ROLE.replace('"name":"mz_monitor"', '"name":"x","name":"mz_monitor"')
  const d = decodeFindings(ROLE, dup)
  assert.equal(d[0]?.severity, 'error')
  assert.match(d[0]?.message ?? '', /value\.name: duplicate key "name"/)
})

test('a missing optional field reads as null: a warning (not the canonical bytes), not an error', () => {
  const missing = SCHEMA.replace('"database_id":null,', '')
  const f = decodeFindings(SCHEMA, missing)
  assert.equal(f.length, 1)
  assert.equal(f[0]?.severity, 'warning')
  assert.match(f[0]?.message ?? '', /value\.database_id: missing, read as null/)
})
