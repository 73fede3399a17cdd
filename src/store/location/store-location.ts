/**
 * The one typed store location. `--store` (and `copy --from/--to`, each `diff` side, a `restore`
 * SOURCE) is parsed here once into what it names: a SQLite file, a PostgreSQL URL, a fixture (a
 * catalog snapshot read into memory), an in-memory store, or stdin. Nothing above the store sniffs
 * location strings; they ask the location.
 *
 * Classification never opens a special file: a FIFO, socket, directory, device or symlink loop is
 * a one-line error before anything reads it. A fixture is recognised by its extension, else by the
 * first bytes of a regular file (read with O_NONBLOCK, after a stat).
 */
import { closeSync, constants, openSync, readSync, statSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { RefusedError, UsageError } from '../../errors.js'
import { realPathOf, regularFileOrAbsent, sameFile, sidecarNaming, sidecarPaths, type PathState } from './files.js'
import { displayLocation, isPostgresUrl, isUrlLike } from './redact.js'

export const STORE_LOCATION_KINDS = ['sqlite', 'postgres', 'fixture', 'memory', 'stdin'] as const
export type StoreLocationKind = (typeof STORE_LOCATION_KINDS)[number]

/** File name endings taken as fixtures without looking inside. */
export const FIXTURE_EXTENSIONS = ['.ndjson', '.jsonl'] as const
/** The `format` a fixture's first line declares (see docs/fixture-format.md). */
export const FIXTURE_FORMAT_MARKER = 'catalog-debug-fixture'

/** What `-` means where a store is expected. */
export const STDIN_LOCATION = '-'
export const MEMORY_LOCATION = ':memory:'

export interface StoreLocation {
  readonly kind: StoreLocationKind
  /** As the operator typed it (may hold a password: never print it). */
  readonly given: string
  /**
   * What to hand to the backend: the absolute path of a file (SQLite, fixture), the URL, or
   * `:memory:`.
   */
  readonly target: string
  /** Fit to print: a URL without its password, a path as given. */
  readonly display: string
}

/**
 * Parses `given` (relative paths against `cwd`). A path naming something that is not a regular
 * file throws `NotAStoreError` (one line); a URL of another scheme is a `UsageError`.
 */
export function parseStoreLocation(given: string, cwd: string): StoreLocation {
  const display = displayLocation(given)
  if (given === STDIN_LOCATION) return { kind: 'stdin', given, target: given, display: 'stdin' }
  if (given === MEMORY_LOCATION) return { kind: 'memory', given, target: given, display }
  if (isPostgresUrl(given)) return { kind: 'postgres', given, target: given, display }
  if (isUrlLike(given)) {
    throw new UsageError(`unsupported store location ${display}: expected a file path or a postgres:// URL`, { code: 'bad-location' })
  }
  const path = isAbsolute(given) ? given : resolve(cwd, given)
  const state = regularFileOrAbsent(path, 'store')
  if (isFixtureFile(path, state)) return { kind: 'fixture', given, target: path, display }
  refuseSidecarName(path, state)
  return { kind: 'sqlite', given, target: path, display }
}

/**
 * Refuses (exit 4) a SQLite store named as another database's sidecar file (`S-wal`, `S-shm`,
 * `S-journal`) when that database exists, and any new store named so: SQLite takes the file as
 * that database's own at its next open (replays, rewrites or deletes it), so a store created
 * there would be lost. A store that already exists under such a name, with no database beside
 * it, still opens.
 */
function refuseSidecarName(path: string, state: PathState): void {
  const naming = sidecarNaming(path)
  if (naming === undefined) return
  const databaseExists = statSync(naming.database, { throwIfNoEntry: false }) !== undefined
  if (state.exists && !databaseExists) return
  throw new RefusedError(
    `store ${path} is named as the ${naming.role} of ${naming.database}: SQLite takes that file as part of that database`,
    {
      code: 'store-is-sidecar',
      hint: 'choose a store name that does not end in -wal, -shm or -journal',
    },
  )
}

/** Whether the location is a file on this machine (SQLite or fixture). */
export function isFileLocation(loc: StoreLocation): boolean {
  return loc.kind === 'sqlite' || loc.kind === 'fixture'
}

/**
 * Whether `path` (absolute) names this store or one of its sidecar files (`-wal`, `-shm`,
 * `-journal`), by inode or real path (hard links, symlinks, `./` all count). False for stores
 * that are not files.
 */
export function namesStoreOrSidecar(loc: StoreLocation, path: string): boolean {
  if (!isFileLocation(loc)) return false
  if (sameFile(loc.target, path)) return true
  const real = realPathOf(path)
  const store = realPathOf(loc.target)
  return sidecarPaths(loc.target).some((s) => sameFile(s, path)) || sidecarPaths(store).includes(real)
}

function isFixtureFile(path: string, state: PathState): boolean {
  const lower = path.toLowerCase()
  if (FIXTURE_EXTENSIONS.some((ext) => lower.endsWith(ext))) return true
  if (!state.exists || state.stat.size === 0) return false
  let fd: number | undefined
  try {
    // A regular file (checked above); O_NONBLOCK all the same, should it be swapped for a FIFO meanwhile.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
    const buf = Buffer.alloc(256)
    const n = readSync(fd, buf, 0, buf.length, 0)
    const head = buf.subarray(0, n).toString('utf8')
    return /^\s*\{/.test(head) && head.includes(`"${FIXTURE_FORMAT_MARKER}"`)
  } catch {
    return false
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
