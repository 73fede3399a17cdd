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
  ID_ALLOC,
} from './constants.js'
export {
  COLLECTION_NAMES,
  parseCollectionName,
  type CollectionName,
} from './kinds/collections.js'

export { catalogShardIds, listCatalogs } from './catalog-shards.js'
export { openUnopenedCatalog, UnopenedCatalog } from './unopened-catalog.js'

export { DurableCatalog } from './durable-catalog.js'
export type { KeyReadResult, KeyValue } from './key-read.js'
export {
  catalogWriteRecords,
  catalogWrites,
  writeRecordLookup,
  type CatalogWrite,
} from './write-log.js'
export type { StoredWriteRecord } from '../store/shard-store.js'
export { DebugCatalog, type HistoryEntry } from './debug-catalog.js'
export { DebugWriteSession, type UndoResult } from './debug-write-session.js'
export { upgradeCheck, type UpgradeReport } from './upgrade-check.js'
export { commitUpgrade } from './upgrade/commit-upgrade.js'

export { CreationSession } from './creation-session.js'
export { initializeCatalog } from './initialize-catalog.js'

// Building catalogs (fixtures, tests): transactions and value builders.
export { CatalogTransaction } from './catalog-transaction.js'

export * as objects from './object-builders.js'
