/**
 * Turns what `pg` and the server throw into the tool's error hierarchy.
 *
 * The split that matters is transient versus permanent (the retry policy retries transient errors
 * only): a dropped connection, a server that is shutting down, restarting or not accepting
 * connections yet, a lock wait past the busy timeout or too many connections may all go away by
 * themselves (`StoreBusyError`); a wrong password, a missing privilege or a corrupt page will not
 * (`StoreError`, `StoreCorruptError`). Serialization failures (40001) and deadlocks (40P01) are
 * retried inside the store and surface as `StoreBusyError` only once the busy timeout is spent.
 *
 * A failure while the server may already have committed (the connection dropped during COMMIT,
 * CockroachDB's 40003 "result is ambiguous") is transient too: compare-and-append callers retry with
 * the same idempotency token, which reports `alreadyCommitted` if the first attempt landed.
 */
import { CatalogDebugError, NotFoundError, StoreBusyError, StoreCorruptError, StoreError } from '../../errors.js'

/**
 * Conflicts that re-running the whole transaction resolves: serialization failures and deadlocks
 * (40001, 40P01), and two transactions creating the same shard at once (the loser's INSERT hits the
 * primary key, 23505 on `shards`; re-run, it finds the shard and proceeds).
 */
export function isRetryableConflict(err: unknown): boolean {
  const code = sqlState(err)
  if (code === '40001' || code === '40P01') return true
  if (code !== '23505') return false
  const e = err as { table?: unknown; constraint?: unknown }
  return e.table === 'shards' || (typeof e.constraint === 'string' && e.constraint.startsWith('shards_'))
}

/** Network-level error codes of Node sockets that mean "the server could not be reached / went away". */
const TRANSIENT_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTCONN',
  'ESHUTDOWN',
])

/** Messages `pg` uses (without a code) when a connection dies or cannot be obtained in time. */
const TRANSIENT_PG_MESSAGES = [
  'Connection terminated',
  'connection error',
  'Client has encountered a connection error',
  'timeout exceeded when trying to connect',
  'Connection terminated due to connection timeout',
  'terminating connection',
  'the database system is',
]

/** The five-character SQLSTATE of a server error, if it is one. */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined
}

function socketCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; errors?: unknown } | null
  if (typeof e?.code === 'string' && TRANSIENT_SOCKET_CODES.has(e.code)) return e.code
  // Node reports a refused dual-stack connect as an AggregateError of per-address errors.
  if (Array.isArray(e?.errors)) {
    for (const inner of e.errors) {
      const c = socketCode(inner)
      if (c !== undefined) return c
    }
  }
  return undefined
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** Whether the error means the connection itself is unusable (the pooled client must be discarded). */
export function isConnectionLost(err: unknown): boolean {
  if (socketCode(err) !== undefined) return true
  const code = sqlState(err)
  if (code !== undefined) return code.startsWith('08') || code.startsWith('57P') || code === '40003'
  const msg = messageOf(err)
  return TRANSIENT_PG_MESSAGES.some((m) => msg.includes(m))
}

/**
 * Maps any error thrown while talking to the server to a {@link CatalogDebugError}. Errors that
 * already are one pass through unchanged. `what` names the operation ("compare-and-append on s…"),
 * `location` the store (password already redacted).
 */
export function mapPgError(err: unknown, what: string, location: string): CatalogDebugError {
  if (err instanceof CatalogDebugError) return err
  const code = sqlState(err)
  const msg = messageOf(err)
  const at = `${what} (${location})`
  const opts = { cause: err, details: { sqlstate: code ?? null, location } }

  const sock = socketCode(err)
  if (sock !== undefined) {
    return new StoreBusyError(`cannot reach the PostgreSQL server: ${sock}: ${at}`, {
      ...opts,
      code: 'store-unreachable',
      hint: 'is the server running and reachable? the command can be retried',
    })
  }
  if (code === undefined) {
    if (TRANSIENT_PG_MESSAGES.some((m) => msg.includes(m))) {
      return new StoreBusyError(`connection to the PostgreSQL server lost: ${msg}: ${at}`, {
        ...opts,
        code: 'store-unreachable',
        hint: 'the outcome of a write in flight is unknown until re-read; the command can be retried',
      })
    }
    return new StoreError(`PostgreSQL client error: ${msg}: ${at}`, opts)
  }

  const cls = code.slice(0, 2)
  if (code === '40001' || code === '40P01') {
    return new StoreBusyError(`the store stayed contended past the busy timeout (${code} ${msg}): ${at}`, opts)
  }
  if (code === '40003') {
    return new StoreBusyError(`the server could not tell whether the transaction committed (${msg}): ${at}`, {
      ...opts,
      hint: 'retry with the same idempotency token; re-read before deciding',
    })
  }
  if (cls === '08' || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300' || code === '53400') {
    return new StoreBusyError(`the PostgreSQL server is unavailable (${code} ${msg}): ${at}`, {
      ...opts,
      code: 'store-unreachable',
      hint: 'the server is restarting, shutting down or full of connections; the command can be retried',
    })
  }
  if (code === '57014') {
    // A statement cancelled: the server's statement_timeout (set by its administrator, never by
    // this tool, which bounds lock waits with lock_timeout: 55P03) or a cancel request. Retrying
    // the same statement under the same limit fails the same way.
    return new StoreError(`a statement was cancelled by the server (${code} ${msg}): ${at}`, {
      ...opts,
      code: 'store-statement-cancelled',
      hint: "the role's or database's statement_timeout is shorter than this command needs; raise it for this role",
    })
  }
  if (code === '55P03') {
    return new StoreBusyError(`the store is busy: a lock was not granted in time (${code} ${msg}): ${at}`, {
      ...opts,
      hint: 'another writer holds the shard; retry, or raise the busy timeout',
    })
  }
  if (cls === '28') {
    return new StoreError(`authentication to the PostgreSQL server failed (${code} ${msg}): ${at}`, {
      ...opts,
      code: 'store-auth',
      hint: 'check the user name and password in the connection string (or PGPASSWORD / ~/.pgpass)',
    })
  }
  if (code === '42501') {
    return new StoreError(`permission denied (${msg}): ${at}`, {
      ...opts,
      code: 'store-permission',
      hint: 'the role needs CREATE on the database to initialise a store, then USAGE on schema catalog_debug and SELECT, INSERT, UPDATE, DELETE on its tables',
    })
  }
  if (code === '3D000') {
    return new NotFoundError(`the database does not exist (${msg}): ${at}`, { ...opts, code: 'store-not-found' })
  }
  if (code === '25006') {
    return new StoreError(`the server refused a write: it is read-only (${msg}): ${at}`, {
      ...opts,
      hint: 'a hot standby or a read-only transaction; connect to the primary',
    })
  }
  if (cls === 'XX' && (code === 'XX001' || code === 'XX002')) {
    return new StoreCorruptError(`the server reports corrupt data (${code} ${msg}): ${at}`, opts)
  }
  if (cls === '53' || cls === '58') {
    return new StoreError(`the PostgreSQL server failed (${code} ${msg}): ${at}`, opts)
  }
  return new StoreError(`PostgreSQL error ${code}: ${msg}: ${at}`, opts)
}
