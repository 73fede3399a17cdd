import { test } from 'node:test'
import assert from 'node:assert/strict'
import { canonicalJson, canonicalize, displayJson, parseJson, type JsonObject, type JsonValue } from '../src/json/lossless-json.js'
import {
  decodeRow,
  encodeDecodedRow,
  encodeEpochRow,
  encodeRow,
  keyLookup,
  parseUserKey,
  parseUserValue,
  rowLookup,
  sortKeyOrder,
  type DecodeRowResult,
} from '../src/catalog/codec/row-codec.js'
import { IncompatibleCatalogVersionError, ValidationError } from '../src/errors.js'

function ok(res: DecodeRowResult) {
  if (!res.ok) assert.fail(`expected the row to decode, got: ${res.reason}`)
  return res.row
}

function failure(res: DecodeRowResult) {
  if (res.ok) assert.fail('expected the row not to decode')
  return res
}

const PRIVS = '[{"acl_mode":{"bitflags":256},"grantee":{"value":{"Public":{}}},"grantor":{"value":{"System":1}}}]'
const LOGGING = '{"interval":{"nanos":0,"secs":1},"log_logging":false}'
const MANAGED_V46 = `{"availability_zones":[],"disk":false,"idle_arrangement_merge_effort":null,"logging":${LOGGING},"replication_factor":1,"size":"1"}`
const MANAGED_V47 = `{"availability_zones":[],"disk":false,"idle_arrangement_merge_effort":null,"logging":${LOGGING},"optimizer_feature_overrides":[],"replication_factor":1,"size":"1"}`
const cluster = (value: string) => `{"key":{"id":{"value":{"User":1}}},"kind":"Cluster","value":${value}}`
const CLUSTER_V45 = cluster(
  `{"config":{"variant":{"Managed":${MANAGED_V46}}},"linked_object_id":null,"name":"quickstart","owner_id":{"value":{"System":1}},"privileges":${PRIVS}}`,
)
const CLUSTER_V46 = cluster(
  `{"config":{"variant":{"Managed":${MANAGED_V46}}},"name":"quickstart","owner_id":{"value":{"System":1}},"privileges":${PRIVS}}`,
)
const CLUSTER_V47 = cluster(
  `{"config":{"variant":{"Managed":${MANAGED_V47}}},"name":"quickstart","owner_id":{"value":{"System":1}},"privileges":${PRIVS}}`,
)
const UNMANAGED_V45 = cluster(
  '{"config":{"variant":{"Unmanaged":{}}},"linked_object_id":null,"name":"legacy","owner_id":{"value":{"User":1}},"privileges":[]}',
)
const UNMANAGED_V47 = cluster('{"config":{"variant":{"Unmanaged":{}}},"name":"legacy","owner_id":{"value":{"User":1}},"privileges":[]}')

test('each version decodes its own Cluster rows exactly, in declaration order', () => {
  for (const [version, text] of [
    [45, CLUSTER_V45],
    [42, CLUSTER_V45],
    [46, CLUSTER_V46],
    [47, CLUSTER_V47],
    [45, UNMANAGED_V45],
    [47, UNMANAGED_V47],
  ] as const) {
    const row = ok(decodeRow(text, version))
    assert.equal(row.exact, true, `v${version}: ${row.notes.join('; ')}`)
    assert.equal(encodeDecodedRow(row, version), text)
  }
  const v45 = ok(decodeRow(CLUSTER_V45, 45))
  assert.deepEqual(Object.keys(v45.value as object), ['name', 'linked_object_id', 'owner_id', 'privileges', 'config'])
  const v47 = ok(decodeRow(CLUSTER_V47, 47))
  assert.deepEqual(Object.keys(v47.value as object), ['name', 'owner_id', 'privileges', 'config'])
  assert.equal(
    displayJson((v47.value as JsonObject).config as JsonValue),
    `{"variant":{"Managed":{"size":"1","replication_factor":1,"availability_zones":[],"logging":{"log_logging":false,"interval":{"secs":1,"nanos":0}},"idle_arrangement_merge_effort":null,"disk":false,"optimizer_feature_overrides":[]}}}`,
  )
})

