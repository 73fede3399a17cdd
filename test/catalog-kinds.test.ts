import { test } from 'node:test'
import assert from 'node:assert/strict'
import { canonicalJson, displayJson, parseJson, type JsonValue } from '../src/json/lossless-json.js'
import {
  bool,
  describeJson,
  empty,
  enumeration,
  i32,
  i64,
  message,
  oneof,
  option,
  repeated,
  string,
  u32,
  u64,
  unit,
  type DecodeNotes,
  type Infer,
  type Schema,
} from '../src/catalog/kinds/schema.js'
import {
  COLLECTION_KINDS,
  COLLECTION_NAMES,
  KIND_COLLECTIONS,
  LARGE_COLLECTIONS,
  parseCollectionName,
  uniquenessKey,
} from '../src/catalog/kinds/collections.js'
import { KIND_NAMES } from '../src/catalog/kinds/kind-names.js'
import { kindsForVersion } from '../src/catalog/kinds/schema-sets.js'
import { CATALOG_VERSION, MIN_CATALOG_VERSION } from '../src/catalog/kinds/versions.js'
import { aclModeLetters, AUDIT_EVENT_TYPES, enumName, OBJECT_TYPES, unknownAclBits } from '../src/catalog/kinds/enums.js'
import { RoleId } from '../src/catalog/kinds/common.js'
import { ClusterValueV47 as ClusterValue } from '../src/catalog/kinds/cluster.js'
import { IncompatibleCatalogVersionError, UsageError, ValidationError } from '../src/errors.js'

type ClusterValueType = Infer<typeof ClusterValue>

/** Asserts that decoding `text` with `schema` fails with exactly `message` (which starts with the path). */
function rejects(schema: Schema<unknown>, text: string, message: string, path = 'v'): void {
  assert.throws(
    () => schema.decode(parseJson(text), path),
    (err: unknown) => {
      assert.ok(err instanceof ValidationError, `not a ValidationError: ${String(err)}`)
      assert.equal(err.message, message)
      assert.equal(err.code, 'invalid-value')
      return true
    },
  )
}

test('integers: ranges, signs and floats are checked exactly', () => {
  assert.equal(u64.decode(parseJson('18446744073709551615'), 'v'), 18446744073709551615n)
  assert.equal(canonicalJson(u64.decode(parseJson('18446744073709551615'), 'v')), '18446744073709551615')
  rejects(u64, '18446744073709551616', 'v: expected an unsigned 64-bit integer, got 18446744073709551616')
  rejects(u64, '-1', 'v: expected an unsigned 64-bit integer, got -1')
  rejects(u64, '1.0', 'v: expected an unsigned 64-bit integer, got 1.0')
  rejects(u64, '1e3', 'v: expected an unsigned 64-bit integer, got 1000.0')
  rejects(u64, '1.5', 'v: expected an unsigned 64-bit integer, got 1.5')
  rejects(u64, '"1"', 'v: expected an unsigned 64-bit integer, got the string "1"')
  rejects(u64, 'null', 'v: expected an unsigned 64-bit integer, got null')
  assert.equal(u32.decode(4294967295n, 'v'), 4294967295n)
  rejects(u32, '4294967296', 'v: expected an unsigned 32-bit integer, got 4294967296')
  assert.equal(i64.decode(-(2n ** 63n), 'v'), -(2n ** 63n))
  rejects(i64, '9223372036854775808', 'v: expected a signed 64-bit integer, got 9223372036854775808')
  assert.equal(i32.decode(-2147483648n, 'v'), -2147483648n)
  rejects(i32, '2147483648', 'v: expected a signed 32-bit integer, got 2147483648')
  assert.equal(u64.decode(parseJson('-0'), 'v'), 0n)
})

test('enum fields take the variants from_proto knows, not Unknown (0)', () => {
  const e = enumeration('ObjectType', OBJECT_TYPES)
  assert.equal(e.decode(9n, 'v'), 9n)
  assert.equal(e.decode(15n, 'v'), 15n)
  rejects(e, '0', 'v: expected a ObjectType value (1..15), got 0')
  rejects(e, '-7', 'v: expected a ObjectType value (1..15), got -7')
  rejects(e, '16', 'v: expected a ObjectType value (1..15), got 16')
  rejects(e, '"TABLE"', 'v: expected a ObjectType value (1..15), got the string "TABLE"')
  assert.equal(enumName(OBJECT_TYPES, 9n), 'Cluster')
  assert.equal(enumName(AUDIT_EVENT_TYPES, 4n), 'Grant')
  assert.equal(enumName(OBJECT_TYPES, 99n), undefined)
})

