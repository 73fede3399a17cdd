/**
 * What every SQLite store operation works with: the connection, prepared statements, the build's
 * identity and clock, and the two transaction shapes.
 *
 * Every state change runs in one `BEGIN IMMEDIATE` transaction: the write lock is taken before the
 * state is read, so a compare-and-set never reads a value another writer is about to change, and
 * waiting for the lock goes through the busy timeout (a deferred transaction upgrading to a write
 * could fail at once with SQLITE_BUSY_SNAPSHOT instead). Every multi-statement read runs in one
 * deferred transaction, which in WAL mode is one consistent snapshot that never blocks writers.
 * The API is synchronous, so no transaction ever spans an `await`.
 */
import type Database from 'better-sqlite3'
import type { LookupExtractor } from '../shard-store.js'
import { mapSqliteError } from './sqlite-errors.js'

/** The connection and identity every operation of one SQLite store works with. */
export interface SqliteContext {
  readonly db: Database.Database
  readonly location: string
  readonly busyTimeoutMs: number
  readonly buildVersion: string
  readonly hostname: string
  readonly now: () => bigint
  readonly lookup: LookupExtractor | undefined
  /** Reads are admitted down to the compaction frontier rather than the since (`OpenStoreOptions.historyReads`). */
  readonly historyReads: boolean
  /** The statement for `sql`, prepared once per connection. */
  stmt(sql: string): Database.Statement
}

/** A {@link SqliteContext} over `db` with a per-connection statement cache. */
export function makeContext(db: Database.Database, fields: Omit<SqliteContext, 'db' | 'stmt'>): SqliteContext {
  const cache = new Map<string, Database.Statement>()
  return {
    ...fields,
    db,
    stmt(sql: string): Database.Statement {
      let s = cache.get(sql)
      if (s === undefined) {
        s = db.prepare(sql)
        cache.set(sql, s)
      }
      return s
    },
  }
}

/** Runs `fn` in one BEGIN IMMEDIATE transaction; a throw rolls everything back. Errors are mapped. */
export function writeTx<T>(ctx: SqliteContext, fn: () => T): T {
  try {
    return ctx.db.transaction(fn).immediate()
  } catch (err) {
    throw mapSqliteError(err, ctx)
  }
}

/** Runs `fn` in one deferred (read) transaction. Errors are mapped. */
export function readTx<T>(ctx: SqliteContext, fn: () => T): T {
  try {
    return ctx.db.transaction(fn).deferred()
  } catch (err) {
    throw mapSqliteError(err, ctx)
  }
}
