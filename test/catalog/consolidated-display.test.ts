/**
 * `dump --consolidate` in less memory (issue 13): the consolidated display trace sorts by short
 * key prefixes and decodes rows again only where prefixes tie; it must give exactly what the
 * whole-collection trace gives, damaged rows included, and the prefixes must order as the
 * schemas' `compare` wherever they differ.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { rowLookup } from '../../src/catalog/codec/row-lookup.js'
import { sortPrefixer, textSortPrefixer } from '../../src/catalog/codec/sort-prefix.js'
import { exactRowKeyEnd } from '../../src/catalog/codec/row-display.js'
import { decodeRow } from '../../src/catalog/codec/row-codec.js'
import { catalogShardDiagnostics, catalogShardIds } from '../../src/catalog/catalog-shards.js'
import { fileLines, readFixture } from '../../src/catalog/fixture/reader.js'
import { COLLECTION_KINDS, COLLECTION_NAMES } from '../../src/catalog/kinds/collections.js'
import { bool, enumeration, i64, message, oneof, option, repeated, required, string, u64, unit } from '../../src/catalog/kinds/schema.js'
import { kindsForVersion } from '../../src/catalog/kinds/schema-sets.js'
import { decodeVersions, displayEntry, traceConsolidated, traceStats } from '../../src/catalog/trace.js'
import { traceDisplayConsolidated } from '../../src/catalog/trace-consolidated.js'
import { canonicalJson, type JsonValue } from '../../src/json/lossless-json.js'
import { openStore } from '../../src/store/open-store.js'
import type { ShardStore } from '../../src/store/shard-store.js'
import { repoRoot } from '../helpers/fixture-testing.js'

const DEMO = join(repoRoot(), 'fixtures', 'demo-v47.ndjson')

/** Rows that do not decode or tie on their key, appended after the demo catalog. */
const ODD_ROWS = [
  '{"key":{"name":"zz_broken"},"kind":"Setting","value":{"bogus":1}}',
  '{"key":{"name":"same_key_with_a_long_shared_prefix_0"},"kind":"Setting","value":{"value":"b"}}',
  '{"key":{"name":"same_key_with_a_long_shared_prefix_0"},"kind":"Setting","value":{"value":"a"}}',
  '{"key":{"name":"same_key_with_a_long_shared_prefix_1"},"kind":"Setting","value":{"value":"a"}}',
  '{"key":{"name":"\u00e9t\u00e9"},"kind":"Setting","value":{"value":"x"}}',
  '{"key":{"name":"a"},"kind":"Setting","value":{"value":"x"}}',
  '{"key": {"name":"spaced"},"kind":"Setting","value":{"value":"1"}}',
  // Loose (an unknown field in the value): its prefix comes from the full decode, the exact rows' from the key alone.
  '{"key":{"name":"b"},"kind":"Setting","value":{"value":"y","zextra":1}}',
  '{"key":{"name":"b"},"kind":"Setting","value":{"value":"x"}}',
]

async function demoStore(): Promise<{ store: ShardStore; shard: string; asOf: bigint }> {
  const { header, updates } = await readFixture(fileLines(DEMO))
  const store = await openStore(':memory:', { create: true, lookup: rowLookup, now: () => 0n })
  const shard = catalogShardIds(header.organizationId).catalog
  await store.openShard(shard, catalogShardDiagnostics(header.organizationId))
  assert.ok((await store.compareAndAppend(shard, [...updates], 0n, header.upper as bigint)).ok)
  const at = header.upper as bigint
  const odd = ODD_ROWS.map((data) => ({ data, ts: at, diff: 1n }))
  assert.ok((await store.compareAndAppend(shard, odd, at, at + 1n)).ok)
  return { store, shard, asOf: at }
}

test('the consolidated display trace equals the whole-collection trace, statistics and all', async () => {
  const { store, shard, asOf } = await demoStore()
  const versions = decodeVersions(47n)
  let rows = 0
  for (const collection of COLLECTION_NAMES) {
    const whole = (await traceConsolidated(store, shard, asOf, collection, versions)).map(displayEntry)
    const display = await traceDisplayConsolidated(store, shard, asOf, collection, versions)
    assert.deepEqual(display.stats, await traceStats(store, shard, asOf, collection, { consolidated: true }), collection)
    const batches = [...display.batches()]
    assert.ok(batches.every((b) => b.length > 0))
    assert.deepEqual(batches.flat(), whole, collection)
    rows += whole.length
  }
  assert.ok(rows > 150, `${rows} rows`)
  await store.close()
})

