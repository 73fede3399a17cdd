import { test } from 'node:test'
import assert from 'node:assert/strict'
import { canonicalJson, displayJson, isJsonObject, parseJson, type JsonValue } from '../src/json/lossless-json.js'
import {
  decodeRow,
  encodeDecodedRow,
  keyLookup,
  parseUserKey,
  parseUserValue,
  rowLookup,
  sortKeyOrder,
  type DecodedRow,
} from '../src/catalog/codec/row-codec.js'
import { kindsForVersion } from '../src/catalog/kinds/schema-sets.js'
import type { Schema } from '../src/catalog/kinds/schema.js'
import type { CollectionName } from '../src/catalog/kinds/collections.js'
import { FRESH_ROWS } from './helpers/fixture-testing.js'

// Rows as Materialize stores them at v47 (derived from its `src/catalog/tests/snapshots/` and
// `src/catalog/tests/debug.rs`).

/** The 46 rows of a fresh v47 catalog, in write order (shared with the fixture tests). */
const FRESH_CATALOG_ROWS = FRESH_ROWS

/** Rows of other shapes Materialize stores (from the same sources), not already in a fresh catalog. */
const EXAMPLE_ROWS: readonly string[] = [
  '{"key":{"event":{"V1":{"details":{"IdFullNameV1":{"id":"u1","name":{"database":"materialize","item":"t","schema":"public"}}},"event_type":1,"id":12,"object_type":13,"occurred_at":{"millis":1709251200000},"user":{"inner":"alice@example.com"}}}},"kind":"AuditLog"}',
  '{"key":{"object":{"Table":{"value":{"User":1}}},"sub_component":{"ColumnPos":1}},"kind":"Comment","value":{"comment":"order id"}}',
  '{"key":{"object":{"Schema":{"database":{"spec":{"Id":{"value":{"User":1}}}},"schema":{"spec":{"Id":{"value":{"User":3}}}}}},"sub_component":null},"kind":"Comment","value":{"comment":"default schema"}}',
  '{"key":{"gid":{"value":{"User":1}}},"kind":"Item","value":{"definition":{"value":{"V1":{"create_sql":"CREATE TABLE \\"materialize\\".\\"public\\".\\"t\\" (\\"a\\" [s20 AS \\"pg_catalog\\".\\"int4\\"])"}}},"name":"t","owner_id":{"value":{"User":1}},"privileges":[{"acl_mode":{"bitflags":15},"grantee":{"value":{"User":1}},"grantor":{"value":{"User":1}}}],"schema_id":{"value":{"User":3}}}}',
  '{"key":{"id":{"value":{"User":1}}},"kind":"Role","value":{"attributes":{"inherit":true},"membership":{"map":[{"key":{"value":{"System":3}},"value":{"value":{"System":1}}}]},"name":"alice@example.com","vars":{"entries":[{"key":"cluster","val":{"Flat":"quickstart"}},{"key":"search_path","val":{"SqlSet":{"entries":["public","mz_catalog"]}}}]}}}',
  '{"key":{"id":{"value":{"User":1}}},"kind":"Cluster","value":{"config":{"variant":{"Managed":{"availability_zones":[],"disk":false,"idle_arrangement_merge_effort":null,"logging":{"interval":{"nanos":0,"secs":1},"log_logging":false},"optimizer_feature_overrides":[],"replication_factor":1,"size":"1"}}},"name":"quickstart","owner_id":{"value":{"System":1}},"privileges":[]}}',
  '{"key":{"key":"user_version"},"kind":"Config","value":{"value":46}}',
  '{"key":{"id":{"value":{"User":2}}},"kind":"Cluster","value":{"config":{"variant":{"Unmanaged":{}}},"name":"legacy","owner_id":{"value":{"User":1}},"privileges":[]}}',
  '{"key":{"cluster_id":{"value":{"User":1}},"name":"mz_active_peeks_per_worker"},"kind":"ClusterIntrospectionSourceIndex","value":{"index_id":1000}}',
  '{"key":{"name":"catalog_content_version"},"kind":"Setting","value":{"value":"0.91.0-dev"}}',
  '{"key":{"usage":{"V1":{"collection_timestamp":{"millis":1709251200000},"id":42,"shard_id":{"inner":"s1b6c1e3e-4c6a-4ad1-9c5e-2f0b8f1c2d3e"},"size_bytes":1048576}}},"kind":"StorageUsage"}',
  '{"key":{"name":"max_tables"},"kind":"ServerConfiguration","value":{"value":"200"}}',
  '{"key":{"object_name":"mz_tables","object_type":1,"schema_name":"mz_catalog"},"kind":"GidMapping","value":{"fingerprint":"<fingerprint string>","id":1}}',
  '{"key":{"id":"M"},"kind":"Timestamp","value":{"ts":{"internal":1700000000000}}}',
  '{"key":{"id":{"value":{"User":1}}},"kind":"Database","value":{"name":"materialize","owner_id":{"value":{"System":1}},"privileges":[{"acl_mode":{"bitflags":256},"grantee":{"value":{"Public":{}}},"grantor":{"value":{"System":1}}}]}}',
]

