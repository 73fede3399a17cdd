/**
 * The connection pool of one PostgreSQL store, and the transaction discipline every operation
 * goes through.
 *
 * - int8 values come back as exact `bigint` and numeric ones as their decimal text (per-pool type
 *   parsers; the global `pg.types` registry is left alone), so a u64 or i64 never passes through
 *   a JS `number`.
 * - Writes run in {@link PgPool.write}: `BEGIN ISOLATION LEVEL SERIALIZABLE`, the work, `COMMIT`;
 *   a serialization failure or deadlock (40001, 40P01), or two creators of one shard (23505 on
 *   `shards`), re-runs the whole transaction with jittered
 *   backoff until the busy timeout is spent. The work function must therefore be a pure function
 *   of what it reads in the transaction (it is, for every shard state change).
 * - Reads run in {@link PgPool.read}: `REPEATABLE READ READ ONLY`, one consistent snapshot.
 * - A read-only store also sets `default_transaction_read_only` on every session (before the
 *   connection is first used), so even a bug that skipped the store's own check could not write.
 * - `lock_timeout` = busy timeout: a writer waiting on another's row lock gives up with a
 *   transient `StoreBusyError` instead of hanging.
 * - A client whose connection failed is discarded, never returned to the pool.
 */
import pg from 'pg'
import { CatalogDebugError, StoreError } from '../../errors.js'
import { redactUrl } from '../location/redact.js'
import { isConnectionLost, isRetryableConflict, mapPgError } from './pg-errors.js'

export { redactUrl }

const INT8_OID = 20
const NUMERIC_OID = 1700

/** Type parsers of this pool: exact integers, everything else as `pg` parses it by default. */
const exactTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID) return (value: string) => BigInt(value)
    if (oid === NUMERIC_OID) return (value: string) => value
    return pg.types.getTypeParser(oid, format as 'text')
  }) as pg.CustomTypesConfig['getTypeParser'],
}

export interface PgPoolOptions {
  readonly url: string
  readonly readOnly: boolean
  readonly busyTimeoutMs: number
  /** Connections kept at most; a snapshot stream holds one for its duration. */
  readonly maxConnections?: number
}

/** A query function bound to one transaction's connection. */
export type Query = <R extends pg.QueryResultRow = pg.QueryResultRow>(
  sql: string,
  params?: readonly unknown[],
) => Promise<pg.QueryResult<R>>

/**
 * The URL with `sslmode` given libpq's meaning, the one it has for psql and for Materialize:
 * `require` (and `prefer`) encrypt without checking the server's certificate, `verify-ca` checks
 * it against `sslrootcert`, `verify-full` also checks the host name. node-postgres 8 reads
 * `prefer`, `require` and `verify-ca` as `verify-full` and prints a ten-line warning that its next
 * major version switches to libpq's meaning; `uselibpqcompat=true` switches now (and silences it).
 * A URL that sets `uselibpqcompat` itself is left as it is. See docs/backends.md.
 */
function withLibpqSslModes(url: string): string {
  if (!/[?&]sslmode=/i.test(url) || /[?&]uselibpqcompat=/i.test(url)) return url
  const hash = url.indexOf('#')
  const [base, fragment] = hash === -1 ? [url, ''] : [url.slice(0, hash), url.slice(hash)]
  return `${base}&uselibpqcompat=true${fragment}`
}

/**
 * A statement prepared once per connection under `name` (parsed and planned once, then only bound
 * and executed). One name must always carry the same text.
 */
export interface PreparedStatement {
  readonly name: string
  readonly text: string
}

export class PgPool {
  readonly location: string
  private readonly pool: pg.Pool
  private readonly busyTimeoutMs: number
  /** Connections held by open read sessions (streams), destroyed if the store closes first. */
  private readonly sessions = new Set<pg.PoolClient>()
  /** Connections whose session settings are in place. */
  private readonly configured = new WeakSet<pg.PoolClient>()
  private readonly readOnly: boolean
  private readonly lockTimeoutMs: number
  private closed = false

  constructor(opts: PgPoolOptions) {
    this.location = redactUrl(opts.url)
    this.busyTimeoutMs = opts.busyTimeoutMs
    this.pool = new pg.Pool({
      connectionString: withLibpqSslModes(opts.url),
      types: exactTypes,
      max: opts.maxConnections ?? 6,
      connectionTimeoutMillis: Math.max(1000, opts.busyTimeoutMs),
      idleTimeoutMillis: 10_000,
      application_name: 'catalog-debug',
      keepAlive: true,
    })
    this.readOnly = opts.readOnly
    this.lockTimeoutMs = Math.max(1, Math.round(opts.busyTimeoutMs))
    // An idle pooled connection that the server drops (restart, admin shutdown) is reported here;
    // the pool discards it, and the next checkout connects afresh. Without a listener it would crash.
    this.pool.on('error', () => {})
  }

  /** Runs `work` in one SERIALIZABLE transaction, re-running it on serialization failures. */
  write<T>(what: string, work: (q: Query) => Promise<T>): Promise<T> {
    return this.transaction(what, 'BEGIN ISOLATION LEVEL SERIALIZABLE', work)
  }

