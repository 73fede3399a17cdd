/** Backup and restore of SQLite stores (`catalog-debug backup` / `restore`). */

export {
  backupStore,
  restoreStore,
  type BackupResult,
  type RestoreResult,
  type ShardFrontiers,
  type UpperRegression,
} from './backup.js'
export type { RestoredEpoch } from './fence-restored.js'
