/**
 * `verify`'s findings on the demo catalog, healthy and damaged in every way the checks know (the
 * repair corpus, plus damage to items, comments and the large collections), compared with a
 * golden file recorded before verify stopped keeping decoded rows: the compact indexes it keeps
 * now must find exactly what the decoded rows found, in the same order, with the same rows.
 * Both paths are checked: the streamed `verifyStore` and `verifyRows` on the consolidated rows.
 */

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { verifyRows, verifyStore, type Finding } from '../../src/catalog/verify/index.js'
import { canonicalJson, parseJson, type JsonObject } from '../../src/json/lossless-json.js'
import type { ShardStore } from '../../src/store/shard-store.js'
import { assertGoldenLines } from '../helpers/catalog-golden.js'
import { makeTempDir } from '../helpers/tmp.js'
import { currentRows, DAMAGE, DEMO_ORG, findRow, importDemo, openTestStore, rawAppend } from '../repair/corpus.js'

function edited(text: string, change: (doc: JsonObject) => void): string {
  const doc = parseJson(text) as JsonObject
  change(doc)
  return canonicalJson(doc)
}

const value = (doc: JsonObject): JsonObject => doc.value as JsonObject
const user = (n: bigint): JsonObject => ({ value: { User: n } })

/** Replaces the one current row of `kind` holding `needle` with its edited copy. */
async function replace(store: ShardStore, kind: string, needle: string, change: (doc: JsonObject) => void): Promise<void> {
  const row = await findRow(store, kind, needle)
  await rawAppend(store, [
    { data: row, diff: -1n },
    { data: edited(row, change), diff: 1n },
  ])
}

/** Damage to the rows verify no longer keeps decoded: items, and the large collections' ids. */
const ITEM_DAMAGE = {
  /** View u7 names another item and a missing one; index u9's SQL does not parse. */
  async itemSql(store: ShardStore): Promise<void> {
    await replace(store, 'Item', '"gid":{"value":{"User":7}}', (d) => {
      const v1 = ((value(d).definition as JsonObject).value as JsonObject).V1 as JsonObject
      v1.create_sql = 'CREATE VIEW "analytics"."marts"."wrong" AS SELECT * FROM [u99 AS "x"."y"."z"], [u6 AS "a"."b"."c"]'
    })
    await replace(store, 'Item', '"gid":{"value":{"User":9}}', (d) => {
      const v1 = ((value(d).definition as JsonObject).value as JsonObject).V1 as JsonObject
      v1.create_sql = 'CREATE INDEX'
    })
  },
  /** The staging schema is gone: its items dangle and their names cannot be resolved. */
  async itemSchemaGone(store: ShardStore): Promise<void> {
    await rawAppend(store, [{ data: await findRow(store, 'Schema', '"name":"staging"'), diff: -1n }])
  },
  /** Item u40 is a copy of u6 (the same name in the same schema), above the user allocator. */
  async itemDuplicate(store: ShardStore): Promise<void> {
    const row = await findRow(store, 'Item', '"gid":{"value":{"User":6}}')
    await rawAppend(store, [{ data: edited(row, (d) => (d.key = { gid: user(40n) })), diff: 1n }])
  },
  /** Item u6 holds a second value (another name). */
  async itemSecondValue(store: ShardStore): Promise<void> {
    const row = await findRow(store, 'Item', '"gid":{"value":{"User":6}}')
    await rawAppend(store, [{ data: edited(row, (d) => (value(d).name = 'customers_2')), diff: 1n }])
  },
  /** Item u8 has no owner and grants to a missing role; item u10 has no schema. */
  async itemOwnerless(store: ShardStore): Promise<void> {
    await replace(store, 'Item', '"gid":{"value":{"User":8}}', (d) => {
      value(d).owner_id = null
      value(d).privileges = [{ acl_mode: { bitflags: 256n }, grantee: user(77n), grantor: user(1n) }, 'odd']
    })
    await replace(store, 'Item', '"gid":{"value":{"User":10}}', (d) => {
      value(d).schema_id = null
    })
  },
  /** A comment on table u99, which does not exist; another on view u6 as if it were a view. */
  async comments(store: ShardStore): Promise<void> {
    const row = await findRow(store, 'Comment', 'Customers mirrored nightly')
    await rawAppend(store, [
      { data: edited(row, (d) => ((d.key as JsonObject).object = { Table: user(99n) })), diff: 1n },
      { data: edited(row, (d) => ((d.key as JsonObject).object = { View: user(6n) })), diff: 1n },
    ])
  },
  /** The audit-log and storage-usage allocators fall behind their events. */
  async largeAllocators(store: ShardStore): Promise<void> {
    await replace(store, 'IdAlloc', '"name":"auditlog"', (d) => (value(d).next_id = 3n))
    await replace(store, 'IdAlloc', '"name":"storage_usage"', (d) => (value(d).next_id = 1n))
  },
} as const satisfies Record<string, (store: ShardStore) => Promise<void>>

type Damage = (store: ShardStore) => Promise<void>
const CASES: [string, Damage[]][] = [
  ['healthy', []],
  ...Object.entries({ ...DAMAGE, ...ITEM_DAMAGE }).map(([name, d]): [string, Damage[]] => [name, [d]]),
  ['everything', [DAMAGE.missingRole, DAMAGE.duplicateName, DAMAGE.dangling, DAMAGE.heldTwice, ...Object.values(ITEM_DAMAGE)]],
]

const STORE_CHECKS = new Set(['store-integrity', 'frontiers', 'seqno'])
const line = (f: Finding): string => JSON.stringify({ check: f.check, severity: f.severity, message: f.message, rows: f.rows })

test('verify finds on the damaged demo catalogs exactly what it found before (golden), by both paths', async () => {
  const dir = makeTempDir('verify-golden-')
  const lines: string[] = []
  for (const [i, [name, damage]] of CASES.entries()) {
    const location = dir.path(`c${i}.db`)
    await importDemo(location)
    const store = await openTestStore(location)
    try {
      for (const d of damage) await d(store)
      const report = await verifyStore(store, DEMO_ORG)
      lines.push(`case ${name}: ok ${report.ok}, v${report.catalogVersion}, ${report.rows} rows`, ...report.findings.map(line))
      const rows = [...(await currentRows(store))].map(([data, diff]) => ({ data, diff }))
      const fromRows = verifyRows(rows).findings.map(line)
      assert.deepEqual(fromRows, report.findings.filter((f) => !STORE_CHECKS.has(f.check)).map(line), `case ${name}`)
    } finally {
      await store.close()
    }
  }
  dir.cleanup()
  assertGoldenLines('verify-reports.txt', lines)
})
