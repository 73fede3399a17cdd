/**
 * `verify` keeps what grows with a catalog (the facts of its items, the ids of the large
 * collections, comments …) in a scratch database on disk, and asks it by SQL: names that clash by
 * GROUP BY, a comment's item by its gid, the items above the user id allocator by count and max,
 * the item a `create_sql` names by its id. A catalog with many items, damaged where each of those
 * answers is needed, gives the findings the in-memory checks gave, through the CLI, and `repair`
 * plans from them; nothing is left in TMPDIR.
 */

import assert from 'node:assert/strict'
import { copyFileSync, mkdirSync } from 'node:fs'
import { after, before, test } from 'node:test'
import { canonicalJson, parseJson } from '../../src/json/lossless-json.js'
import { spawnCli } from '../helpers/cli-process.js'
import { listDir, makeTempDir } from '../helpers/tmp.js'
import { findRow, importDemo, openTestStore, rawAppend } from '../repair/corpus.js'

/** Items added to the demo catalog's 17: enough that none of the checks can see them all at once by accident. */
const MANY = 1500
const FIRST = 1000n

const tmp = makeTempDir('verify-on-disk-')
const location = tmp.path('c.db')
const scratch = tmp.path('scratch')

function secret(id: bigint, name: string, sql?: string): string {
  return canonicalJson({
    key: { gid: { value: { User: id } } },
    kind: 'Item',
    value: {
      definition: { value: { V1: { create_sql: sql ?? `CREATE SECRET "analytics"."staging"."${name}" AS '********'` } } },
      name,
      owner_id: { value: { User: 1n } },
      privileges: [{ acl_mode: { bitflags: 256n }, grantee: { value: { User: 1n } }, grantor: { value: { User: 1n } } }],
      schema_id: { value: { User: 8n } },
    },
  })
}

function view(id: bigint, name: string, ref: string): string {
  return secret(id, name, `CREATE VIEW "analytics"."staging"."${name}" AS SELECT 1 FROM ${ref}`)
}

function comment(itemId: bigint, text: string): string {
  return canonicalJson({
    key: { object: { Secret: { value: { User: itemId } } }, sub_component: null },
    kind: 'Comment',
    value: { comment: text },
  })
}

before(async () => {
  mkdirSync(scratch)
  await importDemo(location)
  const store = await openTestStore(location)
  try {
    const items: string[] = []
    for (let i = 0n; i < BigInt(MANY); i++) items.push(secret(FIRST + i, `s_${i}`))
    // Two items named alike (found by GROUP BY over the item table), apart in the catalog.
    items.push(secret(FIRST + 5000n, 's_7'))
    // A view naming an item that exists under another name, and one naming no item at all.
    items.push(view(FIRST + 5001n, 'v_renamed', '[u1200 AS "analytics"."staging"."old_name"]'))
    items.push(view(FIRST + 5002n, 'v_unknown', '[u77777 AS "analytics"."staging"."gone"]'))
    // Comments on an item that exists and on one that does not.
    const comments = [comment(FIRST + 3n, 'fine'), comment(99999n, 'dangling')]
    await rawAppend(
      store,
      [...items, ...comments].map((data) => ({ data, diff: 1n })),
    )
    // The user id allocator stays where the demo left it, far below the new items.
    const alloc = await findRow(store, 'IdAlloc', '"name":"user"')
    assert.ok(alloc.length > 0)
  } finally {
    await store.close()
  }
})

after(() => tmp.cleanup())

interface Json {
  readonly findings: { check: string; severity: string; message: string; rows: string[] }[]
}

test('verify of a catalog with many items: every finding that needs the on-disk index, as before', async () => {
  const res = await spawnCli(['--store', location, 'verify', '-o', 'json'], { env: { TMPDIR: scratch } })
  assert.equal(res.code, 1, res.stderr)
  const report = parseJson(res.stdout) as unknown as Json
  const lines = report.findings.filter((f) => f.check !== 'store-integrity').map((f) => `${f.check}: ${f.message}`)
  assert.deepEqual(lines, [
    'referential-integrity: comment on Secret u99999 refers to item u99999, which does not exist',
    `unique-names: item name per schema "s_7" in schema u8 is used by 2 items: u1007, u6000`,
    `id-allocators: id allocator "user" has next_id 13, but item u6002 is in use (and ${MANY + 2} more at or above 13): the next allocation would reuse an id`,
    'item-sql: item u6001 "v_renamed": create_sql refers to [u1200 AS "analytics"."staging"."old_name"], but u1200 is named "analytics"."staging"."s_200"',
    'item-sql: item u6002 "v_unknown": create_sql refers to [u77777 AS "analytics"."staging"."gone"], but no item u77777 exists',
  ])
  // The finding about an item names its row, read again from the store.
  const clash = report.findings.find((f) => f.check === 'unique-names')
  assert.deepEqual(clash?.rows, [secret(FIRST + 7n, 's_7'), secret(FIRST + 5000n, 's_7')])
  const alloc = report.findings.find((f) => f.check === 'id-allocators')
  assert.equal(alloc?.rows[1], view(FIRST + 5002n, 'v_unknown', '[u77777 AS "analytics"."staging"."gone"]'))
  // The scratch database's file is unlinked as soon as it is made: nothing is left behind.
  assert.deepEqual(listDir(scratch), [])
})

test('repair plans from the on-disk index: the allocator raised above the highest item id', async () => {
  const copy = tmp.path('copy.db')
  copyFileSync(location, copy)
  const res = await spawnCli(['--store', copy, 'repair', '-o', 'json'], { env: { TMPDIR: scratch } })
  const plan = parseJson(res.stdout) as unknown as { repairs: { action: string; reason: string }[] }
  assert.deepEqual(
    plan.repairs.map((r) => r.action),
    ['raise-id-allocator', 'bump-epoch'],
    res.stderr,
  )
  assert.match(plan.repairs[0]?.reason ?? '', /from next_id 13 to 6003, one above the highest id in use \(6002\)/)
  assert.deepEqual(listDir(scratch), [])
})
