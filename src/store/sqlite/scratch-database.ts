/**
 * A scratch database: a private, temporary SQLite database for the indexes a command builds while
 * it reads a catalog (names, ids, per-item facts), so that they live on disk, not in the heap, and
 * a command's memory stays the same whatever the catalog's size.
 *
 * SQLite makes it (`new Database('')`): pages stay in a bounded page cache (`cacheKiB`) and spill
 * to an anonymous file in `SQLITE_TMPDIR`/`TMPDIR` (else `/var/tmp`, `/tmp`) that is unlinked as
 * soon as it is opened, so nothing is left behind, even when the process is killed, and no other
 * user can open it. There is no journal and no fsync: the database dies with its connection.
 *
 * Integers come back as `bigint` unless a statement asks for numbers (`numbers: true`).
 */
import Database from './driver.js'

/** A prepared statement on a scratch database. Parameters are positional or one named object. */
export interface ScratchStatement {
  run(...params: unknown[]): void
  get(...params: unknown[]): Record<string, unknown> | undefined
  all(...params: unknown[]): Record<string, unknown>[]
  iterate(...params: unknown[]): IterableIterator<Record<string, unknown>>
}

export interface ScratchDatabase {
  /** Runs one or more statements without results (DDL). */
  exec(sql: string): void
  /** Prepares one statement; `numbers` returns integers as JS numbers instead of `bigint`. */
  prepare(sql: string, options?: { readonly numbers?: boolean }): ScratchStatement
  /**
   * {@link prepare}, made once per text and options and then reused: for the statements a caller
   * runs many times. Two iterations of one such statement cannot be open at the same time.
   */
  statement(sql: string, options?: { readonly numbers?: boolean }): ScratchStatement
  /** Runs `fn` in one transaction (much faster for many inserts); rolls back if it throws. */
  transaction<T>(fn: () => T): T
  close(): void
}

export interface ScratchOptions {
  /** The page cache, in KiB: the most memory the database holds before it spills (default 8 MiB). */
  readonly cacheKiB?: number
}

const DEFAULT_CACHE_KIB = 8 * 1024

/** Opens a new, empty scratch database. Errors are better-sqlite3's own (an unusable temp dir …). */
export function openScratchDatabase(options: ScratchOptions = {}): ScratchDatabase {
  const db = new Database('')
  try {
    db.defaultSafeIntegers(true)
    const cacheKiB = Math.max(64, Math.floor(options.cacheKiB ?? DEFAULT_CACHE_KIB))
    db.pragma('journal_mode = OFF')
    db.pragma('synchronous = OFF')
    db.pragma('temp_store = FILE')
    db.pragma(`cache_size = -${cacheKiB}`)
    db.pragma('locking_mode = EXCLUSIVE')
  } catch (e) {
    db.close()
    throw e
  }
  const cached = new Map<string, ScratchStatement>()
  const prepare = (sql: string, opts?: { readonly numbers?: boolean }): ScratchStatement => {
    const statement = db.prepare(sql)
    if (opts?.numbers === true) statement.safeIntegers(false)
    return {
      run: (...params) => void statement.run(...params),
      get: (...params) => statement.get(...params) as Record<string, unknown> | undefined,
      all: (...params) => statement.all(...params) as Record<string, unknown>[],
      iterate: (...params) => statement.iterate(...params) as IterableIterator<Record<string, unknown>>,
    }
  }
  return {
    exec: (sql) => void db.exec(sql),
    prepare,
    statement: (sql, opts) => {
      const key = `${opts?.numbers === true ? 'n' : 'b'}:${sql}`
      let statement = cached.get(key)
      if (statement === undefined) {
        statement = prepare(sql, opts)
        cached.set(key, statement)
      }
      return statement
    },
    transaction: (fn) => db.transaction(fn)(),
    close: () => {
      if (db.open) db.close()
    },
  }
}
