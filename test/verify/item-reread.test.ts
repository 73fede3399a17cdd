/**
 * `verify` keeps no stored text of items: a finding that names an item reads the item's row again
 * from the store by its lookup key. These are the rows that lookup is least obvious for: a key
 * holding several values (the facts' hash picks the one meant), a row stored non-canonically (its
 * lookup key is the canonical key, computed the slow way), and a key with a field the schema does
 * not have (the lookup key is not `{"gid":…}`). Each must give the findings `verifyRows` gives on
 * the same rows, which keeps every text.
 */

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { verifyRows, verifyStore, type Finding } from '../../src/catalog/verify/index.js'
import { canonicalJson, parseJson, type JsonObject } from '../../src/json/lossless-json.js'
import type { ShardStore } from '../../src/store/shard-store.js'
import { makeTempDir } from '../helpers/tmp.js'
import { currentRows, DEMO_ORG, findRow, importDemo, openTestStore, rawAppend } from '../repair/corpus.js'

const STORE_CHECKS = new Set(['store-integrity', 'frontiers', 'seqno'])
const line = (f: Finding): string => JSON.stringify({ check: f.check, severity: f.severity, message: f.message, rows: f.rows })

async function findingsBothWays(damage: (store: ShardStore) => Promise<void>): Promise<Finding[]> {
  const dir = makeTempDir('verify-reread-')
  const location = dir.path('c.db')
  try {
    await importDemo(location)
    const store = await openTestStore(location)
    try {
      await damage(store)
      const report = await verifyStore(store, DEMO_ORG)
      const rows = [...(await currentRows(store))].map(([data, diff]) => ({ data, diff }))
      const streamed = report.findings.filter((f) => !STORE_CHECKS.has(f.check))
      assert.deepEqual(streamed.map(line), verifyRows(rows).findings.map(line))
      return streamed
    } finally {
      await store.close()
    }
  } finally {
    dir.cleanup()
  }
}

const doc = (text: string): JsonObject => parseJson(text) as JsonObject
const value = (d: JsonObject): JsonObject => d.value as JsonObject

test('an item key with three values: the finding names the value it is about, read again by its hash', async () => {
  let texts: string[] = []
  const findings = await findingsBothWays(async (store) => {
    const row = await findRow(store, 'Item', '"gid":{"value":{"User":6}}')
    texts = [1n, 2n].map((n) => {
      const d = doc(row)
      value(d).schema_id = { value: { User: 900n + n } }
      return canonicalJson(d)
    })
    await rawAppend(
      store,
      texts.map((data) => ({ data, diff: 1n })),
    )
  })
  // The reference check reads one value per key (the last in data order); the key's other values
  // are the multiplicity finding's.
  const dangling = findings.filter((f) => f.check === 'referential-integrity' && f.message.includes('schema u90'))
  assert.deepEqual(
    dangling.map((f) => f.rows),
    [[texts[1]]],
  )
  const values = findings.find((f) => f.check === 'multiplicity')
  assert.equal(values?.rows.length, 3)
})

test('a non-canonical item row that dangles is read again by its canonical key', async () => {
  let stored = ''
  const findings = await findingsBothWays(async (store) => {
    const row = await findRow(store, 'Item', '"gid":{"value":{"User":8}}')
    const d = doc(row)
    value(d).schema_id = { value: { User: 999n } }
    stored = ` ${canonicalJson(d)}`
    await rawAppend(store, [
      { data: row, diff: -1n },
      { data: stored, diff: 1n },
    ])
  })
  const dangling = findings.find((f) => f.check === 'referential-integrity' && f.message.includes('u999'))
  assert.deepEqual(dangling?.rows, [stored])
})

test('an item whose key has a field the schema does not have, named twice, is read again by its own lookup key', async () => {
  let copy = ''
  const findings = await findingsBothWays(async (store) => {
    const row = await findRow(store, 'Item', '"gid":{"value":{"User":6}}')
    const d = doc(row)
    d.key = { extra: 1n, gid: { value: { User: 41n } } }
    copy = canonicalJson(d)
    await rawAppend(store, [{ data: copy, diff: 1n }])
  })
  const clash = findings.find((f) => f.check === 'unique-names')
  assert.ok(clash?.rows.includes(copy), JSON.stringify(findings.map((f) => f.message)))
})
