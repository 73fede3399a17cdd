/**
 * Temporary directories and file fingerprints for store tests.
 *
 * Hash a database file only while this process has no SQLite connection open on it: opening and
 * closing the file by other means drops the process's POSIX locks on it (sqlite.org/howtocorrupt).
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TempDir {
  readonly dir: string
  /** A path inside the directory. */
  path(name: string): string
  cleanup(): void
}

export function makeTempDir(prefix = 'catalog-debug-store-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return {
    dir,
    path: (name) => join(dir, name),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** sha256 of a file's bytes, or `'absent'`. */
export function sha256File(path: string): string {
  if (!existsSync(path)) return 'absent'
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

/** The file and its SQLite housekeeping files, hashed. */
export function fingerprint(path: string): { db: string; wal: string; shm: string } {
  return { db: sha256File(path), wal: sha256File(`${path}-wal`), shm: sha256File(`${path}-shm`) }
}

/** Names in a directory, sorted. */
export function listDir(dir: string): string[] {
  return readdirSync(dir).sort()
}
