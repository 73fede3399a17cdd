/**
 * Opening the store the way the command line promises: read commands open it read-only and
 * never create anything (a missing file is "not found", exit 3); only `init` creates a store.
 */
import { existsSync } from 'node:fs'
import { NotFoundError } from '../errors.js'
import { rowLookup } from '../catalog/codec/row-codec.js'
import { isPostgresLocation, openStore } from '../store/open-store.js'
import type { ShardStore } from '../store/shard-store.js'
import type { CommandContext } from './context.js'

/** `read`: read-only, must exist. `write`: read-write, must exist. `create`: read-write, created if absent. */
export type StoreMode = 'read' | 'write' | 'create'

/** The location to hand to the store: URLs and `:memory:` as given, paths resolved against cwd. */
export function storeLocation(ctx: CommandContext): string {
  const store = ctx.options.store as string
  return isPostgresLocation(store) || store === ':memory:' ? store : ctx.resolvePath(store)
}

export async function openStoreFor(ctx: CommandContext, mode: StoreMode): Promise<ShardStore> {
  const location = storeLocation(ctx)
  if (mode !== 'create' && !isPostgresLocation(location) && location !== ':memory:' && !existsSync(location)) {
    throw new NotFoundError(`store not found: ${location}`, {
      code: 'store-not-found',
      hint: `create a store with: catalog-debug init --store ${ctx.options.store as string}`,
    })
  }
  const started = performance.now()
  const now = ctx.now
  const store = await openStore(location, {
    readOnly: mode === 'read',
    create: mode === 'create',
    lookup: rowLookup,
    now: () => BigInt(Math.trunc(now())),
    ...(ctx.options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: ctx.options.busyTimeoutMs }),
  })
  ctx.out.timing(`open store (${mode})`, performance.now() - started)
  return store
}

/** Opens the store, runs `fn`, and closes the store whatever happens. */
export async function withStore<T>(ctx: CommandContext, mode: StoreMode, fn: (store: ShardStore) => Promise<T>): Promise<T> {
  const store = await openStoreFor(ctx, mode)
  try {
    return await fn(store)
  } finally {
    await store.close()
  }
}
