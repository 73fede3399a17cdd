/** Backup and restore of SQLite stores (`catalog-debug backup` / `restore`). */

export {
  backupStore,
  restoreStore,
  upperRegressions,
  type BackupOptions,
  type BackupResult,
  type RestoreOptions,
  type RestoreResult,
  type ShardFrontiers,
  type UpperRegression,
} from './backup.js'