test('older rows read with a newer schema: reported, or decoded as inexact (serde ignores unknown fields)', () => {
  // Managed v45/v46 rows lack a v47 required field: undecodable at v47 (Materialize's #26109).
  for (const text of [CLUSTER_V45, CLUSTER_V46]) {
    const res = failure(decodeRow(text, 47))
    assert.equal(res.reason, 'value.config.variant.Managed.optimizer_feature_overrides: missing required field (expected an array)')
    assert.equal(res.kind, 'Cluster')
    assert.equal(res.raw, text)
  }
  // An unmanaged v45 row decodes as serde would, but its re-encoding would not retract it.
  const row = ok(decodeRow(UNMANAGED_V45, 47))
  assert.equal(row.exact, false)
  assert.deepEqual(row.notes, ['value.linked_object_id: unknown field, ignored'])
  assert.equal(row.raw, UNMANAGED_V45)
  assert.equal(encodeDecodedRow(row), UNMANAGED_V47)
  assert.notEqual(encodeDecodedRow(row), UNMANAGED_V45)
  // …and strict mode refuses it.
  assert.equal(
    failure(decodeRow(UNMANAGED_V45, 47, { strict: true })).reason,
    'not an exact catalog v47 row: value.linked_object_id: unknown field, ignored',
  )
  // A v47 row read as v45: linked_object_id is an Option, so it is missing-as-null; the extra field is ignored.
  const old = ok(decodeRow(CLUSTER_V47, 45))
  assert.deepEqual(old.notes, [
    'value.linked_object_id: missing, read as null',
    'value.config.variant.Managed.optimizer_feature_overrides: unknown field, ignored',
  ])
})

test('undecodable rows are reported, never thrown', () => {
  const cases: [string, string][] = [
    ['', 'invalid JSON at line 1 column 1: unexpected end of input'],
    ['{"key":', 'invalid JSON at line 1 column 8: unexpected end of input'],
    ['[1,2]', 'expected a JSON object, got an array'],
    ['"Config"', 'expected a JSON object, got the string "Config"'],
    ['{"key":{"key":"x"},"value":{"value":1}}', 'kind: missing required field'],
    ['{"key":{"key":"x"},"kind":5,"value":{"value":1}}', 'kind: expected a string, got 5'],
    [
      '{"key":{"key":"x"},"kind":"Configs","value":{"value":1}}',
      'kind: unknown kind "Configs", expected one of: AuditLog, Cluster, ClusterReplica, Comment, Config, Database, DefaultPrivileges, Epoch, IdAlloc, ClusterIntrospectionSourceIndex, Item, Role, Schema, Setting, StorageUsage, ServerConfiguration, GidMapping, SystemPrivileges, Timestamp',
    ],
    ['{"kind":"Config","value":{"value":1}}', 'key: missing required field (expected a ConfigKey object)'],
    ['{"key":null,"kind":"Config","value":{"value":1}}', 'key: expected a ConfigKey object, got null'],
    ['{"key":{"key":"x"},"kind":"Config"}', 'value: missing required field (expected a ConfigValue object)'],
    ['{"key":{"key":"x"},"kind":"Config","value":{"value":-1}}', 'value.value: expected an unsigned 64-bit integer, got -1'],
    ['{"key":{"key":"x"},"kind":"Config","value":{"value":47.0}}', 'value.value: expected an unsigned 64-bit integer, got 47.0'],
    ['{"key":{},"kind":"Config","value":{"value":1}}', 'key.key: missing required field (expected a string)'],
    ['{"kind":"Epoch"}', 'epoch: missing required field (expected a signed 64-bit integer)'],
    ['{"epoch":9223372036854775808,"kind":"Epoch"}', 'epoch: expected a signed 64-bit integer, got 9223372036854775808'],
    ['{"kind":{"key":{"key":"x"},"kind":"Config","value":{"value":1}}}', 'kind: expected a string, got an object'],
    ['{"key":{"event":{"V2":{}}},"kind":"AuditLog"}', 'key.event: unknown AuditLogKey variant "V2", expected one of: V1'],
  ]
  for (const [text, reason] of cases) {
    const res = failure(decodeRow(text))
    assert.equal(res.reason, reason, text)
    assert.equal(res.raw, text)
  }
  // Deep nesting, odd characters, random bytes: still a value.
  const nasty = [
    '['.repeat(100000),
    `{"key":${'{"a":'.repeat(600)}1${'}'.repeat(601)}`,
    '\u0000',
    '{"__proto__":{"kind":"Config"}}',
    'nul',
    '{"kind":"constructor"}',
  ]
  for (const text of nasty) assert.equal(decodeRow(text).ok, false, text.slice(0, 20))
  let seed = 7
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed / 0x7fffffff
  }
  const alphabet = '{}[]":,0123456789-.eE truefalsnlkyvKindConfigEpochvalue\\u'
  for (let i = 0; i < 2000; i++) {
    let s = ''
    const n = Math.floor(rnd() * 40)
    for (let j = 0; j < n; j++) s += alphabet[Math.floor(rnd() * alphabet.length)]
    assert.doesNotThrow(() => decodeRow(s))
    assert.doesNotThrow(() => rowLookup(s))
  }
})

