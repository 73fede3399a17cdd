/**
 * Opening a store the way the command line promises: read commands open it read-only and never
 * create anything (a missing file is "not found", exit 3); only `init`, `import` and `copy --to`
 * create a store, and they create it exclusively and all at once (see `createExclusively` in
 * src/store/location): of several processes creating one path exactly one wins, a failed or
 * killed creation leaves no store behind, and no process removes a store it did not create.
 *
 * Every location is parsed once into a `StoreLocation` (src/store/location), which knows its kind,
 * its printable form and its sidecar files.
 *
 * A fixture (`--store demo.ndjson`) is a store too, for reading: it is loaded into a private
 * in-memory store, so every read command works on it and no file is created or changed. Writing
 * to a fixture is refused (exit 4) here, in one place: opening one in `write` or `create` mode, or
 * {@link refuseFixtureStore} for commands that refuse before they open anything.
 *
 * What a command declared (`command.ts`, put in the context by `main`) binds what it may open
 * here: a `read` command that asks for `write` or `create`, or a `none` command that opens
 * anything, is a bug and fails (exit 70) before the store is touched. Every store opened here is
 * closed when its callback ends, and `main` closes any still open when the handler returns.
 */
import { statSync } from 'node:fs'
import { dirname } from 'node:path'
import { NotFoundError, RefusedError, UsageError } from '../errors.js'
import { rowLookup } from '../catalog/codec/row-lookup.js'
import { loadFixtureIntoMemory } from '../catalog/fixture/memory.js'
import { createExclusively, openStore, parseStoreLocation, type StoreLocation } from '../store/index.js'
import type { ShardStore } from '../store/index.js'
import type { CommandEffect } from './command.js'
import type { CommandContext } from './context.js'
import { DEFAULT_SQLITE_BUSY_TIMEOUT_MS, STDIN_ARG } from './options.js'
import { writeRecordFor } from './write-record.js'

/**
 * `read`: read-only, must exist; a fixture is loaded into memory (a private copy the command may
 * change: nothing reaches the file). `write`: read-write, must exist. `create`: read-write,
 * created (exclusively, all at once) if absent. Fixtures are refused for `write` and `create`.
 */
export type StoreMode = 'read' | 'write' | 'create'

/** What {@link withStoreAt} tells its callback besides the store. */
export interface StoreSession {
  readonly location: StoreLocation
  /** True while building a new store file under its temporary name (it appears only if the callback succeeds). */
  readonly creating: boolean
}

/** A location fit to print (a PostgreSQL URL without its password): the store's own helper. */
export { displayLocation } from '../store/index.js'

/**
 * Parses a store location as typed (`--store`, `copy --from/--to`, a `diff` side). `-` is not a
 * store (exit 2); a special file is a one-line error (see `parseStoreLocation`).
 */
export function locate(ctx: CommandContext, given: string, what = '--store'): StoreLocation {
  if (given === STDIN_ARG || given === '-') {
    throw new UsageError(`${what} cannot be - (stdin): a store is a file path or a postgres:// URL`, {
      hint: 'to read a fixture from stdin, import it: catalog-debug --store new.db import -',
    })
  }
  return parseStoreLocation(given, ctx.io.cwd)
}

/** The location of `--store`. */
export function storeLocation(ctx: CommandContext): StoreLocation {
  return locate(ctx, ctx.options.store as string)
}

/** Whether `--store` names a fixture. */
export function isFixtureStore(ctx: CommandContext): boolean {
  return ctx.options.store !== undefined && storeLocation(ctx).kind === 'fixture'
}

/**
 * Throws the refusal (exit 4) for a write to a fixture: `given` (default `--store`) is a
 * read-only snapshot. `hint` replaces the default suggestion (import it into a store).
 */
export function refuseFixtureStore(ctx: CommandContext, opts: { given?: string; hint?: string } = {}): void {
  const given = opts.given ?? ctx.options.store
  if (given === undefined || locate(ctx, given).kind !== 'fixture') return
  throw new RefusedError(`${given} is a fixture, a read-only snapshot that read commands load into memory; this command needs a store`, {
    code: 'fixture-read-only',
    hint: opts.hint ?? `import it into a store and work on that: catalog-debug --store new.db import ${given}`,
  })
}

/**
 * Throws "not found" (exit 3) when the directory a new file `path` would be created in does not
 * exist (SQLite would fail with an opaque error).
 */
