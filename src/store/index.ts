/**
 * The shard store's public entry: what the command line may use. Everything here is light to
 * import (the SQLite and PostgreSQL backends load on first open), so `--help` pays for none of it.
 * The catalog core, which implements the durable catalog on top of the store, may reach further
 * in (`shard-store.ts`, `u64.ts`, `frontier.ts`, …); the command line goes through this file.
 */
export { humanVersion } from './build-version.js'
export {
  createExclusively,
  displayLocation,
  isUrlLike,
  namesStoreOrSidecar,
  parseStoreLocation,
  regularFileOrAbsent,
  secretsOf,
  type StoreLocation,
} from './location/index.js'
export { openStore } from './open-store.js'
export type { ShardStore, WriteRecord } from './shard-store.js'
