import { test } from 'node:test'
import assert from 'node:assert/strict'
import { verifyRows, type Finding, type VerifyCheck } from '../src/catalog/verify/index.js'
import { FRESH_ROWS, settingRow } from './helpers/fixture-testing.js'

type Row = { data: string; diff: bigint }
const FRESH: Row[] = FRESH_ROWS.map((data) => ({ data, diff: 1n }))

function find(pred: (r: string) => boolean): string {
  const r = FRESH_ROWS.find(pred)
  assert.ok(r !== undefined)
  return r
}

const DATABASE = find((r) => r.includes('"kind":"Database"'))
const PUBLIC_SCHEMA = find((r) => r.includes('"name":"public"') && r.includes('"kind":"Schema"'))
const QUICKSTART = find((r) => r.includes('"kind":"Cluster"'))
const REPLICA = find((r) => r.includes('"kind":"ClusterReplica"'))
const USER_VERSION = find((r) => r.includes('"user_version"'))

const item = (id: number, name: string, schema = 3, owner = '{"System":1}'): string =>
  `{"key":{"gid":{"value":{"User":${id}}}},"kind":"Item","value":{"definition":{"value":{"V1":{"create_sql":"CREATE TABLE \\"materialize\\".\\"public\\".\\"${name}\\" ()"}}},"name":"${name}","owner_id":{"value":${owner}},"privileges":[],"schema_id":{"value":{"User":${schema}}}}}`
const userAlloc = (next: number): string => `{"key":{"name":"user"},"kind":"IdAlloc","value":{"next_id":${next}}}`

/** The fresh catalog with rows replaced (`[from, to]`, `to` null to delete) and rows added. */
function mutate(replace: [string, string | null][], add: (string | Row)[] = []): Row[] {
  let out = FRESH.map((r) => ({ ...r }))
  for (const [from, to] of replace) {
    assert.ok(
      out.some((r) => r.data === from),
      `row to replace exists: ${from.slice(0, 60)}`,
    )
    out = to === null ? out.filter((r) => r.data !== from) : out.map((r) => (r.data === from ? { data: to, diff: r.diff } : r))
  }
  return out.concat(add.map((a) => (typeof a === 'string' ? { data: a, diff: 1n } : a)))
}

function errors(rows: Row[]): Finding[] {
  return verifyRows(rows).findings.filter((f) => f.severity === 'error')
}

function assertCaught(rows: Row[], check: VerifyCheck, message: RegExp): Finding {
  const found = errors(rows)
  const hit = found.find((f) => f.check === check && message.test(f.message))
  assert.ok(
    hit !== undefined,
    `expected a ${check} error matching ${message}; got:\n${found.map((f) => `${f.check}: ${f.message}`).join('\n')}`,
  )
  assert.ok(hit.rows.length > 0 || check === 'user-version' || check === 'epoch' || check === 'id-allocators')
  return hit
}

test('a fresh catalog, with items and an edit history, verifies clean', () => {
  assert.deepEqual(verifyRows(FRESH).findings, [])
  const populated = mutate(
    [[userAlloc(1), userAlloc(3)]],
    [item(1, 'orders'), item(2, 'customers'), settingRow('catalog_content_version', '0.91.0')],
  )
  assert.deepEqual(verifyRows(populated).findings, [])
})

test('referential integrity: every reference names an existing object', () => {
  assertCaught(
    mutate([[PUBLIC_SCHEMA, PUBLIC_SCHEMA.replace('"database_id":{"value":{"User":1}}', '"database_id":{"value":{"User":9}}')]]),
    'referential-integrity',
    /schema u3 "public" refers to database u9/,
  )
  assertCaught(mutate([[userAlloc(1), userAlloc(2)]], [item(1, 't', 99)]), 'referential-integrity', /item u1 "t" refers to schema u99/)
  assertCaught(
    mutate([[REPLICA, REPLICA.replace('"cluster_id":{"value":{"User":1}}', '"cluster_id":{"value":{"User":5}}')]]),
    'referential-integrity',
    /cluster replica u1 "r1" refers to cluster u5/,
  )
  assertCaught(
    mutate([[DATABASE, DATABASE.replace('"owner_id":{"value":{"System":1}}', '"owner_id":{"value":{"User":7}}')]]),
    'referential-integrity',
    /database u1 "materialize" refers to owner role u7/,
  )
  assertCaught(
    mutate([[QUICKSTART, QUICKSTART.replace('"grantee":{"value":{"System":2}}', '"grantee":{"value":{"User":4}}')]]),
    'referential-integrity',
    /cluster u1 "quickstart" privilege #2 refers to grantee role u4/,
  )
  assertCaught(
    mutate([], ['{"key":{"object":{"Table":{"value":{"User":8}}},"sub_component":null},"kind":"Comment","value":{"comment":"gone"}}']),
    'referential-integrity',
    /comment on Table u8 refers to item u8/,
  )
  assertCaught(
    mutate(
      [],
      [
        '{"key":{"object":{"ClusterReplica":{"cluster_id":{"value":{"User":2}},"replica_id":{"value":{"User":1}}}},"sub_component":null},"kind":"Comment","value":{"comment":"x"}}',
      ],
    ),
    'referential-integrity',
    /names replica u1 of cluster u2, but that replica belongs to cluster u1/,
  )
  const mzSystem = find((r) => r.includes('"name":"mz_system"'))
  assertCaught(
    mutate([[mzSystem, mzSystem.replace('"map":[]', '"map":[{"key":{"value":{"User":3}},"value":{"value":{"System":1}}}]')]]),
    'referential-integrity',
    /role s1 "mz_system" membership refers to role \(member of\) u3/,
  )
  assertCaught(
    mutate(
      [],
      [
        '{"key":{"database_id":{"value":{"User":4}},"grantee":{"value":{"Public":{}}},"object_type":1,"role_id":{"value":{"Public":{}}},"schema_id":null},"kind":"DefaultPrivileges","value":{"privileges":{"bitflags":2}}}',
      ],
    ),
    'referential-integrity',
    /default privilege .* refers to database u4/,
  )
})

