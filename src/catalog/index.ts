/**
 * The durable catalog core: the one surface the command line uses.
 *
 * - Versions and collections: {@link CATALOG_VERSION}, {@link MIN_CATALOG_VERSION}, the 18
 *   collection names, their kinds, `parseCollectionName`, `LARGE_COLLECTIONS`.
 * - {@link listCatalogs}: the catalogs a store holds.
 * - {@link openUnopenedCatalog}: the entry point. Checks the persist version gate, then answers
 *   `isInitialized`, `epoch`, `userVersion`, `deployGeneration`, `catalogContentVersion`,
 *   `trace`/`traceStats`, and opens read-only, savepoint, writable or debug.
 * - {@link upgradeCheck}: would this build open the catalog? (savepoint; writes nothing)
 * - {@link initializeCatalog}: creates a new catalog.
 *
 * Nothing here prints; every integer is a `bigint`; every key and value is a `JsonValue` in proto
 * declaration order (render with `displayJson`).
 */

export {
  CATALOG_VERSION,
  MIN_CATALOG_VERSION,
  CATALOG_CONTENT_VERSION_KEY,
  DEPLOY_GENERATION_KEY,
  USER_VERSION_KEY,
  ID_ALLOC,
} from './constants.js'
export {
  COLLECTION_NAMES,
  COLLECTION_KINDS,
  KIND_COLLECTIONS,
  LARGE_COLLECTIONS,
  isCollectionName,
  isLargeCollection,
  parseCollectionName,
  type CollectionName,
} from './kinds/collections.js'
export type { CollectionKindName, KindName } from './kinds/kind-names.js'
export type { JsonValue, JsonObject } from '../json/lossless-json.js'

export { catalogShardIds, listCatalogs, type CatalogListing, type CatalogShardIds } from './catalog-shards.js'
export { openUnopenedCatalog, UnopenedCatalog, type UnopenedCatalogOptions } from './unopened-catalog.js'
export type { TraceEntry, TraceOptions, TraceStats } from './trace.js'
export type { KeyReadResult, KeyValue } from './key-read.js'
export { OPEN_MODES, type OpenMode } from './open-modes.js'
export type { OpenOptions } from './open-catalog.js'
export { DurableCatalog, type StorageUsagePruneOptions, type StorageUsagePruneResult } from './durable-catalog.js'
export {
  DebugCatalog,
  DebugWriteSession,
  type DebugWriteOptions,
  type PendingDebugWrite,
  type DeleteResult,
  type EditResult,
  type HistoryEntry,
} from './debug-catalog.js'
export { upgradeCheck, type UpgradeCheckOptions, type UpgradeReport } from './upgrade-check.js'
export type { UpgradeChange, UpgradeStepReport } from './upgrade/run-upgrades.js'
export { initializeCatalog, type InitializeOptions } from './initialize-catalog.js'

// Building catalogs (fixtures, tests): transactions and value builders.
export {
  CatalogTransaction,
  type ClusterInput,
  type DatabaseInput,
  type DefaultPrivilegeKeyInput,
  type ItemInput,
  type ReplicaInput,
  type SchemaInput,
} from './catalog-transaction.js'
export { Transaction, type AuditEventInput, type StorageUsageInput, type TransactionBatch } from './transaction.js'
export { TableTransaction } from './table-transaction.js'
export * as objects from './object-builders.js'
