/**
 * Broken catalogs for the repair tests, built from the demo catalog: import
 * fixtures/demo-v47.ndjson into a SQLite store, then damage it with raw appends through the store
 * API (no epoch bump, no validation), as a buggy writer or a bad manual edit would.
 */

import { join } from 'node:path'
import { rowLookup } from '../../src/catalog/codec/row-codec.js'
import { catalogShardIds } from '../../src/catalog/catalog-shards.js'
import { fileLines, importFixture } from '../../src/catalog/fixture/index.js'
import { canonicalJson, parseJson, type JsonObject } from '../../src/json/lossless-json.js'
import type { ShardStore, Update } from '../../src/store/shard-store.js'
import { openStore } from '../../src/store/open-store.js'

export const DEMO = join(process.cwd(), 'fixtures', 'demo-v47.ndjson')
export const DEMO_ORG = '3f5c8a2e-6b1d-4e7a-9c0f-1d2e3f4a5b6c'
export const SHARD = catalogShardIds(DEMO_ORG).catalog

export async function openTestStore(location: string): Promise<ShardStore> {
  return openStore(location, { create: true, lookup: rowLookup, buildVersion: '0.91.0' })
}

/** Imports the demo catalog into the (empty) store at `location`. */
export async function importDemo(location: string): Promise<void> {
  const store = await openTestStore(location)
  try {
    await importFixture(store, DEMO_ORG, fileLines(DEMO))
  } finally {
    await store.close()
  }
}

/** The consolidated current rows (text → count). */
export async function currentRows(store: ShardStore): Promise<Map<string, bigint>> {
  const upper = await store.fetchRecentUpper(SHARD)
  const out = new Map<string, bigint>()
  for (const u of await store.snapshot(SHARD, (upper as bigint) - 1n)) out.set(u.data, u.diff)
  return out
}

/** The one current row of `kind` whose text contains `needle`. */
export async function findRow(store: ShardStore, kind: string, needle: string): Promise<string> {
  const rows = [...(await currentRows(store)).keys()].filter((t) => t.includes(`"kind":"${kind}"`) && t.includes(needle))
  if (rows.length !== 1) throw new Error(`expected one ${kind} row with ${needle}, found ${rows.length}`)
  return rows[0] as string
}

/** Appends raw updates at the upper (one compare-and-append, no epoch bump). */
export async function rawAppend(store: ShardStore, updates: readonly Omit<Update, 'ts'>[]): Promise<void> {
  const upper = (await store.fetchRecentUpper(SHARD)) as bigint
  const res = await store.compareAndAppend(
    SHARD,
    updates.map((u) => ({ ...u, ts: upper })),
    upper,
    upper + 1n,
  )
  if (!res.ok) throw new Error('raw append lost a race')
}

function edited(text: string, change: (doc: JsonObject) => void): string {
  const doc = parseJson(text) as JsonObject
  change(doc)
  return canonicalJson(doc)
}

/** One kind of damage each; `several` combines four. */
export const DAMAGE = {
  /** The database allocator falls behind databases u1..u3. */
  async allocatorBehind(store: ShardStore): Promise<void> {
    const row = await findRow(store, 'IdAlloc', '"name":"database"')
    await rawAppend(store, [
      { data: row, diff: -1n },
      { data: edited(row, (d) => ((d.value as JsonObject).next_id = 2n)), diff: 1n },
    ])
  },
  /** The deploy_generation config is held twice. */
  async heldTwice(store: ShardStore): Promise<void> {
    await rawAppend(store, [{ data: await findRow(store, 'Config', 'deploy_generation'), diff: 1n }])
  },
  /** A comment retracted twice: multiplicity −1. */
  async negative(store: ShardStore): Promise<void> {
    const rows = [...(await currentRows(store)).keys()].filter((t) => t.includes('"kind":"Comment"'))
    await rawAppend(store, [{ data: rows[0] as string, diff: -2n }])
  },
  /** The setting stored with spaces and another key order. */
  async nonCanonical(store: ShardStore): Promise<void> {
    const row = await findRow(store, 'Setting', 'catalog_content_version')
    await rawAppend(store, [
      { data: row, diff: -1n },
      { data: '{"kind": "Setting", "key": {"name": "catalog_content_version"}, "value": {"value": "0.91.0"}}', diff: 1n },
    ])
  },
  /** The quickstart cluster in its catalog v45 shape (linked_object_id, no optimizer_feature_overrides). */
  async olderShape(store: ShardStore): Promise<void> {
    const row = await findRow(store, 'Cluster', '"name":"quickstart"')
    const old = edited(row, (d) => {
      const v = d.value as JsonObject
      v.linked_object_id = null
      delete ((v.config as JsonObject).variant as { Managed: JsonObject }).Managed.optimizer_feature_overrides
    })
    await rawAppend(store, [
      { data: row, diff: -1n },
      { data: old, diff: 1n },
    ])
  },
  /** The setting stored with its value twice (a duplicate JSON key: which one holds is a guess). */
  async duplicateKey(store: ShardStore): Promise<void> {
    const row = await findRow(store, 'Setting', 'catalog_content_version')
    await rawAppend(store, [
      { data: row, diff: -1n },
      { data: '{"key":{"name":"catalog_content_version"},"kind":"Setting","value":{"value":"0.90.0","value":"0.91.0"}}', diff: 1n },
    ])
  },
  /** A row of a kind no catalog version has. */
  async noShape(store: ShardStore): Promise<void> {
    await rawAppend(store, [{ data: '{"key":{"name":"x"},"kind":"Bogus","value":{}}', diff: 1n }])
  },
  /** Schema u20 "orphan" in database u9, which does not exist (also: the schema allocator falls behind). */
  async dangling(store: ShardStore): Promise<void> {
    const schema = await findRow(store, 'Schema', '"name":"staging"')
    const orphan = edited(schema, (d) => {
      d.key = { id: { value: { User: 20n } } }
      const v = d.value as JsonObject
      v.database_id = { value: { User: 9n } }
      v.name = 'orphan'
    })
    await rawAppend(store, [{ data: orphan, diff: 1n }])
  },
  /** Role u2 is gone: item u6 still names it as owner, grantee and grantor. */
  async missingRole(store: ShardStore): Promise<void> {
    await rawAppend(store, [{ data: await findRow(store, 'Role', '"id":{"value":{"User":2}}'), diff: -1n }])
  },
  /** Role u50 named like role u1 (also: the user_role allocator falls behind). */
  async duplicateName(store: ShardStore): Promise<void> {
    const role = await findRow(store, 'Role', '"id":{"value":{"User":1}}')
    await rawAppend(store, [{ data: edited(role, (d) => (d.key = { id: { value: { User: 50n } } })), diff: 1n }])
  },
} as const satisfies Record<string, (store: ShardStore) => Promise<void>>
