/**
 * Opening a SQLite store file with the discipline the store relies on.
 *
 * Read-write: the file format is checked before anything is set (so a foreign, corrupt or newer
 * file is never touched), then `journal_mode=WAL`, `synchronous=FULL` and `foreign_keys=ON` are set
 * and read back, because a wrapper default (better-sqlite3 runs WAL with synchronous=NORMAL) or a
 * filesystem that cannot do WAL would otherwise silently weaken durability.
 *
 * Read-only: `readonly` + `fileMustExist` + `query_only`, so no statement can write. SQLite
 * needs the `-shm` index to read a WAL database: when `-wal`/`-shm` are absent it creates them
 * (empty) beside the file and leaves them after closing; the database file itself is never written.
 * A reader other than the owner, or one that cannot write the file or its directory, creates
 * nothing: it opens the file `immutable` (see `read-only-files.ts`).
 *
 * Integers come back as `bigint` on every connection (`defaultSafeIntegers`).
 */
import Database from './driver.js'
import { isWritable, readOnlyTarget } from './read-only-files.js'
import { statSync, statfsSync } from 'node:fs'
import { NotAStoreError, NotFoundError, StoreCorruptError, StoreError, UsageError } from '../../errors.js'
import { checkStoreFormat, ensureCoveringIndex, initializeSchema, STORE_FORMAT_VERSION } from './schema.js'
import { mapSqliteError } from './sqlite-errors.js'
import { ensureWriteRecordsTable } from './write-records.js'

/** The location that names an in-memory store. */
export const MEMORY_LOCATION = ':memory:'

/** What {@link openDatabase} needs; defaults are resolved by the caller. */
export interface OpenDatabaseOptions {
  readonly readOnly: boolean
  readonly create: boolean
  /** A new file private to this process until closed (`OpenStoreOptions.privateBuild`). */
  readonly privateBuild: boolean
  readonly busyTimeoutMs: number
  readonly buildVersion: string
  readonly nowMs: bigint
}

/** An open, checked connection. */
export interface OpenedDatabase {
  readonly db: Database.Database
  /** Durability-relevant settings as read back from SQLite (for `StoreInfo.settings`). */
  readonly settings: Record<string, string>
  /**
   * The file is being built privately (journal in memory, no fsync): {@link finishPrivateBuild}
   * must run before the connection closes.
   */
  readonly building: boolean
}

const SYNCHRONOUS_NAMES = ['off', 'normal', 'full', 'extra']

/**
 * Opens (and with `create`, initialises) the store at `location`. Throws `NotFoundError` (missing
 * file without `create`), `StoreCorruptError`, `NotAStoreError`, `StoreFormatTooNewError`,
 * `StoreBusyError`, `StoreError`, `UsageError`.
 */
export function openDatabase(location: string, opts: OpenDatabaseOptions): OpenedDatabase {
  const memory = location === MEMORY_LOCATION
  // An in-memory database is always new, so it is always created.
  const create = memory || (opts.create && !opts.readOnly)
  if (memory && opts.readOnly) throw new UsageError('an in-memory store cannot be opened read-only: it would always be empty')
  if (!memory) checkPath(location, create)
  // A file this process may not write is refused before SQLite opens it: opened anyway, it would
  // fail on the first write after creating `-wal`/`-shm` files beside it that the owner may not write.
  if (!memory && !opts.readOnly && statSync(location, { throwIfNoEntry: false }) !== undefined && !isWritable(location)) {
    throw new StoreError(`${location} cannot be written: permission denied`, {
      code: 'store-not-writable',
      hint: 'check the permissions of the file and its directory',
    })
  }
  const ctx = { location, busyTimeoutMs: opts.busyTimeoutMs }
  let db: Database.Database | undefined
  const filename = opts.readOnly && !memory ? readOnlyTarget(location).filename : location
  try {
    db = new Database(filename, { readonly: opts.readOnly, fileMustExist: !create, timeout: opts.busyTimeoutMs })
    db.defaultSafeIntegers(true)
    const format = checkStoreFormat(db, location)
    if (format === 'empty' && !create) {
      throw new NotAStoreError(`${location} is an empty SQLite database, not a catalog-debug store`, {
        hint: 'create a store with `catalog-debug init`',
      })
    }
    const building = opts.privateBuild && create && !memory && !opts.readOnly && format === 'empty'
    if (opts.readOnly) {
      db.pragma('query_only = ON')
    } else {
      if (building) applyBuildDiscipline(db, location)
      else applyWriteDiscipline(db, location, memory)
      if (format === 'empty') initializeSchema(db, location, opts.buildVersion, opts.nowMs)
      // New stores, and stores written before write records existed, get their table on a write open.
      ensureWriteRecordsTable(db)
      // Stores created before the (lookup a, ts) index carried `diff` get it rebuilt.
      ensureCoveringIndex(db)
    }
    return { db, settings: readSettings(db, location, opts), building }
  } catch (err) {
    db?.close()
    throw mapSqliteError(err, ctx)
  }
}

