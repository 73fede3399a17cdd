/**
 * Import speed (issue 13): a fixture line laid out as a writer writes it, whose row is canonical and
 * decodes exactly, is taken without parsing. Reading with that shortcut must give exactly what the
 * full reading gives: the same updates, and the same error for every line it refuses.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseHeader, parseWrittenUpdate } from '../../src/catalog/fixture/format.js'
import { openFixture } from '../../src/catalog/fixture/reader.js'
import { rowValidatorFor } from '../../src/catalog/fixture/row-validator.js'
import { repoRoot } from '../helpers/fixture-testing.js'

const DEMO_LINES = readFileSync(join(repoRoot(), 'fixtures', 'demo-v47.ndjson'), 'utf8')
  .trimEnd()
  .split('\n')
const HEADER = DEMO_LINES[0] as string
const SETTING = '{"key":{"name":"s"},"kind":"Setting","value":{"value":"v"}}'

/** Lines near the written layout that the shortcut must leave to the full reading (or read alike). */
const ODD_LINES = [
  `{"ts":3,"diff":1,"data":${SETTING}}`,
  `{"ts":3,"diff":-1,"data":${SETTING}}`,
  `{"ts":3,"diff":0,"data":${SETTING}}`,
  `{"ts":03,"diff":1,"data":${SETTING}}`,
  `{"ts":99999999,"diff":1,"data":${SETTING}}`,
  `{"ts":3,"diff":9223372036854775808,"data":${SETTING}}`,
  `{"ts":3,"diff":-9223372036854775808,"data":${SETTING}}`,
  `{"ts":18446744073709551616,"diff":1,"data":${SETTING}}`,
  `{"diff":1,"ts":3,"data":${SETTING}}`,
  `{"ts":3, "diff":1,"data":${SETTING}}`,
  `{"ts":3,"diff":1,"data":${SETTING},"extra":1}`,
  `{"ts":3,"diff":1,"data":${SETTING}}}`,
  `{"ts":3,"diff":1,"data":{"key": {"name":"s"},"kind":"Setting","value":{"value":"v"}}}`,
  `{"ts":3,"diff":1,"data":{"kind":"Setting","key":{"name":"s"},"value":{"value":"v"}}}`,
  `{"ts":3,"diff":1,"data":{"key":{"name":"s"},"kind":"Setting","value":{"value":"v","bogus":1}}}`,
  `{"ts":3,"diff":1,"data":{"key":{"name":"s"},"kind":"Setting","value":{"value":1}}}`,
  `{"ts":3,"diff":1,"data":{"key":{"name":"\\ud800"},"kind":"Setting","value":{"value":"v"}}}`,
  `{"ts":3,"diff":1,"data":{"key":{"name":"\\u0041"},"kind":"Setting","value":{"value":"v"}}}`,
  `{"ts":3,"diff":1,"data":{"key":{"name":"s"},"kind":"Setting","value":{"value":"v"}},"data":{}}`,
  `{"ts":3,"diff":1,"data":{"key":{"name":"s"},"kind":"Nope","value":{"value":"v"}}}`,
  '{"ts":3,"diff":1,"data":{"epoch":7,"kind":"Epoch"}}',
  '{"ts":3,"diff":1,"data":{"key":{"id":1},"kind":"AuditLog","value":null}}',
  `{"ts":3,"diff":1,"data":{"key":{"name":"s"},"kind":"Setting","value":{"value":"v"}}`,
]

async function readAll(lines: readonly string[], shortcut: boolean): Promise<unknown[]> {
  const header = parseHeader(HEADER, { file: 'f', line: 1 })
  const outcomes: unknown[] = []
  for (const line of lines) {
    const opts = shortcut ? { name: 'f' } : { name: 'f', validate: rowValidatorFor(header.catalogVersion) }
    const { updates } = await openFixture([HEADER, line], opts)
    try {
      for await (const u of updates) outcomes.push(u)
    } catch (err) {
      outcomes.push(`refused: ${(err as Error).message}`)
    }
  }
  return outcomes
}

test('with and without the shortcut, every line reads the same: demo updates and odd lines alike', async () => {
  const lines = [...DEMO_LINES.slice(1), ...ODD_LINES]
  const full = await readAll(lines, false)
  assert.deepEqual(await readAll(lines, true), full)
  assert.ok(full.filter((o) => typeof o === 'string').length >= 10, 'most odd lines are refused')
})

test('every line a writer emitted takes the shortcut; lines a writer never emits do not', () => {
  const header = parseHeader(HEADER, { file: 'f', line: 1 })
  const exact = () => true
  for (const line of DEMO_LINES.slice(1)) {
    if (line.includes('"kind":"Epoch"')) continue
    assert.notEqual(parseWrittenUpdate(line, header, exact), undefined, line)
  }
  for (const line of [ODD_LINES[2], ODD_LINES[3], ODD_LINES[4], ODD_LINES[5], ODD_LINES[8], ODD_LINES[9]] as string[]) {
    assert.equal(parseWrittenUpdate(line, header, exact), undefined, line)
  }
})
