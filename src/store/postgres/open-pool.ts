/**
 * Opening a PostgreSQL store: URL check, pool, format check, optional creation, settings.
 *
 * The format is checked before anything is written (so a foreign or newer schema is never
 * touched); a database without our schema is created into only with `create` (which needs CREATE
 * on the database) and is otherwise a `NotFoundError`. Two processes creating at once both end up
 * with the one schema: the loser's DDL fails on a duplicate, and it re-checks and finds the store.
 */
import { StoreError, UsageError } from '../../errors.js'
import { sqlState } from './pg-errors.js'
import { PgPool, redactUrl } from './pool.js'
import { PG_FORMAT_VERSION, PG_SCHEMA, checkPgStoreFormat, initializePgSchema, noStoreError } from './schema.js'

export interface OpenPoolOptions {
  readonly readOnly: boolean
  readonly create: boolean
  readonly busyTimeoutMs: number
  readonly buildVersion: string
  readonly nowMs: bigint
}

/** SQLSTATEs of a concurrent creator having won: duplicate schema/table/object, unique violation. */
const LOST_CREATE_RACE = new Set(['42P06', '42P07', '42710', '23505'])

/** Opens the pool and makes sure it leads to a store of this format (creating it if asked). */
export async function openPgPool(url: string, opts: OpenPoolOptions): Promise<{ pool: PgPool; settings: Record<string, string> }> {
  checkUrl(url)
  const pool = new PgPool({ url, readOnly: opts.readOnly, busyTimeoutMs: opts.busyTimeoutMs })
  try {
    for (let attempt = 0; ; attempt++) {
      const format = await pool.read('open store', (q) => checkPgStoreFormat(q, pool.location))
      if (format === 'store') break
      if (!opts.create || opts.readOnly) throw noStoreError(pool.location)
      try {
        await pool.write('create store', (q) => initializePgSchema(q, pool.location, opts.buildVersion, opts.nowMs))
        break
      } catch (err) {
        const code = sqlState((err as { cause?: unknown }).cause ?? err)
        if (attempt < 3 && code !== undefined && LOST_CREATE_RACE.has(code)) continue
        throw err
      }
    }
    return { pool, settings: await readSettings(pool, opts) }
  } catch (err) {
    await pool.close().catch(() => {})
    throw err
  }
}

function checkUrl(url: string): void {
  if (typeof url !== 'string' || !/^postgres(ql)?:\/\//i.test(url)) {
    throw new UsageError(`not a PostgreSQL URL: ${JSON.stringify(typeof url === 'string' ? redactUrl(url) : url)} (expected postgres://…)`)
  }
  try {
    // As pg-connection-string parses it: `postgres://user@/db?host=/socket` has no host part.
    if (!URL.canParse(url)) new URL(url.replace('@/', '@dummy/'))
  } catch (err) {
    throw new UsageError(`invalid PostgreSQL URL ${JSON.stringify(redactUrl(url))}: ${(err as Error).message}`, { cause: err })
  }
  const sslmode = /[?&]sslmode=([^&#]*)/i.exec(url)?.[1]
  if (sslmode !== undefined && !SSL_MODES.includes(decodeURIComponent(sslmode).toLowerCase())) {
    throw new UsageError(`invalid sslmode "${decodeURIComponent(sslmode)}" in ${redactUrl(url)}: expected one of ${SSL_MODES.join(', ')}`, {
      code: 'bad-location',
    })
  }
  if (sslmode?.toLowerCase() === 'verify-ca' && !/[?&]sslrootcert=/i.test(url)) {
    throw new UsageError(`sslmode=verify-ca needs the CA to check against: add sslrootcert=FILE to ${redactUrl(url)}`, {
      code: 'bad-location',
      hint: 'or use sslmode=verify-full, which also checks the host name against the system CAs',
    })
  }
}

/** libpq's sslmode values (and node-postgres' `no-verify`); anything else would be ignored silently. */
const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify']

interface SettingsRow {
  read_only: string
  version: string
  server_version: string
  synchronous_commit: string
  database: string
  role: string
}

/** Facts that matter for durability and isolation, for `StoreInfo.settings`. */
async function readSettings(pool: PgPool, opts: OpenPoolOptions): Promise<Record<string, string>> {
  const row = await pool.read(
    'read settings',
    async (q) =>
      (
        await q<SettingsRow>(`SELECT current_setting('default_transaction_read_only') AS read_only, version() AS version, current_setting('server_version') AS server_version,
      current_setting('synchronous_commit') AS synchronous_commit, current_database() AS database, current_user AS role`)
      ).rows[0]!,
  )
  if (opts.readOnly && row.read_only !== 'on') {
    throw new StoreError(`${pool.location}: the session could not be made read-only (default_transaction_read_only is ${row.read_only})`)
  }
  return {
    server: row.version.includes('CockroachDB') ? 'cockroachdb' : 'postgresql',
    server_version: row.server_version,
    database: row.database,
    role: row.role,
    schema: PG_SCHEMA,
    write_isolation: 'serializable (an append in one statement, other changes lock the shard row with SELECT … FOR UPDATE)',
    read_isolation: 'repeatable read, read only',
    synchronous_commit: row.synchronous_commit,
    busy_timeout_ms: String(opts.busyTimeoutMs),
    read_only: String(opts.readOnly),
    default_transaction_read_only: row.read_only,
    format_version: String(PG_FORMAT_VERSION),
  }
}
