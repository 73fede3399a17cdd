/**
 * A JSON document written piece by piece (`graph -o json` of a large catalog) is byte for byte the
 * document `jsonDocument` writes whole: empty arrays, one field, nested values, strings that need
 * escaping, exact integers.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { JsonValue } from '../../src/json/lossless-json.js'
import { jsonArraysDocument, jsonDocument } from '../../src/render/json-text.js'

const cases: [string, JsonValue[]][][] = [
  [],
  [['nodes', []]],
  [
    ['nodes', []],
    ['edges', []],
  ],
  [['only', [1n]]],
  [
    [
      'nodes',
      [{ key: 'item:u1', name: 'a "quoted"\nname', tags: [], deep: { list: [1n, { x: null }], empty: {} } }, 'text', 18446744073709551615n],
    ],
    ['edges', []],
  ],
  [
    ['nodes', [{ a: 1n }, { b: [true, false] }]],
    ['edges', [{ from: 'a', to: 'b', kind: 'uses' }]],
    ['more', [[], [[]], 'x']],
  ],
]

test('jsonArraysDocument writes what jsonDocument writes for the same object', () => {
  for (const fields of cases) {
    const whole = jsonDocument(Object.fromEntries(fields), 'json')
    assert.equal([...jsonArraysDocument(fields)].join(''), whole, JSON.stringify(fields.map(([n]) => n)))
  }
})
