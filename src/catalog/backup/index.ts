/** Backup and restore of SQLite stores (`catalog-debug backup` / `restore`). */

export { backupStore, type BackupResult } from './backup.js'
export { restoreStore, type RestoreResult, type UpperRegression } from './restore.js'
export type { ShardFrontiers } from './store-file.js'
export type { RestoredEpoch } from './fence-restored.js'
