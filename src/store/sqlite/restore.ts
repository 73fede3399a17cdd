/**
 * Restoring a SQLite store in place from a backup file, online and under SQLite's own locks.
 *
 * The backup's pages are copied into the store file through SQLite's backup API (backup →
 * store), as one write transaction on the store: every other connection to the store sees the
 * change through SQLite's locking (its next transaction reads the restored state; a reader in the
 * middle of a transaction keeps its snapshot), so nothing another connection commits later is
 * lost, as it would be if the file were renamed away under it.
 *
 * Before copying, the store's write lock is taken with a short busy timeout: a restore while
 * another connection is writing is refused (`StoreBusyError` code `store-in-use`), and the
 * caller's `check` sees the store's shards as of that lock (the restore guard runs there). The
 * lock is released just before the copy takes it again (better-sqlite3's backup opens its own
 * destination connection), so a writer that commits in that instant is overwritten: a restore must
 * still run with no other process attached. An idle connection (no transaction) is invisible to
 * SQLite's locks.
 */
import type Database from 'better-sqlite3'
import { StoreBusyError } from '../../errors.js'
import type { ShardListing } from '../shard-store.js'
import { shardListing } from '../state/shard-row.js'
import type { SqliteContext } from './context.js'
import { openReadConnection } from './open-database.js'
import { loadAllShards } from './shard-row.js'
import { mapSqliteError, sqliteCode } from './sqlite-errors.js'

/** How long a restore waits for the store's write lock before refusing (ms). */
export const RESTORE_LOCK_TIMEOUT_MS = 250

export interface RestoreFromOptions {
  /** Runs under the store's write lock with its current shards; throw to refuse (nothing is copied). */
  readonly check?: (current: ShardListing[]) => void
  /** Wait at most this long for the write lock (default {@link RESTORE_LOCK_TIMEOUT_MS}). */
  readonly lockTimeoutMs?: number
}

function inUse(location: string, cause?: unknown): StoreBusyError {
  return new StoreBusyError(`${location} is in use by another process (it holds a transaction on the store)`, {
    code: 'store-in-use',
    cause,
  })
}

/** Takes the write lock (refusing a store in use), runs `check`, releases the lock. */
function checkUnderLock(ctx: SqliteContext, lockTimeoutMs: number, check: RestoreFromOptions['check']): void {
  const db = ctx.db
  const previous = db.pragma('busy_timeout', { simple: true }) as bigint
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(lockTimeoutMs))}`)
  try {
    try {
      // In WAL mode EXCLUSIVE is IMMEDIATE: it fails while another connection writes.
      db.exec('BEGIN EXCLUSIVE')
    } catch (err) {
      if (sqliteCode(err)?.startsWith('SQLITE_BUSY') === true) throw inUse(ctx.location, err)
      throw mapSqliteError(err, ctx)
    }
    try {
      const current = loadAllShards(ctx).map(shardListing)
      check?.(current)
    } finally {
      db.exec('ROLLBACK')
    }
  } finally {
    db.pragma(`busy_timeout = ${previous}`)
  }
}

/**
 * Copies the store file `sourcePath` (a checked backup) over the store `ctx` is connected to.
 * Returns the number of pages copied. Throws what `check` throws, `StoreBusyError` (`store-in-use`)
 * when the store's write lock cannot be had, or mapped SQLite errors.
 */
export async function restoreFrom(ctx: SqliteContext, sourcePath: string, opts: RestoreFromOptions = {}): Promise<{ pages: number }> {
  checkUnderLock(ctx, opts.lockTimeoutMs ?? RESTORE_LOCK_TIMEOUT_MS, opts.check)
  const source: Database.Database = openReadConnection(sourcePath, ctx.busyTimeoutMs)
  let pages: number
  try {
    const meta = await source.backup(ctx.location)
    // better-sqlite3 reports a copy whose first step met a locked store as finished with 0 pages.
    if (meta.totalPages === 0) throw inUse(ctx.location)
    pages = meta.totalPages
  } catch (err) {
    if (err instanceof StoreBusyError) throw err
    if (sqliteCode(err)?.startsWith('SQLITE_BUSY') === true) throw inUse(ctx.location, err)
    throw mapSqliteError(err, { location: ctx.location, busyTimeoutMs: ctx.busyTimeoutMs })
  } finally {
    source.close()
  }
  try {
    // The copy committed on better-sqlite3's own connection; checkpoint it through ours
    // (synchronous=FULL) so it is in the store file and durable.
    ctx.db.pragma('wal_checkpoint(FULL)')
  } catch (err) {
    throw mapSqliteError(err, ctx)
  }
  return { pages }
}
