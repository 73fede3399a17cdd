/**
 * Creating a store file exclusively and all at once. The store is built under a private temporary
 * name in the same directory (created O_EXCL, mode 0600), closed, then hard-linked to its name:
 * `link` fails when the name exists, so of several processes creating one path exactly one
 * succeeds, and the file appears complete or not at all. A process removes only its own temporary
 * file, never the store another process created and acknowledged.
 *
 * A process killed while building leaves its temporary file (`.NAME.creating-PID-RANDOM`), never
 * taken for the store; the next creation in that directory removes those whose process is gone.
 */
import { closeSync, fsyncSync, linkSync, openSync, readdirSync, rmSync, statSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { basename, dirname, join } from 'node:path'
import { StoreError } from '../../errors.js'
import { sidecarPaths } from './files.js'

/** The outcome of {@link createExclusively}: `created: false` when another process created the path first. */
export type ExclusiveCreation<T> = { readonly created: true; readonly value: T } | { readonly created: false }

/** New store files: owner-only, as database servers create theirs. */
export const NEW_STORE_MODE = 0o600

/**
 * Builds a new file at `path` through `build(tempPath)` (which must leave the file closed) and puts
 * it in place only if `path` still does not exist. When `build` throws, its file is removed and
 * the error rethrown; `path` is never touched.
 */
export async function createExclusively<T>(path: string, build: (tempPath: string) => Promise<T>): Promise<ExclusiveCreation<T>> {
  const dir = dirname(path)
  removeAbandonedTemps(dir, basename(path))
  const temp = join(dir, `${tempPrefix(basename(path))}${process.pid}-${randomBytes(4).toString('hex')}`)
  closeSync(openSync(temp, 'wx', NEW_STORE_MODE))
  let value: T
  try {
    value = await build(temp)
  } catch (err) {
    removeWithSidecars(temp)
    throw err
  }
  // The store must be whole in its main file: a write-ahead log left under the temporary name
  // would not follow the link.
  if ((statSync(`${temp}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0) {
    removeWithSidecars(temp)
    throw new StoreError(`cannot create ${path}: the new store was not checkpointed when closed`, { code: 'create-failed' })
  }
  try {
    // The content is durable before the name appears (the directory is synced after the link).
    syncFile(temp)
    linkSync(temp, path)
  } catch (err) {
    removeWithSidecars(temp)
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { created: false }
    throw new StoreError(`cannot create ${path}: ${(err as Error).message}`, { cause: err, code: 'create-failed' })
  }
  removeWithSidecars(temp)
  syncDirectory(dir)
  return { created: true, value }
}

function tempPrefix(name: string): string {
  return `.${name}.creating-`
}

function removeWithSidecars(path: string): void {
  for (const p of [path, ...sidecarPaths(path)]) rmSync(p, { force: true })
}

/** Removes temporary files (and their sidecars) of earlier creations of `name` whose process no longer runs. */
function removeAbandonedTemps(dir: string, name: string): void {
  const prefix = tempPrefix(name)
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return
  }
  for (const n of names) {
    if (!n.startsWith(prefix)) continue
    // The temporary file and its SQLite sidecars (`-wal`, `-shm`, `-journal`).
    const m = /^(\d+)-[0-9a-f]+(-wal|-shm|-journal)?$/.exec(n.slice(prefix.length))
    if (m === null) continue
    const pid = Number(m[1])
    if (pid !== process.pid && !processRuns(pid)) rmSync(join(dir, n), { force: true })
  }
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** fsync of a file's content (the store's own close syncs it too; this does not depend on how it was written). */
function syncFile(path: string): void {
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Makes the new directory entry durable (best effort: some filesystems cannot sync a directory). */
function syncDirectory(dir: string): void {
  let fd: number | undefined
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch {
    // Not every filesystem lets a directory be synced; the link itself is done.
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
