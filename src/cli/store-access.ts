/**
 * Opening a store the way the command line promises: read commands open it read-only and never
 * create anything (a missing file is "not found", exit 3); only `init`, `import` and `copy --to`
 * create a store.
 *
 * A fixture (`--store demo.ndjson`, see `isFixturePath`) is a store too, for reading: it is loaded
 * into a private in-memory store, so every read command works on it and no file is created or
 * changed. Writing to a fixture is refused (exit 4) here, in one place: opening one in `write` or
 * `create` mode, or {@link refuseFixtureStore} for commands that refuse before they open anything.
 */
import { existsSync, realpathSync, statSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { NotFoundError, RefusedError } from '../errors.js'
import { rowLookup } from '../catalog/codec/row-lookup.js'
import { isFixturePath, loadFixtureIntoMemory } from '../catalog/fixture/memory.js'
import { isPostgresLocation, openStore } from '../store/index.js'
import type { ShardStore } from '../store/index.js'
import type { CommandContext } from './context.js'
import { DEFAULT_SQLITE_BUSY_TIMEOUT_MS } from './options.js'
import { writeRecordFor } from './write-record.js'

/**
 * `read`: read-only, must exist; a fixture is loaded into memory (a private copy the command may
 * change: nothing reaches the file). `write`: read-write, must exist. `create`: read-write,
 * created if absent (and removed again if the command fails). Fixtures are refused for
 * `write` and `create`.
 */
export type StoreMode = 'read' | 'write' | 'create'

/** The location to hand to the store: URLs and `:memory:` as given, paths resolved against cwd. */
export function resolveStoreLocation(ctx: CommandContext, given: string): string {
  return isPostgresLocation(given) || given === ':memory:' ? given : ctx.resolvePath(given)
}

/** The location of `--store`. */
export function storeLocation(ctx: CommandContext): string {
  return resolveStoreLocation(ctx, ctx.options.store as string)
}

/** A location fit to print (a PostgreSQL URL without its password): the store's own helper. */
export { displayLocation } from '../store/index.js'

/** Whether a location (as given) names a fixture file rather than a store. */
export function isFixtureLocation(ctx: CommandContext, given: string): boolean {
  return isFixturePath(resolveStoreLocation(ctx, given))
}

/** Whether `--store` names a fixture. */
export function isFixtureStore(ctx: CommandContext): boolean {
  return ctx.options.store !== undefined && isFixtureLocation(ctx, ctx.options.store)
}

/**
 * Throws the refusal (exit 4) for a write to a fixture: `given` (default `--store`) is a
 * read-only snapshot. `hint` replaces the default suggestion (import it into a store).
 */
export function refuseFixtureStore(ctx: CommandContext, opts: { given?: string; hint?: string } = {}): void {
  const given = opts.given ?? ctx.options.store
  if (given === undefined || !isFixtureLocation(ctx, given)) return
  throw new RefusedError(`${given} is a fixture, a read-only snapshot that read commands load into memory; this command needs a store`, {
    code: 'fixture-read-only',
    hint: opts.hint ?? `import it into a store and work on that: catalog-debug --store catalog.db import ${given}`,
  })
}

/**
 * Whether two file paths name the same file: the same device and inode, or (for a path that does
 * not exist yet) the same real path. False for URLs and `:memory:`.
 */
export function isSameFile(a: string, b: string): boolean {
  if (isPostgresLocation(a) || isPostgresLocation(b) || a === ':memory:' || b === ':memory:') return false
  try {
    const sa = statSync(a)
    const sb = statSync(b)
    return sa.dev === sb.dev && sa.ino === sb.ino
  } catch {
    return realPathOf(a) === realPathOf(b)
  }
}

/** The real path of `path`, or of its parent directory joined with its name when it does not exist. */
function realPathOf(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    try {
      return `${realpathSync(dirname(path))}/${path.slice(dirname(path).length + 1)}`
    } catch {
      return path
    }
  }
}

/**
 * Throws the refusal (exit 4) when the file `path` (resolved) is the `--store` file itself:
 * `what` names the argument ("TARGET", "SOURCE"). Whatever `--force` says.
 */
export function refuseStoreItself(ctx: CommandContext, path: string, what: string, hint?: string): void {
  if (ctx.options.store === undefined || !isSameFile(path, storeLocation(ctx))) return
  throw new RefusedError(`${what} ${path} is the store itself (--store ${ctx.options.store as string})`, {
    code: 'target-is-store',
    hint: hint ?? `name a different file for ${what}`,
  })
}

