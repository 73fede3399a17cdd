/**
 * Opens a shard store from a location string, choosing the backend:
 * `postgres://…` / `postgresql://…` → PostgreSQL (loaded lazily), `:memory:` → an in-memory SQLite
 * store, anything else → a SQLite file path.
 */
import { UsageError } from '../errors.js'
import { isPostgresUrl } from './location/index.js'
import type { OpenStoreOptions } from './open-options.js'
import type { ShardStore } from './shard-store.js'

export type { OpenStoreOptions } from './open-options.js'

/** Whether a location names a PostgreSQL database rather than a SQLite file. */
export function isPostgresLocation(location: string): boolean {
  return isPostgresUrl(location)
}

interface PostgresModule {
  openPostgresStore(url: string, opts: OpenStoreOptions): Promise<ShardStore>
}

/**
 * Opens the store at `location`.
 *
 * Throws `NotFoundError` (missing file and no `create`), `StoreCorruptError`, `NotAStoreError`,
 * `StoreFormatTooNewError`, `StoreBusyError`, `StoreError`, or `UsageError` (contradictory options,
 * or a PostgreSQL URL when the PostgreSQL backend is not available).
 */
export async function openStore(location: string, opts: OpenStoreOptions = {}): Promise<ShardStore> {
  if (opts.readOnly === true && opts.create === true) throw new UsageError('a store cannot be opened read-only and created at once')
  if (isPostgresUrl(location)) {
    const pg = await loadPostgresBackend()
    return pg.openPostgresStore(location, opts)
  }
  // Loaded on demand so that commands that never open a store do not load the native module.
  const { SqliteShardStore } = await import('./sqlite/sqlite-shard-store.js')
  return SqliteShardStore.open(location, opts)
}

async function loadPostgresBackend(): Promise<PostgresModule> {
  // A literal specifier, so the bundler makes the backend a chunk of its own, loaded only here (a
  // computed one left it out of the shipped bundle). Its `pg` package may still be missing.
  let mod: Partial<PostgresModule>
  try {
    mod = (await import('./postgres/index.js')) as Partial<PostgresModule>
  } catch (err) {
    if ((err as { code?: unknown } | null)?.code === 'ERR_MODULE_NOT_FOUND') {
      // The backend itself, or the `pg` package it needs, is not installed.
      throw new UsageError(`the PostgreSQL backend is not available in this build (${(err as Error).message})`, {
        cause: err,
        code: 'backend-unavailable',
      })
    }
    throw err
  }
  if (typeof mod.openPostgresStore !== 'function') {
    throw new UsageError('the PostgreSQL backend is not available in this build (no openPostgresStore)', { code: 'backend-unavailable' })
  }
  return mod as PostgresModule
}