test('decodeRow throws only for an unsupported version', () => {
  assert.throws(() => decodeRow('{}', 48), IncompatibleCatalogVersionError)
})

test('key-only kinds: no value field; a stray value is ignored but noted', () => {
  const text =
    '{"key":{"usage":{"V1":{"collection_timestamp":{"millis":0},"id":1,"shard_id":null,"size_bytes":18446744073709551615}}},"kind":"StorageUsage"}'
  const row = ok(decodeRow(text))
  assert.equal(row.value, null)
  assert.equal(row.collection, 'storage_usage')
  assert.equal(encodeDecodedRow(row), text)
  const stray = ok(decodeRow(`${text.slice(0, -1)},"value":null}`))
  assert.deepEqual(stray.notes, ['value: unknown field, ignored'])
  assert.equal(encodeDecodedRow(stray), text)
  assert.throws(() => encodeRow('StorageUsage', row.key, parseJson('{}')), {
    message: 'value: expected null (these rows have no value), got an object',
  })
})

test('Epoch rows', () => {
  const row = ok(decodeRow('{"epoch":2,"kind":"Epoch"}'))
  assert.equal(row.kind, 'Epoch')
  assert.equal(row.collection, undefined)
  assert.equal(row.epoch, 2n)
  assert.equal(encodeEpochRow(-(2n ** 63n)), '{"epoch":-9223372036854775808,"kind":"Epoch"}')
  assert.equal(encodeRow('Epoch', null, 5n), '{"epoch":5,"kind":"Epoch"}')
  assert.equal(ok(decodeRow(' { "kind" : "Epoch" , "epoch" : 3 } ')).epoch, 3n)
  assert.throws(() => encodeEpochRow(2n ** 63n), ValidationError)
})

test('encodeRow validates, normalizes and writes canonical text', () => {
  assert.equal(
    encodeRow('Config', parseJson('{ "key" : "user_version" }'), parseJson('{"value": 47}')),
    '{"key":{"key":"user_version"},"kind":"Config","value":{"value":47}}',
  )
  // A missing Option is written as null so the bytes match what Materialize writes.
  assert.equal(
    encodeRow(
      'Schema',
      parseJson('{"id":{"value":{"User":3}}}'),
      parseJson('{"name":"s","owner_id":{"value":{"User":1}},"privileges":[]}'),
    ),
    '{"key":{"id":{"value":{"User":3}}},"kind":"Schema","value":{"database_id":null,"name":"s","owner_id":{"value":{"User":1}},"privileges":[]}}',
  )
  // A missing required message is refused, as from_proto refuses it (`TimestampValue::ts`).
  assert.throws(() => encodeRow('Timestamp', parseJson('{"id":"M"}'), parseJson('{}')), {
    message: 'value.ts: missing required field (expected a Timestamp object)',
  })
  assert.equal(
    encodeRow('Config', parseJson('{"key":"x"}'), parseJson('{"value":18446744073709551615}')),
    '{"key":{"key":"x"},"kind":"Config","value":{"value":18446744073709551615}}',
  )
  assert.throws(() => encodeRow('Config', parseJson('{"key":"x"}'), parseJson('{"value":18446744073709551616}')), {
    message: 'value.value: expected an unsigned 64-bit integer, got 18446744073709551616',
  })
  assert.throws(() => encodeRow('Config', parseJson('{"key":1}'), parseJson('{"value":1}')), {
    message: 'key.key: expected a string, got 1',
  })
  // Strings escape as serde_json does (JSON.stringify), non-ASCII stays raw.
  const text = encodeRow('Setting', parseJson('{"name":"n"}'), { value: 'é\n"\\/\u0001\u007f' })
  assert.equal(text, '{"key":{"name":"n"},"kind":"Setting","value":{"value":"é\\n\\"\\\\/\\u0001\u007f"}}')
  assert.equal(ok(decodeRow(text)).exact, true)
})

