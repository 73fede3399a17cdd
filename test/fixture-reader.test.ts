import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  consolidateUpdates,
  encodeHeader,
  encodeUpdate,
  FixtureError,
  fixtureLines,
  linesToText,
  openFixture,
  readFixture,
  textLines,
  type FixtureHeader,
} from '../src/catalog/fixture/index.js'
import { FRESH_ROWS, TEST_ORG } from './helpers/fixture-testing.js'

const HEADER: FixtureHeader = { organizationId: TEST_ORG, since: 2n, upper: 3n, catalogVersion: 47n, consolidated: false }
const HEADER_LINE = encodeHeader(HEADER)

function fixture(...updateLines: string[]): string[] {
  return [HEADER_LINE, ...updateLines]
}

async function readError(lines: string[]): Promise<FixtureError> {
  try {
    await readFixture(lines, { name: 'fixture.ndjson' })
  } catch (err) {
    assert.ok(err instanceof FixtureError, `expected a FixtureError, got ${String(err)}`)
    return err
  }
  assert.fail('the fixture was accepted')
}

test('the header has a fixed field order and round-trips', async () => {
  assert.equal(
    HEADER_LINE,
    `{"format":"catalog-debug-fixture","version":1,"organization_id":"${TEST_ORG}","since":2,"upper":3,"catalog_version":47,"consolidated":false}`,
  )
  const { header, updates } = await readFixture([HEADER_LINE])
  assert.deepEqual(header, HEADER)
  assert.deepEqual(updates, [])
})

test('update lines keep ts, diff, data in that order and data canonical', async () => {
  const line = encodeUpdate({ ts: 2n, diff: -1n, data: '{"epoch":2,"kind":"Epoch"}' })
  assert.equal(line, '{"ts":2,"diff":-1,"data":{"epoch":2,"kind":"Epoch"}}')
  // Readers accept any layout and re-encode data canonically.
  const { updates } = await readFixture(fixture('{ "data": {"kind":"Epoch", "epoch": 2}, "diff": 1, "ts": 1 }'))
  assert.deepEqual(updates, [{ ts: 1n, diff: 1n, data: '{"epoch":2,"kind":"Epoch"}' }])
})

test('u64 and i64 values beyond 2^53 survive exactly', async () => {
  const big = 18446744073709551615n
  const h = encodeHeader({ ...HEADER, upper: big, since: big - 1n })
  const data = `{"key":{"name":"user"},"kind":"IdAlloc","value":{"next_id":${big}}}`
  const { header, updates } = await readFixture([h, `{"ts":${big - 1n},"diff":-9223372036854775808,"data":${data}}`])
  assert.equal(header.upper, big)
  assert.deepEqual(updates, [{ ts: big - 1n, diff: -9223372036854775808n, data }])
})

test('the writer sorts by (ts, data, diff), consolidates and ends with a newline', async () => {
  const a = '{"key":{"key":"a"},"kind":"Config","value":{"value":1}}'
  const b = '{"key":{"key":"b"},"kind":"Config","value":{"value":1}}'
  const updates = consolidateUpdates([
    { ts: 2n, diff: 1n, data: b },
    { ts: 1n, diff: 1n, data: b },
    { ts: 2n, diff: 1n, data: a },
    { ts: 2n, diff: 1n, data: b },
    { ts: 1n, diff: 1n, data: a },
    { ts: 1n, diff: -1n, data: a },
  ])
  const text = await linesToText(fixtureLines(HEADER, updates))
  assert.equal(
    text,
    `${[HEADER_LINE, `{"ts":1,"diff":1,"data":${b}}`, `{"ts":2,"diff":1,"data":${a}}`, `{"ts":2,"diff":2,"data":${b}}`].join('\n')}\n`,
  )
  await assert.rejects(linesToText(fixtureLines(HEADER, [...updates].reverse())), /out of order/)
})

test('errors name the file, the line and the field', async () => {
  const good = `{"ts":2,"diff":1,"data":${FRESH_ROWS[1]}}`
  const cases: [string, string][] = [
    [
      `{"ts":2,"diff":1,"data":{"key":{"id":{"value":{"User":1}}},"kind":"Database","value":{"name":5,"owner_id":{"value":{"System":1}},"privileges":[]}}}`,
      'fixture.ndjson:3: data.value.name: expected a string, got 5',
    ],
    ['{"ts":2,"diff":1,"data":{"key":{"key":"x"},"kind":"Conf","value":{"value":1}}}', 'fixture.ndjson:3: data.kind: unknown kind "Conf"'],
    ['{"ts":2,"diff":1,"data":{"key":{"key":"x"},"kind":"Config"}}', 'fixture.ndjson:3: data.value: missing required field'],
    [
      '{"ts":2,"diff":1,"data":{"key":{"key":"x"},"kind":"Config","value":{"value":-1}}}',
      'fixture.ndjson:3: data.value.value: expected an unsigned 64-bit integer, got -1',
    ],
    [`{"ts":3,"diff":1,"data":${FRESH_ROWS[1]}}`, "fixture.ndjson:3: ts: 3 is not below the header's upper 3"],
    [`{"ts":-1,"diff":1,"data":${FRESH_ROWS[1]}}`, 'fixture.ndjson:3: ts: expected an unsigned 64-bit integer, got -1'],
    [`{"ts":2.0,"diff":1,"data":${FRESH_ROWS[1]}}`, 'fixture.ndjson:3: ts: expected an unsigned 64-bit integer, got 2.0'],
    [`{"ts":2,"diff":0,"data":${FRESH_ROWS[1]}}`, 'fixture.ndjson:3: diff: must not be 0'],
    [`{"ts":2,"data":${FRESH_ROWS[1]}}`, 'fixture.ndjson:3: diff: missing'],
    [`{"ts":2,"diff":1,"data":${FRESH_ROWS[1]},"extra":1}`, 'fixture.ndjson:3: extra: unknown field'],
    ['{"ts":2,"diff":1,"data":[1]}', 'fixture.ndjson:3: data: expected a row object, got an array'],
    ['{"ts":2,"diff":1,"data":{"kind":"Epoch"}}', 'fixture.ndjson:3: data.epoch: missing required field'],
    ['{"ts":2,"diff":1,', 'fixture.ndjson:3: invalid JSON at column'],
    ['', 'fixture.ndjson:3: empty line'],
  ]
  for (const [line, expected] of cases) {
    const err = await readError(fixture(good, line, good))
    assert.ok(
      err.message.startsWith(expected),
      `${JSON.stringify(line)}: got ${JSON.stringify(err.message)}, want it to start with ${JSON.stringify(expected)}`,
    )
    assert.equal(err.line, 3)
    assert.equal(err.code, 'invalid-fixture')
  }
})