test('strings, bools, arrays and unit reject other JSON types', () => {
  rejects(string, '5', 'v: expected a string, got 5')
  rejects(bool, '"true"', 'v: expected true or false, got the string "true"')
  rejects(bool, '0', 'v: expected true or false, got 0')
  rejects(repeated(string), '{}', 'v: expected an array, got an object')
  rejects(repeated(u32), '[1, 2, -3]', 'v[2]: expected an unsigned 32-bit integer, got -3')
  rejects(unit, '{}', 'v: expected null (these rows have no value), got an object')
  assert.equal(unit.decode(null, 'v'), null)
})

const Inner = message('Inner', { a: u32, b: option(string) })
const Outer = message('Outer', {
  name: string,
  inner: option(Inner),
  list: repeated(Inner),
  choice: option(oneof('Choice', { First: u64, Second: Inner, Third: empty })),
})

test('messages: declaration order, missing Options as null, unknown keys ignored', () => {
  const notes: DecodeNotes = []
  const v = Outer.decode(parseJson('{"zzz": 1, "list": [], "name": "x"}'), 'v', notes)
  assert.equal(displayJson(v as JsonValue), '{"name":"x","inner":null,"list":[],"choice":null}')
  assert.deepEqual(notes, ['v.inner: missing, read as null', 'v.choice: missing, read as null', 'v.zzz: unknown field, ignored'])
  const w = Outer.decode(parseJson('{"choice":{"Second":{"b":null,"a":1}},"list":[{"a":2}],"inner":null,"name":"y"}'), 'v')
  assert.equal(displayJson(w as JsonValue), '{"name":"y","inner":null,"list":[{"a":2,"b":null}],"choice":{"Second":{"a":1,"b":null}}}')
  assert.equal(canonicalJson(w as JsonValue), '{"choice":{"Second":{"a":1,"b":null}},"inner":null,"list":[{"a":2,"b":null}],"name":"y"}')
})

test('messages: every failure names the exact path', () => {
  rejects(Outer, '[]', 'v: expected an Outer object, got an array')
  rejects(Outer, 'null', 'v: expected an Outer object, got null')
  rejects(Outer, '{"list":[]}', 'v.name: missing required field (expected a string)')
  rejects(Outer, '{"name":"x"}', 'v.list: missing required field (expected an array)')
  rejects(Outer, '{"name":"x","list":[{"a":1},{"b":"q"}]}', 'v.list[1].a: missing required field (expected an unsigned 32-bit integer)')
  rejects(Outer, '{"name":"x","list":[],"inner":{"a":-1}}', 'v.inner.a: expected an unsigned 32-bit integer, got -1')
  rejects(
    Outer,
    '{"name":"x","list":[],"choice":{"Fourth":1}}',
    'v.choice: unknown Choice variant "Fourth", expected one of: First, Second, Third',
  )
  rejects(
    Outer,
    '{"name":"x","list":[],"choice":{"First":1,"Third":{}}}',
    'v.choice: expected exactly one Choice variant, got 2 keys (First, Third)',
  )
  rejects(Outer, '{"name":"x","list":[],"choice":{}}', 'v.choice: expected exactly one Choice variant, got an empty object')
  rejects(
    Outer,
    '{"name":"x","list":[],"choice":"Third"}',
    'v.choice: expected a Choice variant object ({"First": …} or another of: Second, Third), got the string "Third"',
  )
  rejects(Outer, '{"name":"x","list":[],"choice":{"Second":{"a":1.0}}}', 'v.choice.Second.a: expected an unsigned 32-bit integer, got 1.0')
  rejects(Outer, '{"name":"x","list":[],"choice":{"Third":null}}', 'v.choice.Third: expected an Empty object, got null')
})

test('the exact path of a deep field of a real kind', () => {
  const v47 = kindsForVersion(47).kind('Cluster')
  const value =
    '{"config":{"variant":{"Managed":{"availability_zones":[],"disk":false,"idle_arrangement_merge_effort":null,"logging":{"interval":null,"log_logging":false},"optimizer_feature_overrides":[],"replication_factor":-1,"size":"1"}}},"name":"q","owner_id":{"value":{"System":1}},"privileges":[]}'
  assert.throws(() => v47.value.decode(parseJson(value), 'value'), {
    message: 'value.config.variant.Managed.replication_factor: expected an unsigned 32-bit integer, got -1',
  })
  assert.throws(
    () =>
      ClusterValue.decode(
        parseJson('{"name":"q","owner_id":{"value":{"User":1}},"privileges":[{"grantee":{"value":{"Nobody":{}}}}]}'),
        'value',
      ),
    {
      message: 'value.privileges[0].grantee.value: unknown RoleId variant "Nobody", expected one of: System, User, Public',
    },
  )
})

