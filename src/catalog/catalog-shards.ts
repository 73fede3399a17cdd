/**
 * Where an organization's catalog lives in a store: its two shards, the diagnostics recorded with
 * them, and how to list the catalogs a store holds.
 */

import type { ShardDiagnostics, ShardStore } from '../store/shard-store.js'
import { CATALOG_SEED, shardId, UPGRADE_SEED } from '../store/shard-id.js'
import { CATALOG_SHARD_NAME, ORGANIZATION_LABEL, UPGRADE_SHARD_NAME } from './constants.js'

/** The shard ids of one organization's catalog. */
export interface CatalogShardIds {
  readonly organizationId: string
  /** The catalog shard (`shardId(org, 1)`): every catalog update. */
  readonly catalog: string
  /** The catalog-upgrade shard (`shardId(org, 2)`): holds no data; its version stamp says which build last opened the catalog writable. */
  readonly upgrade: string
}

export function catalogShardIds(organizationId: string): CatalogShardIds {
  return { organizationId, catalog: shardId(organizationId, CATALOG_SEED), upgrade: shardId(organizationId, UPGRADE_SEED) }
}

/** Diagnostics of the catalog shard; the organization label is what {@link listCatalogs} finds. */
export function catalogShardDiagnostics(organizationId: string): ShardDiagnostics {
  return { shardName: CATALOG_SHARD_NAME, labels: { [ORGANIZATION_LABEL]: organizationId } }
}

/** Diagnostics of the catalog-upgrade shard. */
export function upgradeShardDiagnostics(organizationId: string): ShardDiagnostics {
  return { shardName: UPGRADE_SHARD_NAME, labels: { [ORGANIZATION_LABEL]: organizationId } }
}

/** A catalog found in a store. */
export interface CatalogListing {
  readonly organizationId: string
  readonly shardId: string
  /** The catalog shard's upper (`null`: finished), since and number of stored updates. */
  readonly upper: bigint | null
  readonly since: bigint | null
  readonly updates: bigint
}

/**
 * The catalogs a store holds: every shard named `catalog` whose diagnostics carry an organization
 * id that derives its id (shards created by something else are skipped). Sorted by organization
 * id. Never writes.
 */
export async function listCatalogs(store: ShardStore): Promise<CatalogListing[]> {
  const out: CatalogListing[] = []
  for (const s of await store.listShards()) {
    if (s.shardName !== CATALOG_SHARD_NAME) continue
    const org = s.labels[ORGANIZATION_LABEL]
    if (org === undefined || catalogShardIds(org).catalog !== s.shardId) continue
    out.push({ organizationId: org, shardId: s.shardId, upper: s.upper, since: s.since, updates: s.updates })
  }
  return out.sort((a, b) => (a.organizationId < b.organizationId ? -1 : a.organizationId > b.organizationId ? 1 : 0))
}
