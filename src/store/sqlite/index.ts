/** The SQLite backend of the shard store. */
export { SqliteShardStore } from './sqlite-shard-store.js'
export { RESTORE_LOCK_TIMEOUT_MS, type RestoreFromOptions } from './restore.js'
export { APPLICATION_ID, STORE_FORMAT_VERSION } from './schema.js'
export { openRawDatabase, type RawDatabase } from './raw-database.js'