test('compare is the derived Ord: declaration order, variants in order, None first, strings bytewise', () => {
  const ids = [
    '{"value":{"Public":{}}}',
    '{"value":{"User":2}}',
    '{"value":{"System":10}}',
    '{"value":{"System":9}}',
    '{"value":{"User":10}}',
  ]
  const sorted = ids.map((t) => RoleId.decode(parseJson(t), 'v')).sort((a, b) => RoleId.compare(a, b))
  assert.deepEqual(
    sorted.map((v) => canonicalJson(v)),
    ['{"value":{"System":9}}', '{"value":{"System":10}}', '{"value":{"User":2}}', '{"value":{"User":10}}', '{"value":{"Public":{}}}'],
  )
  assert.ok(string.compare('B', 'a') < 0)
  assert.ok(string.compare('a', 'ab') < 0)
  assert.ok(string.compare('\uffff', '\u{10000}') < 0, 'code point order, not UTF-16 order')
  const r = repeated(u32)
  assert.ok(r.compare([1n], [1n, 0n]) < 0)
  assert.ok(r.compare([2n], [1n, 9n]) > 0)
  assert.ok(bool.compare(false, true) < 0)
  // None sorts first where from_proto allows it (an `option` field).
  const o = option(RoleId)
  assert.ok(o.compare(null, RoleId.decode(parseJson('{"value":{"System":1}}'), 'v')) < 0)
  assert.equal(
    Outer.compare(Outer.decode(parseJson('{"name":"a","list":[]}'), 'v'), Outer.decode(parseJson('{"name":"a","list":[]}'), 'v')),
    0,
  )
})

test('decoded values are typed from their schemas', () => {
  const v: ClusterValueType = ClusterValue.decode(
    parseJson(
      '{"name":"q","owner_id":{"value":{"Public":{}}},"privileges":[],"config":{"variant":{"Managed":{"size":"1","replication_factor":2,"availability_zones":[],"disk":false,"logging":{"log_logging":true,"interval":null},"optimizer_feature_overrides":[]}}}}',
    ),
    'value',
  )
  const name: string = v.name
  const variant = v.config?.variant
  const factor: bigint | undefined =
    variant !== null && variant !== undefined && 'Managed' in variant ? variant.Managed.replication_factor : undefined
  const owner = v.owner_id?.value
  assert.equal(name, 'q')
  assert.equal(factor, 2n)
  assert.ok(owner !== null && owner !== undefined && 'Public' in owner)
  // Values built by hand type-check against the same types.
  const built: ClusterValueType = { name: 'x', owner_id: { value: { User: 1n } }, privileges: [], config: { variant: { Unmanaged: {} } } }
  assert.equal(
    canonicalJson(ClusterValue.decode(built, 'value')),
    '{"config":{"variant":{"Unmanaged":{}}},"name":"x","owner_id":{"value":{"User":1}},"privileges":[]}',
  )
})

test('describeJson', () => {
  assert.equal(describeJson(undefined), 'nothing')
  assert.equal(describeJson('x'.repeat(50)), `the string "${'x'.repeat(40)}…"`)
  assert.equal(describeJson(true), 'true')
  assert.equal(describeJson([]), 'an array')
})

test('the 19 kinds and 18 collections', () => {
  assert.equal(KIND_NAMES.length, 19)
  assert.deepEqual(
    [...COLLECTION_NAMES],
    [
      'audit_log',
      'comments',
      'compute_instance',
      'compute_introspection_source_index',
      'compute_replicas',
      'config',
      'database',
      'default_privileges',
      'id_alloc',
      'item',
      'role',
      'schema',
      'setting',
      'storage_usage',
      'system_configuration',
      'system_gid_mapping',
      'system_privileges',
      'timestamp',
    ],
  )
  assert.deepEqual([...COLLECTION_NAMES].sort(), [...COLLECTION_NAMES])
  assert.deepEqual(new Set(Object.values(COLLECTION_KINDS)), new Set(KIND_NAMES.filter((k) => k !== 'Epoch')))
  for (const c of COLLECTION_NAMES) assert.equal(KIND_COLLECTIONS[COLLECTION_KINDS[c]], c)
  assert.equal(KIND_COLLECTIONS.ServerConfiguration, 'system_configuration')
  assert.equal(KIND_COLLECTIONS.GidMapping, 'system_gid_mapping')
  assert.deepEqual([...LARGE_COLLECTIONS], ['audit_log', 'storage_usage'])
  for (const v of [42, 45, 46, 47]) {
    const set = kindsForVersion(v)
    assert.equal(set.all.length, 18)
    assert.deepEqual(
      set.all.filter((k) => k.keyOnly).map((k) => k.kind),
      ['AuditLog', 'StorageUsage'],
    )
    for (const c of COLLECTION_NAMES) assert.equal(set.collection(c).kind, COLLECTION_KINDS[c])
  }
})

