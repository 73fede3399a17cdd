/**
 * The PostgreSQL backend of the shard store; `../open-store.ts` loads it lazily for
 * `postgres://` and `postgresql://` locations. The only module tree that imports `pg`.
 */
import type { OpenStoreOptions } from '../open-options.js'
import type { ShardStore } from '../shard-store.js'
import { PostgresShardStore } from './postgres-shard-store.js'

/**
 * Opens the store in the PostgreSQL database at `url` (same options and semantics as the SQLite
 * store). Throws `UsageError` (not a PostgreSQL URL, `readOnly` with `create`), `NotFoundError`
 * (no store there and no `create`, or no such database), `NotAStoreError`,
 * `StoreFormatTooNewError`, `StoreCorruptError`, `StoreBusyError` (server unreachable or restarting)
 * or `StoreError` (authentication, permissions, anything else).
 */
export function openPostgresStore(url: string, opts: OpenStoreOptions = {}): Promise<ShardStore> {
  return PostgresShardStore.open(url, opts)
}