test('operator input: field order and whitespace do not matter; errors carry key./value. paths', () => {
  const typed = parseUserKey('config', '{ "key" : "user_version" }')
  assert.equal(canonicalJson(typed), '{"key":"user_version"}')
  assert.deepEqual(keyLookup('Config', typed), ['Config', '{"key":"user_version"}'])
  assert.deepEqual(rowLookup('{"key":{"key":"user_version"},"kind":"Config","value":{"value":47}}'), ['Config', '{"key":"user_version"}'])
  const k1 = parseUserKey(
    'default_privileges',
    '{"object_type":9,"grantee":{"value":{"System":2}},"role_id":{"value":{"Public":{}}},"schema_id":null,"database_id":null}',
  )
  const k2 = parseUserKey(
    'default_privileges',
    parseJson('{"role_id":{"value":{"Public":{}}},"database_id":null,"schema_id":null,"object_type":9,"grantee":{"value":{"System":2}}}'),
  )
  assert.equal(canonicalJson(k1), canonicalJson(k2))
  assert.deepEqual(Object.keys(k1), ['role_id', 'database_id', 'schema_id', 'object_type', 'grantee'])
  // A typo is refused (serde would drop it, and the edit would not do what was typed).
  assert.throws(() => parseUserValue('setting', '{"value":"x","valeu":"y"}'), {
    message: 'value.valeu: unknown field (Materialize would drop it; expected only value)',
  })
  assert.throws(
    () => parseUserKey('config', '{"key":'),
    (err: unknown) => {
      assert.ok(err instanceof ValidationError)
      assert.equal(err.path, 'key')
      assert.equal(err.message, 'key: invalid JSON at line 1 column 8: unexpected end of input')
      return true
    },
  )
  assert.throws(
    () =>
      parseUserValue(
        'compute_replicas',
        '{"cluster_id":{"value":{"User":1}},"name":"r1","config":{"logging":{"log_logging":false,"interval":null},"location":{"Managed":{"size":1}}},"owner_id":{"value":{"System":1}}}',
      ),
    {
      message: 'value.config.location.Managed.size: expected a string, got 1',
    },
  )
  assert.throws(
    () =>
      parseUserValue(
        'compute_instance',
        '{"name":"q","owner_id":{"value":{"System":1}},"privileges":[],"config":{"variant":{"Managed":{"size":"1","replication_factor":1.0}}}}',
      ),
    {
      message: 'value.config.variant.Managed.replication_factor: expected an unsigned 32-bit integer, got 1.0',
    },
  )
  assert.equal(parseUserValue('audit_log', 'null'), null)
  assert.throws(() => parseUserValue('audit_log', '{}'), { message: 'value: expected null (these rows have no value), got an object' })
  // A v46-shaped value is rejected at v47 and accepted at v46.
  assert.throws(
    () =>
      parseUserValue(
        'compute_instance',
        `{"name":"q","owner_id":{"value":{"System":1}},"privileges":[],"config":{"variant":{"Managed":${MANAGED_V46}}}}`,
      ),
    {
      message: 'value.config.variant.Managed.optimizer_feature_overrides: missing required field (expected an array)',
    },
  )
  assert.doesNotThrow(() =>
    parseUserValue(
      'compute_instance',
      `{"name":"q","owner_id":{"value":{"System":1}},"privileges":[],"config":{"variant":{"Managed":${MANAGED_V46}}}}`,
      {
        version: 46,
      },
    ),
  )
})