/** A v46 managed cluster row (no optimizer_feature_overrides; `src/catalog/src/durable/upgrade/v46_to_v47.rs` adds it). */
const V46_CLUSTER_ROWS: readonly string[] = [
  '{"key":{"id":{"value":{"User":1}}},"kind":"Cluster","value":{"config":{"variant":{"Managed":{"availability_zones":[],"disk":false,"idle_arrangement_merge_effort":null,"logging":{"interval":{"nanos":0,"secs":1},"log_logging":false},"replication_factor":1,"size":"1"}}},"name":"quickstart","owner_id":{"value":{"System":1}},"privileges":[]}}',
]

function decodeExact(text: string, version = 47): DecodedRow {
  const res = decodeRow(text, version)
  if (!res.ok) assert.fail(`${res.reason}\n  in ${text}`)
  assert.equal(res.row.exact, true, res.row.notes.join('; '))
  return res.row
}

/** Asserts every object of a decoded value holds its keys in the schema's declaration order. */
function assertDeclarationOrder(schema: Schema<unknown>, v: JsonValue, path: string): void {
  const s = schema as Schema<unknown> & {
    fields?: [string, Schema<unknown>][]
    variants?: [string, Schema<unknown>][]
    inner?: Schema<unknown>
  }
  if (v === null && s.type === 'option') return
  switch (s.type) {
    case 'option':
      assertDeclarationOrder(s.inner as Schema<unknown>, v, path)
      return
    case 'repeated':
      for (const [i, x] of (v as JsonValue[]).entries()) assertDeclarationOrder(s.inner as Schema<unknown>, x, `${path}[${i}]`)
      return
    case 'message': {
      assert.ok(isJsonObject(v))
      assert.deepEqual(
        Object.keys(v),
        s.fields?.map(([k]) => k),
        path,
      )
      for (const [k, f] of s.fields ?? []) assertDeclarationOrder(f, v[k] as JsonValue, `${path}.${k}`)
      return
    }
    case 'oneof': {
      assert.ok(isJsonObject(v))
      const [tag] = Object.keys(v)
      const variant = s.variants?.find(([t]) => t === tag)
      assert.ok(variant, `${path}: ${String(tag)}`)
      assertDeclarationOrder(variant[1], v[tag as string] as JsonValue, `${path}.${String(tag)}`)
      return
    }
    default:
      return
  }
}

/** The same JSON with every object's keys reversed, pretty-printed: same meaning, other bytes. */
function scramble(text: string): string {
  const rev = (v: JsonValue): JsonValue => {
    if (Array.isArray(v)) return v.map(rev)
    if (!isJsonObject(v)) return v
    const out: { [k: string]: JsonValue } = {}
    for (const k of Object.keys(v).reverse()) out[k] = rev(v[k] as JsonValue)
    return out
  }
  return displayJson(rev(parseJson(text)), 3)
}

const ALL_V47 = [...FRESH_CATALOG_ROWS, ...EXAMPLE_ROWS]

test('every reference row decodes exactly and re-encodes to the same bytes', () => {
  assert.equal(FRESH_CATALOG_ROWS.length, 46)
  for (const text of ALL_V47) {
    const row = decodeExact(text)
    assert.equal(encodeDecodedRow(row), text)
    if (row.kind === 'Epoch') {
      assert.deepEqual([...rowLookup(text)], ['Epoch', null])
      continue
    }
    assert.deepEqual([...rowLookup(text)], [...keyLookup(row.kind, row.key)])
    const k = kindsForVersion().kind(row.kind)
    assertDeclarationOrder(k.key, row.key, 'key')
    assertDeclarationOrder(k.value, row.value, 'value')
  }
  // The checker itself notices stored (sorted) key order.
  const stored = parseJson(FRESH_CATALOG_ROWS.find((t) => t.includes('"kind":"ClusterReplica"')) as string)
  assert.throws(() =>
    assertDeclarationOrder(kindsForVersion().kind('ClusterReplica').value, (stored as { value: JsonValue }).value, 'value'),
  )
})

test('field order and whitespace do not change the encoding', () => {
  for (const text of ALL_V47) {
    const scrambled = scramble(text)
    assert.notEqual(scrambled, text)
    const res = decodeRow(scrambled)
    assert.ok(res.ok && res.row.exact, scrambled)
    assert.equal(encodeDecodedRow(res.row), text)
    assert.deepEqual([...rowLookup(scrambled)], [...rowLookup(text)])
    if (res.row.kind === 'Epoch') continue
    // What an operator pastes from `dump` (declaration order) validates back to the same key/value.
    const c = res.row.collection as CollectionName
    assert.equal(canonicalJson(parseUserKey(c, displayJson(res.row.key))), canonicalJson(res.row.key))
    assert.equal(canonicalJson(parseUserValue(c, displayJson(res.row.value, 2))), canonicalJson(res.row.value))
  }
})

