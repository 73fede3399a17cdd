/**
 * File facts the store location needs, all found with `stat` (never by opening: opening a FIFO
 * for reading blocks until a writer comes, forever): what kind of file a path names, the SQLite
 * sidecar files of a store, and whether two paths name the same file.
 */
import { realpathSync, statSync, type Stats } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { NotAStoreError } from '../../errors.js'

/** Files SQLite keeps beside a database `D`, by the suffix it adds to `D`'s name, and what each is. */
const SIDECAR_ROLES = { '-wal': 'write-ahead log', '-shm': 'shared-memory index', '-journal': 'rollback journal' } as const
const SIDECAR_SUFFIXES = Object.keys(SIDECAR_ROLES) as (keyof typeof SIDECAR_ROLES)[]

/** The sidecar files of a SQLite store at `path`. */
export function sidecarPaths(path: string): string[] {
  return SIDECAR_SUFFIXES.map((s) => `${path}${s}`)
}

/**
 * When `path`'s name is that of a sidecar file (`D-wal`, `D-shm`, `D-journal`): the database `D`
 * it belongs to and what the file is to SQLite. SQLite opening `D` takes that file as `D`'s own
 * (replays, rewrites or deletes it), whatever it holds.
 */
export function sidecarNaming(path: string): { readonly database: string; readonly role: string } | undefined {
  const suffix = SIDECAR_SUFFIXES.find((s) => path.endsWith(s) && path.length > s.length)
  return suffix === undefined ? undefined : { database: path.slice(0, -suffix.length), role: SIDECAR_ROLES[suffix] }
}

/** What a path names: nothing yet, or a regular file (with its stat). Anything else throws. */
export type PathState = { readonly exists: false } | { readonly exists: true; readonly stat: Stats }

/** The kind of a non-regular file, as a message fragment. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory'
  if (st.isFIFO()) return 'a FIFO (named pipe)'
  if (st.isSocket()) return 'a socket'
  if (st.isCharacterDevice()) return 'a character device'
  if (st.isBlockDevice()) return 'a block device'
  return 'not a regular file'
}

/**
 * Stats `path` (following symlinks) and requires a regular file or nothing. `what` names it in
 * messages ("store", "TARGET"). Throws {@link NotAStoreError} (or what `refuse` builds) for a
 * directory, FIFO, socket, device or symlink loop; one line each.
 */
export function regularFileOrAbsent(
  path: string,
  what: string,
  refuse: (message: string) => Error = (m) => new NotAStoreError(m),
): PathState {
  let st: Stats | undefined
  try {
    st = statSync(path, { throwIfNoEntry: false })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ELOOP') throw refuse(`${what} ${path} is not a regular file: too many levels of symbolic links`)
    if (code === 'ENOTDIR') return { exists: false }
    if (code === 'EACCES') throw refuse(`${what} ${path} cannot be examined: permission denied`)
    throw err
  }
  if (st === undefined) return { exists: false }
  if (!st.isFile()) throw refuse(`${what} ${path} is not a regular file: it is ${kindOf(st)}`)
  return { exists: true, stat: st }
}

/** The real path of `path`, or of its directory joined with its name when it does not exist (yet). */
export function realPathOf(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path))
    } catch {
      return path
    }
  }
}

/** Whether two paths name the same file: the same device and inode, or the same real path. */
export function sameFile(a: string, b: string): boolean {
  let sa: Stats | undefined
  let sb: Stats | undefined
  try {
    sa = statSync(a, { throwIfNoEntry: false })
    sb = statSync(b, { throwIfNoEntry: false })
  } catch {
    // A symlink loop or an unreadable directory: compare the paths.
  }
  if (sa !== undefined && sb !== undefined) return sa.dev === sb.dev && sa.ino === sb.ino
  return realPathOf(a) === realPathOf(b)
}