  /**
   * Runs one prepared statement as a transaction of its own (no `BEGIN`/`COMMIT`: one round trip), with the
   * same retries as {@link PgPool.write}. Write sessions default to SERIALIZABLE (see
   * `configure`), so the statement runs as one; a statement that must not run at any weaker level
   * checks `current_setting('transaction_isolation')` itself (the server may have refused the setting).
   */
  writeStatement<R extends pg.QueryResultRow>(
    what: string,
    statement: PreparedStatement,
    params: readonly unknown[],
  ): Promise<pg.QueryResult<R>> {
    return this.run(what, false, async (client) =>
      client.query<R>({ name: statement.name, text: statement.text, values: params as unknown[] }),
    )
  }

  /** Runs `work` in one consistent read-only snapshot. */
  read<T>(what: string, work: (q: Query) => Promise<T>): Promise<T> {
    return this.transaction(what, 'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY', work)
  }

  /**
   * Checks out a connection and opens a read-only snapshot transaction on it for a caller that
   * reads across awaits (a streamed snapshot). `release()` ends the transaction and returns the
   * connection; it must be called exactly once.
   */
  async openReadSession(what: string): Promise<{ query: Query; release: () => Promise<void> }> {
    const client = await this.checkout(what)
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY')
    } catch (err) {
      giveBack(client, isConnectionLost(err) ? toError(err) : undefined)
      throw mapPgError(err, what, this.location)
    }
    this.sessions.add(client)
    let released = false
    return {
      query: async (sql, params) => {
        try {
          return await client.query(sql, params as unknown[] | undefined)
        } catch (err) {
          throw mapPgError(err, what, this.location)
        }
      },
      release: async () => {
        if (released) return
        released = true
        if (!this.sessions.delete(client)) return // destroyed by close()
        try {
          await client.query('ROLLBACK')
          giveBack(client)
        } catch (err) {
          giveBack(client, toError(err))
        }
      },
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    // A stream still open would keep pool.end() waiting: end its connection (its next read fails).
    for (const client of this.sessions) giveBack(client, new Error('store closed'))
    this.sessions.clear()
    await this.pool.end()
  }

  /**
   * A connection for one transaction or session. While it is checked out, a connection the server
   * drops between two queries reports it as an 'error' event on the client (not on the pool); the
   * listener keeps that from crashing the process, and the next query fails with the mapped error.
   */
  private async checkout(what: string): Promise<pg.PoolClient> {
    if (this.closed) throw new StoreError(`store ${this.location} is closed (${what})`, { code: 'store-closed' })
    let client: pg.PoolClient
    try {
      client = await this.pool.connect()
    } catch (err) {
      throw mapPgError(err, what, this.location)
    }
    client.on('error', ignore)
    if (!this.configured.has(client)) {
      try {
        await this.configure(client)
      } catch (err) {
        giveBack(client, toError(err))
        throw mapPgError(err, what, this.location)
      }
      this.configured.add(client)
    }
    return client
  }

  /**
   * Session settings of a new connection: SET statements rather than the startup `options`
   * parameter, which an `options=` in the URL would silently replace. Read-only must take effect;
   * a server that does not know `lock_timeout` only loses the bound on lock waits.
   */
  private async configure(client: pg.PoolClient): Promise<void> {
    if (this.readOnly) await client.query('SET default_transaction_read_only = on')
    // Every explicit transaction names its isolation level; this default is for the single
    // statements of writeStatement. A server that refuses it only loses that fast path.
    const optional = this.readOnly
      ? [`SET lock_timeout = ${this.lockTimeoutMs}`]
      : [`SET lock_timeout = ${this.lockTimeoutMs}`, "SET default_transaction_isolation = 'serializable'"]
    for (const sql of optional) {
      try {
        await client.query(sql)
      } catch (err) {
        if (isConnectionLost(err)) throw err
      }
    }
  }

  private transaction<T>(what: string, begin: string, work: (q: Query) => Promise<T>): Promise<T> {
    return this.run(what, true, async (client) => {
      await client.query(begin)
      const q: Query = (sql, params) => client.query(sql, params as unknown[] | undefined)
      const result = await work(q)
      await client.query('COMMIT')
      return result
    })
  }

  /**
   * Runs `attempt` on a checked-out connection, re-running it on serialization failures. After a
   * failure, `ROLLBACK` ends an explicit transaction (`explicit`); a single statement's implicit
   * transaction has already ended.
   */
  private async run<T>(what: string, explicit: boolean, attempt: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.busyTimeoutMs
    for (let n = 0; ; n++) {
      const client = await this.checkout(what)
      let broken: Error | undefined
      try {
        return await attempt(client)
      } catch (err) {
        if (isConnectionLost(err)) {
          broken = toError(err)
        } else if (explicit) {
          try {
            await client.query('ROLLBACK')
          } catch (rollbackErr) {
            broken = toError(rollbackErr)
          }
        }
        if (err instanceof CatalogDebugError || !isRetryableConflict(err) || Date.now() >= deadline) {
          throw mapPgError(err, what, this.location)
        }
      } finally {
        giveBack(client, broken)
      }
      // A conflict: back off without holding the connection, then re-run the whole transaction.
      await sleep(backoffMs(n))
    }
  }
}

/** 2 ms doubling to 100 ms, full jitter: racing writers spread out instead of colliding again. */
function backoffMs(attempt: number): number {
  return Math.random() * Math.min(100, 2 * 2 ** attempt)
}

function ignore(): void {}

/**
 * Returns a client to the pool, or destroys it (`broken`): a connection that failed is never
 * reused. A destroyed client keeps its error listener, in case closing its socket reports more.
 */
function giveBack(client: pg.PoolClient, broken?: Error): void {
  if (broken === undefined) client.removeListener('error', ignore)
  client.release(broken)
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err))
}