export function requireParentDirectory(path: string): void {
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

/**
 * Opens a store at `target` (a path, URL or `:memory:`) with the command line's options.
 * `privateBuild`: `target` is a new file nothing else opens until it is closed (see `withStoreAt`).
 */
async function openAt(ctx: CommandContext, loc: StoreLocation, target: string, mode: StoreMode, privateBuild = false): Promise<ShardStore> {
  const started = performance.now()
  const now = () => BigInt(Math.trunc(ctx.now()))
  let store: ShardStore
  if (loc.kind === 'fixture') {
    store = (await loadFixtureIntoMemory(loc.target, { now })).store
  } else {
    const busy = ctx.options.busyTimeoutMs ?? (loc.kind === 'postgres' ? undefined : DEFAULT_SQLITE_BUSY_TIMEOUT_MS)
    store = await openStore(target, {
      readOnly: mode === 'read',
      // Time travel (`--as-of`, `watch --from`) reads the history below the since that the store
      // still holds exactly (see docs/storage-format.md); reads at the current point are unaffected.
      historyReads: mode === 'read',
      create: mode === 'create',
      privateBuild,
      // Every append a write command commits records who made it, and why.
      ...(mode === 'read' || ctx.invocation === undefined ? {} : { writeRecord: writeRecordFor(ctx, ctx.invocation) }),
      lookup: rowLookup,
      now,
      ...(busy === undefined ? {} : { busyTimeoutMs: busy }),
    })
  }
  ctx.out.timing(`open store (${mode})`, performance.now() - started)
  return store
}

/** The store modes each declared effect allows: each effect allows what the one before it does, and more. */
const ALLOWED_MODES: Readonly<Record<CommandEffect, readonly StoreMode[]>> = {
  none: [],
  read: ['read'],
  write: ['read', 'write'],
  create: ['read', 'write', 'create'],
}

/** Throws a bug report (an internal error, exit 70) when the command's declaration does not allow `mode`. */
function requireDeclared(ctx: CommandContext, mode: StoreMode): void {
  if (ALLOWED_MODES[ctx.effect].includes(mode)) return
  throw new Error(`a command declared "${ctx.effect}" opened a store in ${mode} mode; its declaration (effect) must say what it does`)
}

/** Runs `fn` on an open store and closes it whatever happens. */
async function using<T>(ctx: CommandContext, store: ShardStore, fn: (store: ShardStore) => Promise<T>): Promise<T> {
  ctx.openStores.add(store)
  try {
    return await fn(store)
  } finally {
    ctx.openStores.delete(store)
    await store.close()
  }
}

/**
 * Closes every store a handler left open (one whose callback had not ended when the handler
 * returned or failed): `main` calls this after every command.
 */
export async function closeOpenStores(ctx: CommandContext): Promise<void> {
  const open = [...ctx.openStores]
  ctx.openStores.clear()
  for (const store of open) {
    ctx.out.debug('closing a store the command left open')
    await store.close().catch((err: unknown) => ctx.out.debug(`closing a store the command left open failed: ${String(err)}`))
  }
}

/**
 * Opens the store at `given` in `mode`, runs `fn`, and closes the store whatever happens. In
 * `create` mode, a SQLite file that does not exist yet is built under a temporary name and put in
 * place only when `fn` succeeds; if another process created the file meanwhile, `fn` runs again
 * on that store (where `init` and `import` then find their catalog and refuse, exit 4).
 */
export async function withStoreAt<T>(
  ctx: CommandContext,
  given: string,
  mode: StoreMode,
  fn: (store: ShardStore, session: StoreSession) => Promise<T>,
): Promise<T> {
  requireDeclared(ctx, mode)
  const loc = locate(ctx, given)
  if (loc.kind === 'fixture' && mode !== 'read') refuseFixtureStore(ctx, { given })
  if (loc.kind === 'sqlite' || loc.kind === 'fixture') {
    const exists = statSync(loc.target, { throwIfNoEntry: false }) !== undefined
    if (!exists && mode !== 'create') {
      throw new NotFoundError(`store not found: ${loc.target}`, {
        code: 'store-not-found',
        ...(loc.kind === 'fixture' ? {} : { hint: `create a store with: catalog-debug --store ${loc.display} init` }),
      })
    }
    if (!exists) {
      requireParentDirectory(loc.target)
      const made = await createExclusively(loc.target, async (temp) =>
        // The temporary file is this process's alone until it is linked into place, so it is built
        // without crash safety (a crash leaves only that file) and made an ordinary store on close.
        using(ctx, await openAt(ctx, loc, temp, 'create', true), (store) => fn(store, { location: loc, creating: true })),
      )
      if (made.created) return made.value
      ctx.out.debug(`${loc.display} was created by another process meanwhile; working on that store`)
    }
  }
  return using(ctx, await openAt(ctx, loc, loc.target, mode), (store) => fn(store, { location: loc, creating: false }))
}

/** {@link withStoreAt} for `--store`. */
export function withStore<T>(
  ctx: CommandContext,
  mode: StoreMode,
  fn: (store: ShardStore, session: StoreSession) => Promise<T>,
): Promise<T> {
  return withStoreAt(ctx, ctx.options.store as string, mode, fn)
}