test('unique names per Materialize rules', () => {
  const dbAlloc = '{"key":{"name":"database"},"kind":"IdAlloc","value":{"next_id":2}}'
  const db2 = DATABASE.replace('"User":1}}', '"User":2}}')
  assertCaught(
    mutate([[dbAlloc, dbAlloc.replace('2}', '3}')]], [db2]),
    'unique-names',
    /database name "materialize" is used by 2 databases: u1, u2/,
  )
  const schemaDup = PUBLIC_SCHEMA.replace('"key":{"id":{"value":{"User":3}}}', '"key":{"id":{"value":{"User":6}}}')
  const schemaAlloc = '{"key":{"name":"schema"},"kind":"IdAlloc","value":{"next_id":7}}'
  assertCaught(
    mutate([[schemaAlloc, schemaAlloc.replace('7}', '8}')]], [schemaDup]),
    'unique-names',
    /schema name per database "public" in database u1 is used by 2 schemas/,
  )
  assertCaught(
    mutate([[userAlloc(1), userAlloc(3)]], [item(1, 't'), item(2, 't')]),
    'unique-names',
    /item name per schema "t" in schema u3 is used by 2 items: u1, u2/,
  )
  // The same item name in two schemas is fine.
  assert.deepEqual(
    errors(mutate([[userAlloc(1), userAlloc(3)]], [item(1, 't', 3), item(2, 't', 1)])).filter((f) => f.check === 'unique-names'),
    [],
  )
  const replica2 = REPLICA.replace('"key":{"id":{"value":{"User":1}}}', '"key":{"id":{"value":{"User":2}}}')
  const replicaAlloc = '{"key":{"name":"replica"},"kind":"IdAlloc","value":{"next_id":2}}'
  assertCaught(
    mutate([[replicaAlloc, replicaAlloc.replace('2}', '3}')]], [replica2]),
    'unique-names',
    /replica name per cluster "r1" in cluster u1/,
  )
  const role =
    '{"key":{"id":{"value":{"User":1}}},"kind":"Role","value":{"attributes":{"inherit":true},"membership":{"map":[]},"name":"mz_system","vars":{"entries":[]}}}'
  const roleAlloc = '{"key":{"name":"user_role"},"kind":"IdAlloc","value":{"next_id":1}}'
  assertCaught(
    mutate([[roleAlloc, roleAlloc.replace('1}', '2}')]], [role]),
    'unique-names',
    /role name "mz_system" is used by 2 roles: s1, u1/,
  )
  const cluster2 = QUICKSTART.replace('"key":{"id":{"value":{"User":1}}}', '"key":{"id":{"value":{"User":2}}}')
  const clusterAlloc = '{"key":{"name":"user_compute"},"kind":"IdAlloc","value":{"next_id":2}}'
  assertCaught(
    mutate([[clusterAlloc, clusterAlloc.replace('2}', '3}')]], [cluster2]),
    'unique-names',
    /cluster name "quickstart" is used by 2 clusters/,
  )
})

