/**
 * Backup of a SQLite store (`catalog-debug backup`). Backups are online and consistent: SQLite's
 * backup API copies the database as of one read transaction while writers continue. The copy is
 * written next to its destination first and renamed into place only once it is complete and
 * passes the integrity check, so a crash leaves either the old file or the new one, never a
 * mixture. Restoring one is `restore.ts`.
 */

import { chmodSync, existsSync, statSync } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { RefusedError, UsageError } from '../../errors.js'
import { isPostgresLocation } from '../../store/open-store.js'
import type { ShardStore } from '../../store/shard-store.js'
import { backupCapable, checkedListing, frontiersOf, removeSidecars, tempPath, type ShardFrontiers } from './store-file.js'

export interface BackupResult {
  /** The backup file written. */
  readonly target: string
  readonly bytes: number
  /** Every shard in the backup, with the frontiers it was copied at. */
  readonly shards: readonly ShardFrontiers[]
}

export interface BackupOptions {
  /** Replace an existing file at `target`. Default false (refused). */
  readonly overwrite?: boolean
}

/**
 * Copies `store` to the file `target`, online and consistently, and checks the copy (integrity
 * check, shard listing). Refuses an existing `target` unless `overwrite`. Throws `UsageError`
 * for a store that is not SQLite.
 */
export async function backupStore(store: ShardStore, target: string, opts: BackupOptions = {}): Promise<BackupResult> {
  const source = backupCapable(store)
  if (isPostgresLocation(target) || target === ':memory:') throw new UsageError(`a backup target must be a file path, not ${target}`)
  if (existsSync(target) && opts.overwrite !== true) {
    throw new RefusedError(`${target} already exists; not overwriting it`, {
      code: 'target-exists',
      hint: 'choose a new file name, or pass --force',
    })
  }
  const tmp = tempPath(target)
  try {
    await source.backup(tmp)
    // A backup is a store: owner-only, like every store this tool creates.
    chmodSync(tmp, 0o600)
    const shards = await checkedListing(tmp, 'the backup')
    await removeSidecars(tmp)
    await rename(tmp, target)
    await removeSidecars(target)
    return { target, bytes: statSync(target).size, shards: shards.map(frontiersOf) }
  } catch (err) {
    await rm(tmp, { force: true })
    await removeSidecars(tmp)
    throw err
  }
}
