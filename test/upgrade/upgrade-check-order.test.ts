/**
 * `upgradeCheck` checks the small collections, the items and the replica sizes from the savepoint,
 * lets the savepoint go, then streams the large collections: its errors still come in one order,
 * every undecodable row by kind (large and small kinds interleaved as the kinds are listed), then
 * the inconsistencies, the items' SQL and the unknown sizes. An item whose row does not decode at
 * version 47 is still checked, decoded as the collection's rows decode it.
 */

import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { openUnopenedCatalog, upgradeCheck } from '../../src/catalog/index.js'
import { fileLines, importFixture } from '../../src/catalog/fixture/index.js'
import { makeTempDir } from '../helpers/tmp.js'
import { DEMO_ORG, findRow, openTestStore, rawAppend } from '../repair/corpus.js'

const DEMO_V42 = join(process.cwd(), 'fixtures', 'demo-v42.ndjson')

const item = (id: number, sql: string): string =>
  `{"key":{"gid":{"value":{"User":${id}}}},"kind":"Item","value":{"definition":{"value":{"V1":{"create_sql":${JSON.stringify(sql)}}}},"name":"oops${id}","owner_id":{"value":{"User":1}},"privileges":[],"schema_id":{"value":{"User":8}}}}`

const EXPECTED = [
  'audit_log: row does not decode at catalog version 47: key.event.V1.event_type: missing required field (expected a EventType value (1..5)): {"key":{"event":{"V1":{"id":901}}},"kind":"AuditLog"}',
  'item: row does not decode at catalog version 47: value.schema_id: missing required field (expected a SchemaId object): {"key":{"gid":{"value":{"User":902}}},"kind":"Item","value":{"name":"bad"}}',
  'role: row does not decode at catalog version 47: value.name: missing required field (expected a string): {"key":{"id":{"value":{"User":77}}},"kind":"Role","value":{}}',
  'storage_usage: row does not decode at catalog version 47: key.usage: missing required field (expected a StorageUsageKey variant object ({"V1": \u2026})): {"key":{"metric":{"V1":{"id":5}}},"kind":"StorageUsage"}',
  'inconsistent catalog: Config key {"key":"deploy_generation"} holds the same row 2 times (diff 2): {"key":{"key":"deploy_generation"},"kind":"Config","value":{"value":1}}',
  'item u900 "oops900": create_sql does not parse: Expected AS, found EOF at offset 16',
  'item u901 "oops901": create_sql is not a CREATE statement: it starts with SELECT',
  'item u902 "bad": has no definition (create_sql): there is nothing to plan',
  'cluster u1 \'quickstart\' uses unknown replica size "25cc"',
  'cluster u2 \'ingest\' uses unknown replica size "100cc"',
  'cluster u3 \'serving\' uses unknown replica size "50cc"',
  'replica u1 \'r1\' uses unknown replica size "25cc"',
  'replica u2 \'r1\' uses unknown replica size "100cc"',
  'replica u3 \'r1\' uses unknown replica size "50cc"',
  'replica u4 \'r2\' uses unknown replica size "50cc"',
  'replica u5 \'r1\' uses unknown replica size "25cc"',
]

test('upgrade-check lists every kind of problem in one order', async () => {
  const dir = makeTempDir('upgrade-check-order-')
  try {
    const store = await openTestStore(dir.path('c.db'))
    try {
      await importFixture(store, DEMO_ORG, fileLines(DEMO_V42))
      await rawAppend(store, [
        { data: '{"key":{"event":{"V1":{"id":901}}},"kind":"AuditLog"}', diff: 1n },
        { data: '{"key":{"id":{"value":{"User":77}}},"kind":"Role","value":{}}', diff: 1n },
        { data: '{"key":{"metric":{"V1":{"id":5}}},"kind":"StorageUsage"}', diff: 1n },
        { data: item(900, 'CREATE VIEW oops'), diff: 1n },
        { data: item(901, 'SELECT 1'), diff: 1n },
        { data: '{"key":{"gid":{"value":{"User":902}}},"kind":"Item","value":{"name":"bad"}}', diff: 1n },
        { data: await findRow(store, 'Config', 'deploy_generation'), diff: 1n },
      ])
      const report = await upgradeCheck(await openUnopenedCatalog(store, DEMO_ORG), { replicaSizes: { tiny: {} } })
      assert.equal(report.ok, false)
      assert.deepEqual(report.errors, EXPECTED)
    } finally {
      await store.close()
    }
  } finally {
    dir.cleanup()
  }
})