test('id allocators are above every id in use', () => {
  assertCaught(
    mutate([[userAlloc(1), userAlloc(2)]], [item(1, 'a'), item(5, 'b')]),
    'id-allocators',
    /"user" has next_id 2, but item u5 is in use/,
  )
  const dbAlloc = '{"key":{"name":"database"},"kind":"IdAlloc","value":{"next_id":2}}'
  assertCaught(mutate([[dbAlloc, dbAlloc.replace('2}', '1}')]]), 'id-allocators', /"database" has next_id 1, but database u1 is in use/)
  const auditAlloc = '{"key":{"name":"auditlog"},"kind":"IdAlloc","value":{"next_id":12}}'
  assertCaught(
    mutate([[auditAlloc, auditAlloc.replace('12}', '11}')]]),
    'id-allocators',
    /"auditlog" has next_id 11, but audit event 11 is in use/,
  )
  assertCaught(mutate([[auditAlloc, null]]), 'id-allocators', /id allocator "auditlog" is missing \(11 ids in use\)/)
  const usage =
    '{"key":{"usage":{"V1":{"collection_timestamp":{"millis":1},"id":1,"shard_id":null,"size_bytes":10}}},"kind":"StorageUsage"}'
  assertCaught(mutate([], [usage]), 'id-allocators', /"storage_usage" has next_id 1, but storage usage event 1/)
  const replicaAlloc = '{"key":{"name":"replica"},"kind":"IdAlloc","value":{"next_id":2}}'
  assertCaught(
    mutate([[replicaAlloc, replicaAlloc.replace('2}', '1}')]]),
    'id-allocators',
    /"replica" has next_id 1, but cluster replica u1/,
  )
  const roleAlloc = '{"key":{"name":"user_role"},"kind":"IdAlloc","value":{"next_id":1}}'
  const role =
    '{"key":{"id":{"value":{"User":1}}},"kind":"Role","value":{"attributes":{"inherit":true},"membership":{"map":[]},"name":"alice","vars":{"entries":[]}}}'
  assertCaught(mutate([[roleAlloc, roleAlloc]], [role]), 'id-allocators', /"user_role" has next_id 1, but role u1/)
  const clusterAlloc = '{"key":{"name":"user_compute"},"kind":"IdAlloc","value":{"next_id":2}}'
  assertCaught(mutate([[clusterAlloc, clusterAlloc.replace('2}', '1}')]]), 'id-allocators', /"user_compute" has next_id 1, but cluster u1/)
  const schemaAlloc = '{"key":{"name":"schema"},"kind":"IdAlloc","value":{"next_id":7}}'
  assertCaught(mutate([[schemaAlloc, schemaAlloc.replace('7}', '6}')]]), 'id-allocators', /"schema" has next_id 6, but schema s6 is in use/)
})

test('exactly one user_version, of a supported version', () => {
  assertCaught(mutate([[USER_VERSION, null]]), 'user-version', /no Config user_version row/)
  assertCaught(mutate([], [USER_VERSION.replace('47', '46')]), 'user-version', /2 Config user_version rows/)
  assertCaught(
    mutate([[USER_VERSION, USER_VERSION.replace('47', '41')]]),
    'user-version',
    /incompatible Catalog version 41, minimum: 42, current: 47/,
  )
})

test('exactly one positive epoch', () => {
  assertCaught(mutate([['{"epoch":2,"kind":"Epoch"}', null]]), 'epoch', /no Epoch row/)
  assertCaught(mutate([], ['{"epoch":3,"kind":"Epoch"}']), 'epoch', /2 current Epoch rows \(2, 3\)/)
  assertCaught(mutate([['{"epoch":2,"kind":"Epoch"}', '{"epoch":0,"kind":"Epoch"}']]), 'epoch', /epoch 0 is not positive/)
})

test('multiplicities other than 1, and keys with several values', () => {
  assertCaught(mutate([], [{ data: settingRow('a', 'b'), diff: 2n }]), 'multiplicity', /multiplicity 2/)
  assertCaught(mutate([], [{ data: settingRow('a', 'b'), diff: -1n }]), 'multiplicity', /multiplicity -1/)
  assertCaught(mutate([], [settingRow('a', 'b'), settingRow('a', 'c')]), 'multiplicity', /Setting key \{"name":"a"\} has 2 current values/)
})

test('rows that do not decode, and rows not stored canonically', () => {
  const hit = assertCaught(
    mutate([], ['{"key":{"name":"a"},"kind":"Setting","value":{"value":5}}']),
    'decode',
    /does not decode as a catalog v47 row: value\.value: expected a string, got 5/,
  )
  assert.deepEqual(hit.rows, ['{"key":{"name":"a"},"kind":"Setting","value":{"value":5}}'])
  assertCaught(mutate([], ['not json']), 'decode', /does not decode/)
  assertCaught(mutate([], ['{"kind":"Nope","key":{}}']), 'decode', /unknown kind "Nope"/)
  assertCaught(
    mutate([], ['{"kind":"Setting","key":{"name":"a"},"value":{"value":"b"}}']),
    'canonical-encoding',
    /not stored in canonical JSON/,
  )
  // A v46 cluster in a v47 catalog: a migration was missed.
  const v46 = QUICKSTART.replace('"optimizer_feature_overrides":[],', '')
  assertCaught(mutate([[QUICKSTART, v46]]), 'decode', /optimizer_feature_overrides: missing required field/)
  // The same row is fine in a v46 catalog.
  const asV46 = mutate([
    [QUICKSTART, v46],
    [USER_VERSION, USER_VERSION.replace('47', '46')],
  ])
  assert.deepEqual(verifyRows(asV46).findings, [])
  assert.equal(verifyRows(asV46).version, 46)
})

test('findings are values in a stable order, and checks can be selected', () => {
  const rows = mutate([[USER_VERSION, null]], [{ data: settingRow('a', 'b'), diff: 2n }])
  const all = verifyRows(rows).findings
  assert.deepEqual(
    all.map((f) => f.check),
    ['multiplicity', 'user-version'],
  )
  assert.deepEqual(
    verifyRows(rows, { checks: ['user-version'] }).findings.map((f) => f.check),
    ['user-version'],
  )
})