test('parseCollectionName lists every name on a typo', () => {
  assert.equal(parseCollectionName('compute_replicas'), 'compute_replicas')
  assert.throws(
    () => parseCollectionName('clusters'),
    (err: unknown) => {
      assert.ok(err instanceof UsageError)
      assert.equal(err.message, `unknown collection "clusters", expected one of: ${COLLECTION_NAMES.join(', ')}`)
      return true
    },
  )
  assert.throws(() => parseCollectionName('Epoch'), UsageError)
})

test("kindsForVersion refuses versions outside 42..47 with Materialize's message", () => {
  assert.equal(kindsForVersion().version, CATALOG_VERSION)
  assert.equal(kindsForVersion(MIN_CATALOG_VERSION).version, 42)
  for (const v of [41, 48, 46.5]) {
    assert.throws(
      () => kindsForVersion(v),
      (err: unknown) => {
        assert.ok(err instanceof IncompatibleCatalogVersionError)
        assert.equal(err.message, `incompatible Catalog version ${v}, minimum: 42, current: 47`)
        return true
      },
    )
  }
})

test('version-specific shapes: ClusterValue and ManagedCluster, CreateSourceSinkV3', () => {
  const fields = (v: number) => kindsForVersion(v).kind('Cluster').value
  const names = (s: unknown) => (s as { fields: (readonly [string, unknown])[] }).fields.map(([k]) => k)
  assert.deepEqual(names(fields(45)), ['name', 'linked_object_id', 'owner_id', 'privileges', 'config'])
  assert.deepEqual(names(fields(42)), names(fields(45)))
  assert.deepEqual(names(fields(46)), ['name', 'owner_id', 'privileges', 'config'])
  assert.deepEqual(names(fields(47)), ['name', 'owner_id', 'privileges', 'config'])
  const detail =
    '{"event":{"V1":{"details":{"CreateSourceSinkV3":{"external_type":"kafka","id":"u1","name":{"database":"d","item":"i","schema":"s"}}},"event_type":1,"id":1,"object_type":12,"occurred_at":{"millis":0},"user":null}}}'
  assert.doesNotThrow(() => kindsForVersion(46).kind('AuditLog').key.decode(parseJson(detail), 'key'))
  assert.throws(() => kindsForVersion(45).kind('AuditLog').key.decode(parseJson(detail), 'key'), {
    message: /^key\.event\.V1\.details: unknown AuditLogEventV1\.details variant "CreateSourceSinkV3"/,
  })
})

test('uniqueness descriptors', () => {
  const schema = kindsForVersion().collection('schema')
  const a = schema.value.decode(
    parseJson('{"database_id":{"value":{"User":1}},"name":"public","owner_id":{"value":{"User":2}},"privileges":[]}'),
    'value',
  )
  const b = schema.value.decode(
    parseJson('{"privileges":[],"owner_id":{"value":{"System":1}},"name":"public","database_id":{"value":{"User":1}}}'),
    'value',
  )
  const c = schema.value.decode(parseJson('{"database_id":null,"name":"public","owner_id":{"value":{"User":2}},"privileges":[]}'), 'value')
  assert.equal(uniquenessKey('schema', a), uniquenessKey('schema', b))
  assert.notEqual(uniquenessKey('schema', a), uniquenessKey('schema', c))
  assert.equal(uniquenessKey('config', parseJson('{"value":1}')), null)
})

test('AclMode letters', () => {
  assert.equal(aclModeLetters(768n), 'UC')
  assert.equal(aclModeLetters(3758096384n), 'RBN')
  assert.equal(aclModeLetters(15n), 'arwd')
  assert.equal(unknownAclBits(768n), 0n)
  assert.equal(unknownAclBits(1n << 40n), 1n << 40n)
})