/**
 * Throws "not found" (exit 3) when the directory a new file `path` would be created in does not
 * exist (SQLite would fail with an opaque error).
 */
export function requireParentDirectory(path: string): void {
  if (isPostgresLocation(path) || path === ':memory:') return
  const dir = dirname(path)
  let isDir = false
  try {
    isDir = statSync(dir).isDirectory()
  } catch {
    isDir = false
  }
  if (!isDir)
    throw new NotFoundError(`directory does not exist: ${dir}`, {
      code: 'directory-not-found',
      hint: `create it first (mkdir -p ${dir}), or choose another path`,
    })
}

/** Opens the store at `given` (a path, URL or fixture, as typed) in `mode`. */
export async function openStoreAt(ctx: CommandContext, given: string, mode: StoreMode): Promise<ShardStore> {
  const location = resolveStoreLocation(ctx, given)
  const memory = isPostgresLocation(location) || location === ':memory:'
  if (mode !== 'create' && !memory && !existsSync(location)) {
    throw new NotFoundError(`store not found: ${location}`, {
      code: 'store-not-found',
      hint: isFixturePath(location) ? undefined : `create a store with: catalog-debug init --store ${given}`,
    })
  }
  if (mode === 'create' && !memory && !isFixturePath(location) && !existsSync(location)) requireParentDirectory(location)
  const started = performance.now()
  const now = () => BigInt(Math.trunc(ctx.now()))
  let store: ShardStore
  if (isFixturePath(location)) {
    if (mode !== 'read') refuseFixtureStore(ctx, { given })
    store = (await loadFixtureIntoMemory(location, { now })).store
  } else {
    store = await openStore(location, {
      readOnly: mode === 'read',
      // Time travel (`--as-of`, `watch --from`) reads the history below the since that the store
      // still holds exactly (see docs/storage-format.md); reads at the current point are unaffected.
      historyReads: mode === 'read',
      create: mode === 'create',
      // Every append a write command commits records who made it, and why.
      ...(mode === 'read' || ctx.invocation === undefined ? {} : { writeRecord: writeRecordFor(ctx, ctx.invocation) }),
      lookup: rowLookup,
      now,
      ...(ctx.options.busyTimeoutMs === undefined
        ? isPostgresLocation(location)
          ? {}
          : { busyTimeoutMs: DEFAULT_SQLITE_BUSY_TIMEOUT_MS }
        : { busyTimeoutMs: ctx.options.busyTimeoutMs }),
    })
  }
  ctx.out.timing(`open store (${mode})`, performance.now() - started)
  return store
}

/**
 * Opens the store at `given`, runs `fn`, and closes the store whatever happens. In `create`
 * mode a store file this call created is removed again when `fn` fails, so a failed `import` or
 * `copy` leaves nothing behind.
 */
export async function withStoreAt<T>(
  ctx: CommandContext,
  given: string,
  mode: StoreMode,
  fn: (store: ShardStore) => Promise<T>,
): Promise<T> {
  const location = resolveStoreLocation(ctx, given)
  const createsFile = mode === 'create' && !isPostgresLocation(location) && location !== ':memory:' && !existsSync(location)
  const store = await openStoreAt(ctx, given, mode)
  let failed = true
  try {
    const result = await fn(store)
    failed = false
    return result
  } finally {
    await store.close()
    if (failed && createsFile) await removeStoreFile(location)
  }
}

/** Whether the store at `given` is a file that does not exist yet (one `create` mode would create). */
export function storeFileAbsent(ctx: CommandContext, given: string): boolean {
  const location = resolveStoreLocation(ctx, given)
  return !isPostgresLocation(location) && location !== ':memory:' && !existsSync(location)
}

/** Removes a SQLite store file (a resolved path) and its sidecar files. */
export async function removeStoreFile(location: string): Promise<void> {
  for (const path of [location, `${location}-wal`, `${location}-shm`, `${location}-journal`]) await rm(path, { force: true })
}

/** {@link withStoreAt} for `--store`. */
export function withStore<T>(ctx: CommandContext, mode: StoreMode, fn: (store: ShardStore) => Promise<T>): Promise<T> {
  return withStoreAt(ctx, ctx.options.store as string, mode, fn)
}
