/**
 * Builds catalogs as older builds (catalog versions 42–46) left them, for upgrade tests: the rows
 * of a fresh catalog rewritten into the old version's shapes, appended straight to the store.
 */

import { canonicalJson, parseJson, type JsonObject } from '../../src/json/lossless-json.js'
import { catalogShardIds } from '../../src/catalog/catalog-shards.js'
import { initializeCatalog } from '../../src/catalog/index.js'
import type { ShardStore } from '../../src/store/shard-store.js'
import { tempStore } from './catalog-store.js'

/** The rows (canonical text) of a fresh v47 catalog, epoch row excluded. */
export async function freshRows(replicaSize = '1'): Promise<string[]> {
  const t = tempStore('fresh-rows')
  try {
    const store = await t.open()
    const cat = await initializeCatalog(store, '00000000-0000-4000-8000-00000000ffff', { replicaSize, now: () => 0n })
    const rows = await store.snapshot(cat.shards.catalog, cat.upper - 1n)
    await store.close()
    return rows.map((r) => r.data).filter((d) => !d.includes('"kind":"Epoch"'))
  } finally {
    t.cleanup()
  }
}

export interface LegacyOptions {
  /** v42–v44: the value of the system configuration `config_has_synced_once` (`null`: absent). */
  readonly syncedOnce?: string | null
  /** Extra rows (objects) in the old version's shape. */
  readonly extraRows?: readonly JsonObject[]
}

/** Rewrites fresh v47 rows into the shapes of catalog `version`. */
export function toLegacyRows(rows: readonly string[], version: number, opts: LegacyOptions = {}): string[] {
  const out: string[] = []
  for (const text of rows) {
    const row = parseJson(text) as JsonObject
    if (row.kind === 'Config' && (row.key as JsonObject).key === 'user_version') {
      row.value = { value: BigInt(version) }
    }
    if (row.kind === 'Config' && (row.key as JsonObject).key === 'system_config_synced' && version <= 44) continue
    if (row.kind === 'Cluster') legacyCluster(row.value as JsonObject, version)
    out.push(canonicalJson(row))
  }
  if (version <= 44 && opts.syncedOnce !== undefined && opts.syncedOnce !== null) {
    out.push(canonicalJson({ key: { name: 'config_has_synced_once' }, kind: 'ServerConfiguration', value: { value: opts.syncedOnce } }))
  }
  for (const r of opts.extraRows ?? []) out.push(canonicalJson(r))
  return out
}

/** Rewrites a v47 cluster value into the shape of `version` (in place). */
export function legacyCluster(value: JsonObject, version: number): void {
  const managed = ((value.config as JsonObject | null)?.variant as JsonObject | undefined)?.Managed as JsonObject | undefined
  if (version <= 46 && managed !== undefined) delete managed.optimizer_feature_overrides
  if (version <= 45) value.linked_object_id = null
}

/**
 * Writes `rows` as a catalog the way an old build's first writable open did: an empty append at
 * 0, epoch 2 at 1, the contents at 2. Returns the catalog shard id.
 */
export async function writeCatalogRows(store: ShardStore, organizationId: string, rows: readonly string[], epoch = 2n): Promise<string> {
  const shard = catalogShardIds(organizationId).catalog
  await store.openShard(shard, { shardName: 'catalog', labels: { organization_id: organizationId } })
  await appendOrThrow(store, shard, [], 0n)
  await appendOrThrow(store, shard, [{ data: `{"epoch":${epoch},"kind":"Epoch"}`, diff: 1n }], 1n)
  await appendOrThrow(
    store,
    shard,
    rows.map((data) => ({ data, diff: 1n })),
    2n,
  )
  return shard
}

/** Appends updates at `ts` (the shard's upper must be `ts`). */
export async function appendOrThrow(
  store: ShardStore,
  shard: string,
  updates: readonly { data: string; diff: bigint }[],
  ts: bigint,
): Promise<void> {
  const res = await store.compareAndAppend(
    shard,
    updates.map((u) => ({ ...u, ts })),
    ts,
    ts + 1n,
  )
  if (!res.ok) throw new Error(`append at ${ts} lost: upper is ${String(res.current)}`)
}

/** Appends updates at the shard's current upper. */
export async function appendAtUpper(store: ShardStore, shard: string, updates: readonly { data: string; diff: bigint }[]): Promise<bigint> {
  const upper = await store.fetchRecentUpper(shard)
  if (upper === null) throw new Error('finished shard')
  await appendOrThrow(store, shard, updates, upper)
  return upper
}