function assertPrefixOrder(compare: (a: never, b: never) => number, prefix: (v: JsonValue) => string | undefined, values: JsonValue[]) {
  let told = 0
  for (const a of values) {
    for (const b of values) {
      const pa = prefix(a)
      const pb = prefix(b)
      assert.notEqual(pa, undefined, JSON.stringify(String(a)))
      if (pa === pb) continue
      told++
      const byPrefix = (pa as string) < (pb as string) ? -1 : 1
      assert.equal(byPrefix, Math.sign(compare(a as never, b as never)), `${String(pa)} vs ${String(pb)}`)
    }
  }
  assert.ok(told > 0)
}

test('key prefixes order as the schema compares, for every collection of the demo catalog', async () => {
  const { store, shard, asOf } = await demoStore()
  const versions = decodeVersions(47n)
  for (const collection of COLLECTION_NAMES) {
    const schema = kindsForVersion().kind(COLLECTION_KINDS[collection]).key
    const keys = (await traceConsolidated(store, shard, asOf, collection, versions)).flatMap((e) => (e.type === 'row' ? [e.key] : []))
    if (keys.length < 2) continue
    assertPrefixOrder(schema.compare, sortPrefixer(schema), keys.slice(0, 120))
  }
  await store.close()
})

test('prefixes order every schema type: integers, signs, strings by code point, options, arrays, variants', () => {
  const kind = enumeration('Kind', ['Unknown', 'A', 'B', 'C'])
  const schema = message('Key', {
    flag: bool,
    n: i64,
    variant: option(oneof('V', { First: u64, Second: message('S', { s: string }), Third: unit })),
    list: repeated(u64),
    kind: required(kind),
    name: string,
  })
  const values: JsonValue[] = []
  for (const flag of [false, true])
    for (const n of [-(2n ** 63n), -1n, 0n, 1n, 2n ** 63n - 1n])
      for (const variant of [
        null,
        { First: 0n },
        { First: 2n ** 64n - 1n },
        { Second: { s: '' } },
        { Second: { s: 'a\u0000' } },
        { Third: null },
      ])
        for (const list of [[], [1n], [1n, 0n], [2n]]) values.push({ flag, n, variant, list, kind: 1n, name: 'x' } as unknown as JsonValue)
  assertPrefixOrder(schema.compare, sortPrefixer(schema), values)
  const names = ['', 'a', 'a\u0000', 'a\u0000b', 'ab', 'b', '\u00e9', '\uffff', '\u{1f600}', 'Z', 'z'.repeat(40), `${'z'.repeat(40)}a`]
  const strings = message('N', { name: string })
  // Read from the canonical text (fields stored sorted, encoded in declaration order), the same prefixes.
  const fromText = textSortPrefixer(schema)
  for (const v of values) assert.equal(fromText(`[${canonicalJson(v)}`, 1), sortPrefixer(schema)(v), canonicalJson(v))
  const escaped = ['a"b', 'a\\b', 'line\nbreak\ttab', '\u0001\u001f', ...names]
  for (const name of escaped) assert.equal(textSortPrefixer(strings)(canonicalJson({ name }), 0), sortPrefixer(strings)({ name }), name)
  assertPrefixOrder(
    strings.compare,
    sortPrefixer(strings),
    names.map((name) => ({ name })),
  )
  // Long equal beginnings tie (the trace then compares the decoded keys), never mis-order.
  const p = sortPrefixer(strings)
  assert.equal(p({ name: 'z'.repeat(40) }), p({ name: `${'z'.repeat(40)}a` }))
  assert.equal(p({ name: 1n }), undefined, 'a value of another shape has no prefix')
})

test('a key prefix read from the text of an exact row is the decoded key’s, for every row of the demo catalog', async () => {
  const { updates } = await readFixture(fileLines(DEMO))
  let read = 0
  for (const u of updates) {
    const r = decodeRow(u.data, 47)
    if (!r.ok || r.row.collection === undefined) continue
    const schema = kindsForVersion(47).kind(r.row.kind as never).key
    if (exactRowKeyEnd(r.row.collection, 47)(u.data) < 0) continue
    assert.equal(textSortPrefixer(schema)(u.data, '{"key":'.length), sortPrefixer(schema)(r.row.key), u.data)
    read++
  }
  assert.ok(read > 150, `${read} rows`)
})
