/**
 * Maps SQLite result codes to the tool's error hierarchy. A SQLite error aborts the transition it
 * happened in (better-sqlite3 rolls the transaction back), so every mapped error is determinate:
 * nothing was committed.
 */
import { CatalogDebugError, StoreBusyError, StoreCorruptError, StoreError } from '../../errors.js'

/** Where an error happened, for messages. */
export interface ErrorContext {
  readonly location: string
  readonly busyTimeoutMs: number
}

/** The extended result code (`SQLITE_BUSY_SNAPSHOT`, …) of a better-sqlite3 error, if it is one. */
export function sqliteCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined
}

/**
 * The tool error for `err`: our own errors pass through unchanged, SQLite errors are classified
 * (busy/locked → transient `StoreBusyError`; corrupt/not a database → `StoreCorruptError`;
 * a file that may not be written, disk full, I/O and anything else → `StoreError`), other values
 * (bugs) are returned as they are.
 */
export function mapSqliteError(err: unknown, ctx: ErrorContext): unknown {
  if (err instanceof CatalogDebugError) return err
  const code = sqliteCode(err)
  if (code === undefined) return err
  const message = (err as Error).message
  const opts = { cause: err, details: { sqliteCode: code } }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreBusyError(`${ctx.location} is locked by another connection (gave up after ${ctx.busyTimeoutMs} ms): ${message}`, {
      ...opts,
      hint: 'another process is writing to this store; retry later or raise the busy timeout',
    })
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new StoreCorruptError(`${ctx.location} is damaged or not a SQLite database: ${message} (${code})`, {
      ...opts,
      hint: 'restore it from a backup',
    })
  }
  if (code.startsWith('SQLITE_READONLY')) {
    // The file (or its directory, or the file system) may not be written: a failure of the
    // store (exit 1), as a PostgreSQL server that refuses a write is; not a refusal of ours.
    return new StoreError(`${ctx.location} cannot be written: ${message} (${code})`, {
      ...opts,
      code: 'store-not-writable',
      hint: 'check the permissions of the file and its directory',
    })
  }
  if (code === 'SQLITE_FULL') return new StoreError(`${ctx.location}: the disk is full; nothing was written`, opts)
  if (code.startsWith('SQLITE_IOERR')) return new StoreError(`${ctx.location}: I/O error (${code}); nothing was written`, opts)
  if (code.startsWith('SQLITE_CANTOPEN')) return new StoreError(`cannot open ${ctx.location}: ${message} (${code})`, opts)
  return new StoreError(`${ctx.location}: ${message} (${code})`, opts)
}