/** Opens another read-only connection to an existing store (for streaming reads). */
export function openReadConnection(location: string, busyTimeoutMs: number): Database.Database {
  try {
    const db = new Database(readOnlyTarget(location).filename, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs })
    db.defaultSafeIntegers(true)
    db.pragma('query_only = ON')
    // A stream reads each page about once, in index order: a small page cache (2 MiB rather than
    // better-sqlite3's 16 MiB) keeps its memory flat and is, if anything, faster.
    db.pragma('cache_size = -2000')
    return db
  } catch (err) {
    throw mapSqliteError(err, { location, busyTimeoutMs })
  }
}

function checkPath(location: string, create: boolean): void {
  const st = statSync(location, { throwIfNoEntry: false })
  if (st === undefined) {
    if (create) return
    throw new NotFoundError(`store ${location} does not exist`, {
      code: 'store-not-found',
      hint: 'check the path, or create a store with `catalog-debug init`',
    })
  }
  if (!st.isFile()) throw new NotAStoreError(`${location} is not a regular file`)
  // SQLite treats a 0-byte file as an empty database; for us it is a store that lost its content.
  if (st.size === 0 && !create) throw new StoreCorruptError(`${location} is empty (0 bytes): a truncated store, or not a store at all`)
}

function applyWriteDiscipline(db: Database.Database, location: string, memory: boolean): void {
  const mode = String(db.pragma('journal_mode = WAL', { simple: true }))
  if (!memory && mode !== 'wal') {
    throw new StoreError(`${location}: cannot use write-ahead logging (journal mode stays ${mode}); is it on a network filesystem?`)
  }
  db.pragma('synchronous = FULL')
  const sync = db.pragma('synchronous', { simple: true }) as bigint
  if (sync !== 2n) throw new StoreError(`${location}: synchronous=FULL did not take effect (got ${sync})`)
  db.pragma('foreign_keys = ON')
  if ((db.pragma('foreign_keys', { simple: true }) as bigint) !== 1n)
    throw new StoreError(`${location}: foreign_keys=ON did not take effect`)
}

/**
 * A private build (see `OpenStoreOptions.privateBuild`): the rollback journal is kept in memory (a
 * rollback still works; pages past the file's size at a transaction's start are not journaled at
 * all, so for a file that only grows the journal stays small) and nothing is synced: each page is
 * written once, to the database file, instead of to the write-ahead log and again at the
 * checkpoint. A crash can leave a torn file, but only under its temporary name, which is never
 * taken for a store and is removed by the next creation.
 */
function applyBuildDiscipline(db: Database.Database, location: string): void {
  const mode = String(db.pragma('journal_mode = MEMORY', { simple: true }))
  if (mode !== 'memory') throw new StoreError(`${location}: journal_mode=MEMORY did not take effect (got ${mode})`)
  db.pragma('synchronous = OFF')
  db.pragma('foreign_keys = ON')
  if ((db.pragma('foreign_keys', { simple: true }) as bigint) !== 1n)
    throw new StoreError(`${location}: foreign_keys=ON did not take effect`)
}

/**
 * Ends a private build: the file becomes a store as every other open expects it (write-ahead
 * logging, synchronous=FULL). The switch to WAL commits in the rollback journal with FULL sync, so
 * SQLite syncs the file, every page written during the build included, before it returns.
 */
export function finishPrivateBuild(db: Database.Database, location: string): void {
  db.pragma('synchronous = FULL')
  const mode = String(db.pragma('journal_mode = WAL', { simple: true }))
  if (mode !== 'wal') {
    throw new StoreError(`${location}: cannot use write-ahead logging (journal mode stays ${mode}); is it on a network filesystem?`)
  }
}

function readSettings(db: Database.Database, location: string, opts: OpenDatabaseOptions): Record<string, string> {
  const sync = Number(db.pragma('synchronous', { simple: true }) as bigint)
  return {
    journal_mode: String(db.pragma('journal_mode', { simple: true })),
    synchronous: SYNCHRONOUS_NAMES[sync] ?? String(sync),
    foreign_keys: String(db.pragma('foreign_keys', { simple: true })),
    busy_timeout_ms: String(opts.busyTimeoutMs),
    read_only: String(opts.readOnly),
    ...(opts.readOnly && location !== MEMORY_LOCATION && readOnlyTarget(location).immutable ? { immutable: 'true' } : {}),
    format_version: String(STORE_FORMAT_VERSION),
    sqlite_version: String(db.prepare('SELECT sqlite_version()').pluck().get()),
    filesystem: location === MEMORY_LOCATION ? 'memory' : filesystemName(location),
  }
}

/** Names the filesystem type when it is one WAL cannot work on safely (shared memory across hosts). */
function filesystemName(location: string): string {
  const known: Record<number, string> = {
    26985: 'nfs',
    4266872130: 'smb2',
    4283649346: 'cifs',
    1702057286: 'fuse',
    16914836: 'tmpfs',
    61267: 'ext4',
  }
  try {
    const type = statfsSync(location).type >>> 0
    return known[type] ?? `0x${type.toString(16)}`
  } catch {
    return 'unknown'
  }
}