test('the dump shows a Cluster value in declaration order, as Materialize does', () => {
  const row = decodeExact(FRESH_CATALOG_ROWS.find((t) => t.includes('"kind":"Cluster"')) as string)
  assert.equal(
    displayJson(row.value),
    '{"name":"quickstart","owner_id":{"value":{"System":1}},"privileges":[{"grantee":{"value":{"Public":{}}},"grantor":{"value":{"System":1}},"acl_mode":{"bitflags":256}},{"grantee":{"value":{"System":2}},"grantor":{"value":{"System":1}},"acl_mode":{"bitflags":256}},{"grantee":{"value":{"System":1}},"grantor":{"value":{"System":1}},"acl_mode":{"bitflags":768}}],"config":{"variant":{"Managed":{"size":"1","replication_factor":1,"availability_zones":[],"logging":{"log_logging":false,"interval":{"secs":1,"nanos":0}},"idle_arrangement_merge_effort":null,"disk":false,"optimizer_feature_overrides":[]}}}}',
  )
  const replica = decodeExact(FRESH_CATALOG_ROWS.find((t) => t.includes('"kind":"ClusterReplica"')) as string)
  assert.deepEqual(Object.keys((replica.value as { config: object }).config), ['logging', 'idle_arrangement_merge_effort', 'location'])
})

test('a fresh catalog has the documented counts per kind', () => {
  const counts: Record<string, number> = {}
  for (const text of FRESH_CATALOG_ROWS) {
    const row = decodeExact(text)
    counts[row.kind] = (counts[row.kind] ?? 0) + 1
  }
  assert.deepEqual(counts, {
    Epoch: 1,
    Timestamp: 1,
    IdAlloc: 11,
    Role: 5,
    DefaultPrivileges: 4,
    Database: 1,
    Schema: 6,
    Cluster: 1,
    ClusterReplica: 1,
    SystemPrivileges: 1,
    AuditLog: 11,
    Config: 3,
  })
})

test('sortKeyOrder reproduces the dump order of a fresh catalog', () => {
  const byKind = new Map<string, DecodedRow[]>()
  for (const text of FRESH_CATALOG_ROWS) {
    const row = decodeExact(text)
    if (row.kind !== 'Epoch') byKind.set(row.kind, [...(byKind.get(row.kind) ?? []), row])
  }
  const sorted = (kind: 'Role' | 'Schema' | 'DefaultPrivileges' | 'AuditLog' | 'IdAlloc' | 'Config') => {
    const cmp = sortKeyOrder(kind)
    return (byKind.get(kind) ?? []).map((r) => r.key).sort(cmp)
  }
  const id = (k: JsonValue) => canonicalJson((k as { id: JsonValue }).id)
  assert.deepEqual(sorted('Role').map(id), [
    '{"value":{"System":1}}',
    '{"value":{"System":2}}',
    '{"value":{"System":3}}',
    '{"value":{"System":4}}',
    '{"value":{"Public":{}}}',
  ])
  assert.deepEqual(sorted('Schema').map(id), [
    '{"value":{"System":1}}',
    '{"value":{"System":2}}',
    '{"value":{"System":4}}',
    '{"value":{"System":5}}',
    '{"value":{"System":6}}',
    '{"value":{"User":3}}',
  ])
  assert.deepEqual(
    sorted('DefaultPrivileges').map((k) => (k as { object_type: bigint }).object_type),
    [7n, 9n, 13n, 14n],
  )
  assert.deepEqual(
    sorted('AuditLog').map((k) => (k as { event: { V1: { id: bigint } } }).event.V1.id),
    [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n, 11n],
  )
  assert.deepEqual(
    sorted('IdAlloc').map((k) => (k as { name: string }).name),
    [
      'auditlog',
      'database',
      'replica',
      'schema',
      'storage_usage',
      'system',
      'system_compute',
      'system_replica',
      'user',
      'user_compute',
      'user_role',
    ],
  )
  assert.deepEqual(
    sorted('Config').map((k) => (k as { key: string }).key),
    ['deploy_generation', 'system_config_synced', 'user_version'],
  )
})

test('the v46→v47 migration pair: each side decodes exactly with its own version only', () => {
  for (const text of V46_CLUSTER_ROWS) {
    const row = decodeExact(text, 46)
    assert.equal(encodeDecodedRow(row, 46), text)
    const res = decodeRow(text, 47)
    assert.ok(!res.ok)
    assert.equal(res.reason, 'value.config.variant.Managed.optimizer_feature_overrides: missing required field (expected an array)')
  }
})