test('rowLookup: the fast path agrees with parse-and-canonicalize on every shape', () => {
  const slow = (text: string): [string | null, string | null] => {
    let doc: JsonValue
    try {
      doc = parseJson(text)
    } catch {
      return [null, null]
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return [null, null]
    const kind = typeof doc.kind === 'string' ? doc.kind : null
    if (kind === 'Epoch') return ['Epoch', null]
    const key = doc.key
    return [kind, key === undefined || key === null ? null : canonicalJson(key)]
  }
  const texts = [
    CLUSTER_V47,
    UNMANAGED_V45,
    '{"epoch":2,"kind":"Epoch"}',
    '{"key":{"a":1},"kind":"Epoch","value":1}',
    '{"key":{"b":1,"a":2},"kind":"X","value":1}',
    '{"key":{"a":1,"a":2},"kind":"X"}',
    '{"key":{"a":1.0},"kind":"X"}',
    '{"key":{"a":-0},"kind":"X"}',
    '{"key":{"a":01},"kind":"X"}',
    '{"key":{"a":"\\u0041"},"kind":"X"}',
    '{"key":{"a":"\\u001f\\u000a"},"kind":"X"}',
    '{"key":{"a":"\\/"},"kind":"X"}',
    '{"key":{"a":"\\ud800"},"kind":"X"}',
    '{"key":{"a":"\ud83d\ude00"},"kind":"X"}',
    '{"key":{"a\\"b":1},"kind":"X"}',
    '{"key":{"a":1} ,"kind":"X"}',
    '{"key":{"a":[1,2,{"c":null,"b":true}]},"kind":"X"}',
    '{"key":{"a":[1,2,{"b":true,"c":null}]},"kind":"X","value":{"z":[],"y":{}}}',
    '{"key":{"a":1},"kind":"X","value":1,"zzz":2}',
    '{"key":{"a":1},"kind":"X\\"","value":1}',
    '{"key":{"a":1},"kind":"X","value":1}x',
    '{"key":{"a":1},"kind":"X","value":tru}',
    '{"key":{"a":1},"kind":"X\n"}',
    '{"key":null,"kind":"X"}',
    '{"key":1,"kind":"X"}',
    '{"kind":"X"}',
    '{"key":{"a":1}}',
    '[]',
    'not json',
  ]
  texts.push(
    `{"key":${'['.repeat(100000)}`,
    `{"key":${'['.repeat(600)}${']'.repeat(600)},"kind":"X"}`,
    `{"key":${'['.repeat(500)}${']'.repeat(500)},"kind":"X"}`,
  )
  for (const n of [511, 512, 513]) {
    const nested = '['.repeat(n) + ']'.repeat(n)
    texts.push(`{"key":${nested},"kind":"X"}`, `{"key":1,"kind":"X","value":${nested}}`)
  }
  for (const t of texts) assert.deepEqual([...rowLookup(t)], slow(t), t.slice(0, 80))
  // Random near-canonical rows: both paths must agree on every one.
  let seed = 11
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return Math.floor((seed / 0x80000000) * n)
  }
  const atoms = [
    '{',
    '}',
    '[',
    ']',
    '"a"',
    '"b"',
    '"\\n"',
    '"\\u0001"',
    ':',
    ',',
    '1',
    '-1',
    '0',
    '1.5',
    'null',
    'true',
    ' ',
    '"kind"',
    '"X"',
  ]
  for (let i = 0; i < 5000; i++) {
    let body = ''
    for (let j = rnd(12); j > 0; j--) body += atoms[rnd(atoms.length)]
    const t = rnd(2) === 0 ? `{"key":{"a":${body}},"kind":"X"}` : `{"key":${body},"kind":"X","value":${body}}`
    assert.deepEqual([...rowLookup(t)], slow(t), t)
  }
})

test('sortKeyOrder orders keys as Materialize dumps them', () => {
  const keys = [
    '{"id":{"value":{"Public":{}}}}',
    '{"id":{"value":{"User":1}}}',
    '{"id":{"value":{"System":4}}}',
    '{"id":{"value":{"System":1}}}',
  ]
  const decoded = keys.map((k) => parseUserKey('role', k))
  decoded.sort(sortKeyOrder('Role'))
  assert.deepEqual(
    decoded.map((k) => canonicalJson(k)),
    ['{"id":{"value":{"System":1}}}', '{"id":{"value":{"System":4}}}', '{"id":{"value":{"User":1}}}', '{"id":{"value":{"Public":{}}}}'],
  )
  const names = ['b', 'B', 'a', 'ab'].map((n) => parseUserKey('setting', { name: n }))
  names.sort(sortKeyOrder('Setting'))
  assert.deepEqual(
    names.map((k) => k.name),
    ['B', 'a', 'ab', 'b'],
  )
  assert.equal(canonicalize('{"b":1,"a":2}'), '{"a":2,"b":1}')
})
