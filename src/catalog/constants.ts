/**
 * Constants of the durable catalog, as Materialize v0.91 (catalog version 47) defines them
 * (`src/catalog/src/durable/upgrade.rs`, `initialize.rs`, `impls/persist.rs`).
 */

/**
 * The catalog version this build writes (new catalogs start here, old ones migrate to it) and the
 * oldest it can migrate. Defined once, with the kinds' schemas of every version.
 */
export { CATALOG_VERSION, MIN_CATALOG_VERSION } from './kinds/versions.js'

import { I64_MIN } from '../store/u64.js'

/** Epochs are non-zero; an absent epoch counts as this one when computing the next. */
export const MIN_EPOCH = 1n

/** Human name of the catalog shard (persist `Diagnostics.shard_name`). */
export const CATALOG_SHARD_NAME = 'catalog'
/** Human name of the catalog-upgrade shard. */
export const UPGRADE_SHARD_NAME = 'catalog_upgrade'
/** Label under which shard diagnostics record the organization id (lets a store list its catalogs). */
export const ORGANIZATION_LABEL = 'organization_id'

/**
 * Persist's `CONTROLLER_CRITICAL_SINCE`: the one critical since handle of the catalog shard.
 * Defined once, with the store's handle ids.
 */
export { CONTROLLER_CRITICAL_SINCE as CRITICAL_SINCE_READER_ID } from '../store/ids.js'
/** Purpose recorded with the critical since handle. */
export const CRITICAL_SINCE_PURPOSE = 'durable catalog state critical since'
/**
 * The opaque token of the critical since handle: persist's `i64::initial()` (i64::MIN). The catalog
 * never fences through the opaque, so the token never changes.
 */
export const CRITICAL_SINCE_OPAQUE = I64_MIN

/** Config keys (the `config` collection). */
export const USER_VERSION_KEY = 'user_version'
export const DEPLOY_GENERATION_KEY = 'deploy_generation'
export const SYSTEM_CONFIG_SYNCED_KEY = 'system_config_synced'
export const CATALOG_CONTENT_VERSION_KEY = 'catalog_content_version'

/** Id allocator names (the `id_alloc` collection). */
export const ID_ALLOC = {
  user: 'user',
  system: 'system',
  database: 'database',
  schema: 'schema',
  userRole: 'user_role',
  userCluster: 'user_compute',
  systemCluster: 'system_compute',
  userReplica: 'replica',
  systemReplica: 'system_replica',
  auditLog: 'auditlog',
  storageUsage: 'storage_usage',
} as const

/**
 * The largest u64 (allocators refuse to pass it) and the largest i64 (epochs are `NonZeroI64`):
 * the store's one definition of the integer limits.
 */
export { U64_MAX } from '../store/u64.js'
