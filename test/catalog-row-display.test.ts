/**
 * The fast display path of `dump` (`codec/row-display.ts`) against its definition: for every row
 * and every catalog version, it answers exactly when the row is stored canonically and `decodeRow`
 * decodes it exactly as a row of the collection, and then with `displayJson` of the decoded key and
 * value. Rows from the demo fixtures of every version, hand-written edge cases, and random mutations
 * of both (most of which the full decoder rejects or reads loosely). The check-only scan
 * (`exactRowKeyEnd`, import's) answers for exactly the same rows.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { canonicalJson, displayJson, isJsonObject, parseJson } from '../src/json/lossless-json.js'
import { decodeRow } from '../src/catalog/codec/row-codec.js'
import { exactRowKeyEnd, rowDisplay } from '../src/catalog/codec/row-display.js'
import { COLLECTION_NAMES, type CollectionName } from '../src/catalog/kinds/collections.js'
import { CATALOG_VERSIONS } from '../src/catalog/kinds/versions.js'
import { repoRoot } from './helpers/cli-golden.js'

/** What the fast path must answer: the exact decode's display JSON, or undefined. */
function expected(text: string, collection: CollectionName, version: number): readonly [string, string] | undefined {
  let canonical: boolean
  try {
    canonical = canonicalJson(parseJson(text)) === text
  } catch {
    return undefined
  }
  const r = decodeRow(text, version)
  if (!canonical || !r.ok || !r.row.exact || r.row.kind === 'Epoch' || r.row.collection !== collection) return undefined
  return [displayJson(r.row.key), displayJson(r.row.value)]
}

/**
 * The fast path may leave a row to the full decoder only for a lone surrogate (JSON.stringify
 * escapes it as `\udxxx`; the scanner, like the lookup extractor's, takes no `\u` escape but
 * those of control characters).
 */
const LEFT_TO_THE_DECODER = /\\ud[89a-f]/

function check(text: string, versions: readonly number[] = CATALOG_VERSIONS): number {
  let answered = 0
  for (const version of versions) {
    for (const collection of COLLECTION_NAMES) {
      const got = rowDisplay(collection, version)(text)
      // The check-only scan (import's) answers exactly when the display does, and delimits the key.
      const keyEnd = exactRowKeyEnd(collection, version)(text)
      assert.equal(keyEnd >= 0, got !== undefined, `key end, ${collection} v${version}: ${text}`)
      if (keyEnd >= 0) assert.equal(canonicalJson(parseJson(text.slice('{"key":'.length, keyEnd))), text.slice('{"key":'.length, keyEnd))
      const want = expected(text, collection, version)
      if (got === undefined && want !== undefined && LEFT_TO_THE_DECODER.test(text)) continue
      assert.deepEqual(got, want, `${collection} v${version}: ${text}`)
      if (got !== undefined) answered++
    }
  }
  return answered
}

function fixtureRows(): string[] {
  const rows = new Set<string>()
  for (const v of CATALOG_VERSIONS) {
    const lines = readFileSync(join(repoRoot(), 'fixtures', `demo-v${v}.ndjson`), 'utf8')
      .split('\n')
      .slice(1)
    for (const line of lines) {
      if (line === '') continue
      const doc = parseJson(line)
      if (isJsonObject(doc) && doc.data !== undefined) rows.add(canonicalJson(doc.data))
    }
  }
  return [...rows]
}