test('headers of other formats and versions are refused', async () => {
  const cases: [string, string][] = [
    [
      HEADER_LINE.replace('"version":1', '"version":2'),
      'fixture.ndjson:1: version: unsupported fixture version 2 (this build reads version 1)',
    ],
    [HEADER_LINE.replace('catalog-debug-fixture', 'something-else'), 'fixture.ndjson:1: format: not a catalog-debug fixture'],
    [HEADER_LINE.replace('"since":2', '"since":4'), 'fixture.ndjson:1: since: since 4 must be at most upper − 1 = 2 (upper 3)'],
    // since = upper leaves no readable time (every read would wait for the upper forever).
    [HEADER_LINE.replace('"since":2', '"since":3'), 'fixture.ndjson:1: since: since 3 must be at most upper − 1 = 2 (upper 3)'],
    [
      HEADER_LINE.replace('"since":2', '"since":1').replace('"upper":3', '"upper":0'),
      'fixture.ndjson:1: since: since 1 must be 0 when upper is 0',
    ],
    [HEADER_LINE.replace(',"consolidated":false', ''), 'fixture.ndjson:1: consolidated: missing'],
    [HEADER_LINE.replace('"organization_id":"', '"organization_id":"","x":"'), 'fixture.ndjson:1: x: unknown field'],
    [`{"ts":1,"diff":1,"data":{"epoch":2,"kind":"Epoch"}}`, 'fixture.ndjson:1: format: not a catalog-debug fixture'],
  ]
  for (const [line, expected] of cases) {
    const err = await readError([line])
    assert.ok(err.message.startsWith(expected), `got ${JSON.stringify(err.message)}, want ${JSON.stringify(expected)}`)
  }
  const empty = await readError([])
  assert.match(empty.message, /^fixture\.ndjson:1: empty input/)
})

test('a consolidated fixture has every update at upper − 1', async () => {
  const h = encodeHeader({ ...HEADER, consolidated: true, upper: 5n })
  await readFixture([h, `{"ts":4,"diff":1,"data":${FRESH_ROWS[1]}}`])
  const err = await readError([h, `{"ts":3,"diff":1,"data":${FRESH_ROWS[1]}}`])
  assert.match(err.message, /^fixture\.ndjson:2: ts: a consolidated fixture has every update at upper − 1 = 4, got 3/)
})

test('rows of older catalog versions are accepted in history', async () => {
  const v46Cluster =
    '{"key":{"id":{"value":{"User":1}}},"kind":"Cluster","value":{"config":{"variant":{"Managed":{"availability_zones":[],"disk":false,"idle_arrangement_merge_effort":null,"logging":{"interval":{"nanos":0,"secs":1},"log_logging":false},"replication_factor":1,"size":"1"}}},"name":"quickstart","owner_id":{"value":{"System":1}},"privileges":[]}}'
  const { updates } = await readFixture(fixture(`{"ts":2,"diff":1,"data":${v46Cluster}}`))
  assert.equal(updates.length, 1)
})

test('reading streams: an error surfaces only when its line is reached', async () => {
  const lines = fixture(`{"ts":2,"diff":1,"data":${FRESH_ROWS[1]}}`, 'not json')
  const { updates } = await openFixture(lines, { name: 'f.ndjson' })
  const it = updates[Symbol.asyncIterator]()
  const first = await it.next()
  assert.equal(first.done, false)
  await assert.rejects(it.next(), /^FixtureError: f\.ndjson:3: /)
})

test('textLines drops only the final terminator; CRLF is accepted', async () => {
  assert.deepEqual(textLines('a\nb\n'), ['a', 'b'])
  assert.deepEqual(textLines('a\nb'), ['a', 'b'])
  const { updates } = await readFixture([`${HEADER_LINE}\r\n`, `{"ts":2,"diff":1,"data":${FRESH_ROWS[1]}}\r\n`])
  assert.equal(updates.length, 1)
})
