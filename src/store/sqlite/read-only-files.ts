/**
 * Which file name a read-only connection opens. SQLite needs the `-shm` index (and creates an
 * empty `-wal`) to read a WAL database; a reader that creates them leaves files it owns beside the
 * store. For the store's owner that is harmless; for anyone else it is not: a `-shm` created by
 * another user (or root) is one the owner cannot write, and every later write by the owner fails;
 * and a reader that cannot write the directory cannot create them at all.
 *
 * So when the reader is not the file's owner, or cannot write the file or its directory, and no
 * `-wal` exists (no writer has the store open, the last one checkpointed), the store is opened as
 * `immutable`: SQLite reads the database file as it is, takes no locks and creates nothing. That
 * read does not see a writer that starts meanwhile; a write that reaches the file while it runs
 * can make it fail (retried by the command line like any busy store). Otherwise the ordinary
 * read-only open is used.
 */
import { accessSync, constants, statSync } from 'node:fs'
import { dirname } from 'node:path'

export interface ReadOnlyTarget {
  /** What to hand to the driver: the path, or a `file:` URI with `immutable=1`. */
  readonly filename: string
  readonly immutable: boolean
}

export function readOnlyTarget(path: string): ReadOnlyTarget {
  if (!needsImmutable(path)) return { filename: path, immutable: false }
  const uri = `file:${path.split('/').map(encodeURIComponent).join('/')}?immutable=1`
  return { filename: uri, immutable: true }
}

function needsImmutable(path: string): boolean {
  if (statSync(`${path}-wal`, { throwIfNoEntry: false }) !== undefined) return false
  const st = statSync(path, { throwIfNoEntry: false })
  if (st === undefined) return false
  const uid = process.getuid?.()
  if (uid !== undefined && uid !== st.uid) return true
  return !isWritable(path) || !isWritable(dirname(path))
}

/** Whether this process may write `path` (`access(W_OK)`). */
export function isWritable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK)
    return true
  } catch {
    return false
  }
}