const EDGE_CASES = [
  // Integers at and beyond the bounds of their fields.
  '{"key":{"name":"n"},"kind":"IdAlloc","value":{"next_id":18446744073709551615}}',
  '{"key":{"name":"n"},"kind":"IdAlloc","value":{"next_id":18446744073709551616}}',
  '{"key":{"name":"n"},"kind":"IdAlloc","value":{"next_id":99999999999999999999}}',
  '{"key":{"name":"n"},"kind":"IdAlloc","value":{"next_id":0}}',
  '{"key":{"name":"n"},"kind":"IdAlloc","value":{"next_id":-1}}',
  '{"key":{"name":"n"},"kind":"IdAlloc","value":{"next_id":-0}}',
  '{"key":{"name":"n"},"kind":"IdAlloc","value":{"next_id":007}}',
  '{"key":{"name":"n"},"kind":"IdAlloc","value":{"next_id":1.0}}',
  '{"key":{"name":"n"},"kind":"IdAlloc","value":{"next_id":1e3}}',
  '{"key":{"name":"n"},"kind":"IdAlloc","value":{"next_id":"1"}}',
  // Strings: escapes as JSON.stringify writes them, and others.
  '{"key":{"name":"a\\"b\\\\c\\nd\\te\\u001f\\u0000"},"kind":"IdAlloc","value":{"next_id":1}}',
  '{"key":{"name":"a\\/b"},"kind":"IdAlloc","value":{"next_id":1}}',
  '{"key":{"name":"\\u0041"},"kind":"IdAlloc","value":{"next_id":1}}',
  '{"key":{"name":"\\u000a"},"kind":"IdAlloc","value":{"next_id":1}}',
  '{"key":{"name":"\\u001F"},"kind":"IdAlloc","value":{"next_id":1}}',
  '{"key":{"name":"é😀\u2028"},"kind":"IdAlloc","value":{"next_id":1}}',
  '{"key":{"name":"\ud800"},"kind":"IdAlloc","value":{"next_id":1}}',
  '{"key":{"name":"\\ud800"},"kind":"IdAlloc","value":{"next_id":1}}',
  // Shapes: whitespace, order, unknown and missing fields, wrong kinds, extra text.
  '{"key":{"name":"n"}, "kind":"IdAlloc","value":{"next_id":1}}',
  '{"kind":"IdAlloc","key":{"name":"n"},"value":{"next_id":1}}',
  '{"key":{"name":"n"},"kind":"IdAlloc","value":{"extra":1,"next_id":1}}',
  '{"key":{"name":"n"},"kind":"IdAlloc","value":{}}',
  '{"key":{"name":"n"},"kind":"IdAlloc"}',
  '{"key":{"name":"n"},"kind":"IdAlloc","value":{"next_id":1},"x":1}',
  '{"key":{"name":"n"},"kind":"IdAlloc","value":{"next_id":1}} ',
  '{"key":{"name":"n"},"kind":"Setting","value":{"next_id":1}}',
  '{"key":{"name":"n"},"kind":"Nope","value":{"next_id":1}}',
  '{"epoch":5,"kind":"Epoch"}',
  '[1]',
  'not json',
  '',
  // Key-only kinds: no value field; a value (even null) makes the decode inexact.
  '{"key":{"event":{"V1":{"details":{"IdNameV1":{"id":"u1","name":"t"}},"event_type":1,"id":7,"object_type":2,"occurred_at":{"millis":5},"user":null}}},"kind":"AuditLog"}',
  '{"key":{"event":{"V1":{"details":{"IdNameV1":{"id":"u1","name":"t"}},"event_type":1,"id":7,"object_type":2,"occurred_at":{"millis":5},"user":null}}},"kind":"AuditLog","value":null}',
  '{"key":{"usage":{"V1":{"collection_timestamp":5,"id":1,"shard_id":"s","size_bytes":18446744073709551615}}},"kind":"StorageUsage"}',
  '{"key":{"usage":{"V1":{"collection_timestamp":5,"id":1,"shard_id":null,"size_bytes":1}}},"kind":"StorageUsage"}',
  // Oneofs: unknown variant, two variants, an option left out.
  '{"key":{"id":{"value":{"Nope":1}}},"kind":"Role","value":{"attributes":{"inherit":true},"membership":{"map":[]},"name":"r","vars":{"entries":[]}}}',
  '{"key":{"id":{"value":{"System":1,"User":2}}},"kind":"Role","value":{"attributes":{"inherit":true},"membership":{"map":[]},"name":"r","vars":{"entries":[]}}}',
  '{"key":{"id":{"value":{"Public":{}}}},"kind":"Role","value":{"attributes":{"inherit":true},"membership":{"map":[]},"name":"r","vars":{"entries":[]}}}',
  '{"key":{"id":{}},"kind":"Role","value":{"attributes":{"inherit":true},"membership":{"map":[]},"name":"r","vars":{"entries":[]}}}',
  '{"key":{"id":null},"kind":"Role","value":{"attributes":{"inherit":true},"membership":{"map":[]},"name":"r","vars":{"entries":[]}}}',
]

test('fixture rows: the fast display answers exactly for the exact canonical decodes, with their display JSON', () => {
  const rows = fixtureRows()
  assert.ok(rows.length > 200, `${rows.length} rows`)
  let answered = 0
  for (const row of rows) answered += check(row)
  // Most rows decode exactly with most versions: the fast path is not a formality.
  assert.ok(answered > rows.length * 3, `answered ${answered} of ${rows.length} rows × ${CATALOG_VERSIONS.length} versions`)
})

test('edge cases: bounds, escapes, shapes', () => {
  let answered = 0
  for (const row of EDGE_CASES) answered += check(row)
  assert.ok(answered > 0)
  assert.deepEqual(rowDisplay('id_alloc', 47)(EDGE_CASES[0]!), ['{"name":"n"}', '{"next_id":18446744073709551615}'])
  assert.deepEqual(rowDisplay('id_alloc', 47)(EDGE_CASES[1]!), undefined)
})

test('random mutations of canonical rows never get an answer the full decoder would not give', () => {
  let seed = 42
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % n
  }
  const alphabet = [
    '0',
    '1',
    '9',
    '-',
    '.',
    'e',
    '"',
    '\\',
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    ' ',
    'n',
    'null',
    'true',
    'x',
    'é',
    '\u0001',
    '\ud83d',
  ]
  const rows = [...fixtureRows(), ...EDGE_CASES].filter((r) => r.length > 0)
  for (let i = 0; i < 3000; i++) {
    const base = rows[rand(rows.length)]!
    const at = rand(base.length)
    const cut = rand(3)
    const mutated = base.slice(0, at) + (rand(4) === 0 ? '' : alphabet[rand(alphabet.length)]) + base.slice(at + cut)
    check(mutated, [rand(2) === 0 ? 47 : 42 + rand(6)])
  }
})
