/**
 * A throwaway PostgreSQL server for the PostgreSQL backend's tests.
 *
 * `startPostgresServer()` runs Debian's server binaries (`/usr/lib/postgresql/<major>/bin`, the
 * newest major found; `CATALOG_DEBUG_PG_BIN` overrides) against a fresh data directory in a temp
 * dir: `initdb`, a free localhost TCP port, the unix socket in the temp dir, password (SCRAM)
 * authentication over TCP so that a wrong password is a real authentication failure (or `trust`,
 * on request). initdb and postgres refuse to run as root, so when the tests run as root the server
 * runs as the `postgres` user (created by the Debian package) via `runuser`, and the temp dir is
 * handed to that user.
 *
 * Durability is switched off (`fsync=off`, `synchronous_commit=off`) unless `durable` is asked
 * for: the server is thrown away after the test file, and crash durability is PostgreSQL's
 * business, not ours.
 *
 * Test files register their PostgreSQL tests with {@link describePostgres}: one server per file,
 * started in `before()` and stopped in `after()` (which runs when tests fail too). Without server
 * binaries the tests are skipped locally, saying why, and fail when `CI=true`, so that CI never
 * skips the backend silently; a server that does not start fails them everywhere.
 *
 * Admin work (databases, roles, foreign schemas) goes through `psql`, so that `pg` stays imported
 * by `src/store/postgres/` only.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

/** The superuser the test cluster is initialised with, and its password. */
export const PG_SUPERUSER = 'catalog_debug_test'
export const PG_PASSWORD = 'catalog-debug-test-password'

export interface PostgresServer {
  /** `postgres://user:password@127.0.0.1:port/postgres` (superuser). */
  readonly url: string
  readonly port: number
  /** `server_version`, e.g. `15.18 (Debian 15.18-0+deb12u1)`. */
  readonly version: string
  readonly binDir: string
  /** A URL for `database` as `user` (defaults: the superuser and its password). */
  urlFor(database: string, user?: string, password?: string): string
  /** Creates a fresh, empty database and returns its URL (names are unique per server). */
  createDatabase(prefix?: string): string
  /** Runs SQL through `psql` as the superuser (ON_ERROR_STOP); returns its unaligned output. */
  psql(sql: string, database?: string): string
  /** `pg_ctl stop -m fast`: terminates every session (57P01) and shuts down; data kept. */
  stop(): void
  /** Starts the stopped server again on the same port (no-op while it runs). */
  start(): void
  /** Stops the server (if running) and deletes its temp dir. Idempotent. */
  dispose(): void
}

/** The bin dir of the newest installed PostgreSQL server, or `undefined`. */
export function findPostgresBinDir(): string | undefined {
  const override = process.env.CATALOG_DEBUG_PG_BIN
  if (override !== undefined && override !== '') return hasServer(override) ? override : undefined
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const majors = readdirSync(root)
    .filter((d) => /^\d+(\.\d+)?$/.test(d))
    .sort((a, b) => Number(b) - Number(a))
  for (const major of majors) {
    const dir = join(root, major, 'bin')
    if (hasServer(dir)) return dir
  }
  return undefined
}

function hasServer(dir: string): boolean {
  return ['initdb', 'pg_ctl', 'postgres', 'psql'].every((b) => existsSync(join(dir, b)))
}

/** Why no server can be started here (no server binaries), or `undefined` when one can. */
function missingServerReason(): string | undefined {
  if (findPostgresBinDir() !== undefined) return undefined
  return (
    "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (install Debian's " +
    '`postgresql` package, or set CATALOG_DEBUG_PG_BIN)'
  )
}

/** Whether this is a CI run, where the PostgreSQL tests must run: a missing server fails them. */
function inCi(): boolean {
  return process.env.CI === 'true'
}

/**
 * `undefined` when a server can be started; otherwise the reason to skip. Throws when `CI=true`:
 * in CI a missing server is a failure, never a silent skip.
 */
export function postgresSkipReason(): string | undefined {
  const reason = missingServerReason()
  if (reason === undefined) return undefined
  if (inCi()) throw new Error(`CI=true and ${reason}: the PostgreSQL backend tests cannot run`)
  return `skipped: ${reason}`
}

/**
 * Registers `describe(name)` with one throwaway server for its tests: started in `before()`,
 * stopped and deleted in `after()`, which node:test runs when tests (or `before()` itself) fail
 * too. `body` registers the tests; they reach the server through `server()`.
 *
 * Without server binaries: one skipped test saying why, or with `CI=true` one failing test. A
 * server that cannot start fails every test of the suite (the `before()` error), in CI or not.
 */
export function describePostgres(name: string, body: (server: () => PostgresServer) => void, opts: StartOptions = {}): void {
  const reason = missingServerReason()
  if (reason !== undefined) {
    describe(name, () => {
      if (inCi()) {
        it('starts a PostgreSQL server', () => {
          throw new Error(`CI=true and ${reason}: the PostgreSQL backend tests cannot run`)
        })
      } else {
        it('needs a PostgreSQL server', { skip: `skipped: ${reason}` }, () => {})
      }
    })
    return
  }
  describe(name, () => {
    let started: PostgresServer | undefined
    before(async () => {
      started = await startPostgresServer(opts)
    })
    after(() => started?.dispose())
    body(() => {
      if (started === undefined) throw new Error('the PostgreSQL test server did not start (see the error of the before hook)')
      return started
    })
  })
}

let dbCounter = 0

export interface StartOptions {
  /**
   * TCP authentication: `scram-sha-256` (default; a wrong password really fails) or `trust` (any
   * password accepted; connecting costs no key derivation, which keeps timing-sensitive suites
   * steady on a loaded machine).
   */
  readonly auth?: 'scram-sha-256' | 'trust'
  /**
   * Run with PostgreSQL's defaults for durability (`fsync`, `synchronous_commit`,
   * `full_page_writes` on) and for `max_connections` (100), as a real server does. Default: off,
   * as the module comment says (faster; a thrown-away server's crash durability buys nothing).
   */
  readonly durable?: boolean
}

/** Starts a throwaway server. Call `dispose()` when done (an exit hook also stops it). */
export async function startPostgresServer(opts: StartOptions = {}): Promise<PostgresServer> {
  const binDir = findPostgresBinDir()
  if (binDir === undefined) {
    throw new Error(missingServerReason() ?? 'PostgreSQL server binaries not found')
  }
  const bin = (name: string): string => join(binDir, name)
  const asRoot = userInfo().uid === 0
  const owner = asRoot ? lookupUser('postgres') : undefined
  if (asRoot && owner === undefined) {
    throw new Error('running as root but there is no `postgres` user to run the server as (initdb refuses root)')
  }

  // The server's user must be able to reach the dir: as root, use /tmp rather than a TMPDIR that
  // may sit under root's home.
  const dir = mkdtempSync(join(owner !== undefined && existsSync('/tmp') ? '/tmp' : tmpdir(), 'catalog-debug-pg-'))
  const dataDir = join(dir, 'data')
  const pwFile = join(dir, 'pw')
  const logFile = join(dir, 'server.log')

  /** Runs a server binary as the server's owner (cwd = the temp dir, which that user can enter). */
  const run = (file: string, args: string[], input?: string): string => {
    const [cmd, argv] = owner !== undefined ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args]
    const r = spawnSync(cmd, argv, { cwd: dir, input, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', PGTZ: 'UTC' } })
    if (r.error !== undefined) throw r.error
    if (r.status !== 0) {
      const log = existsSync(logFile) ? `\n--- server log ---\n${readFileSync(logFile, 'utf8').slice(-4000)}` : ''
      throw new Error(`${file} ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}${r.stderr}${log}`)
    }
    return r.stdout
  }

  let port = 0
  let running = false
  const start = (): void => {
    if (running) return
    const settings = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1']
    if (opts.durable !== true)
      settings.push('-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=200')
    run(bin('pg_ctl'), ['-D', dataDir, '-l', logFile, '-o', settings.join(' '), '-w', '-t', '60', 'start'])
    running = true
  }
  const stop = (): void => {
    if (!running) return
    run(bin('pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop'])
    running = false
  }
  let disposed = false
  const onExit = (): void => dispose()
  const dispose = (): void => {
    if (disposed) return
    disposed = true
    process.removeListener('exit', onExit)
    try {
      if (running) run(bin('pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop'])
    } catch {
      // best effort; the dir is removed anyway
    }
    running = false
    rmSync(dir, { recursive: true, force: true })
  }
  // From here on, a failure stops whatever started and removes the dir; so does the process's exit.
  process.on('exit', onExit)
  try {
    writeFileSync(pwFile, `${PG_PASSWORD}\n`, { mode: 0o600 })
    if (owner !== undefined) {
      chownSync(dir, owner.uid, owner.gid)
      chownSync(pwFile, owner.uid, owner.gid)
    }
    run(bin('initdb'), [
      '-D',
      dataDir,
      '-U',
      PG_SUPERUSER,
      `--pwfile=${pwFile}`,
      '--auth-local=trust',
      `--auth-host=${opts.auth ?? 'scram-sha-256'}`,
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C',
    ])
    // A port can be taken between probing and binding: try a few.
    for (let attempt = 0; ; attempt++) {
      port = await freePort()
      try {
        start()
        break
      } catch (err) {
        if (attempt >= 4) throw err
      }
    }
  } catch (err) {
    dispose()
    throw err
  }

  const urlFor = (database: string, user = PG_SUPERUSER, password = PG_PASSWORD): string =>
    `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`

  const psql = (sql: string, database = 'postgres'): string =>
    execFileSync(
      bin('psql'),
      [
        '-X',
        '-q',
        '-A',
        '-t',
        '-v',
        'ON_ERROR_STOP=1',
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        PG_SUPERUSER,
        '-d',
        database,
        '-f',
        '-',
      ],
      {
        input: sql,
        encoding: 'utf8',
        env: { ...process.env, PGPASSWORD: PG_PASSWORD, PGCONNECT_TIMEOUT: '10' },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    ).trim()

  let version: string
  try {
    version = psql('SHOW server_version')
  } catch (err) {
    dispose()
    throw err
  }
  const major = Number(/^(\d+)/.exec(version)?.[1] ?? 0)

  return {
    get url() {
      return urlFor('postgres')
    },
    get port() {
      return port
    },
    version,
    binDir,
    urlFor,
    createDatabase(prefix = 'store') {
      const name = `${prefix}_${process.pid}_${++dbCounter}`
      // FILE_COPY (PostgreSQL 15+) is faster than the default WAL_LOG for a tiny template.
      psql(`CREATE DATABASE "${name}"${major >= 15 ? ' STRATEGY FILE_COPY' : ''}`)
      return urlFor(name)
    },
    psql,
    stop,
    start,
    dispose,
  }
}

function lookupUser(name: string): { uid: number; gid: number } | undefined {
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${name}:`))
    if (line === undefined) return undefined
    const [, , uid, gid] = line.split(':')
    return { uid: Number(uid), gid: Number(gid) }
  } catch {
    return undefined
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}
