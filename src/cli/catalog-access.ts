/**
 * Finding and opening the catalog a command works on: which organization (`--organization-id`,
 * or the only catalog the store holds), opened over a store in the right mode.
 */
import { NotFoundError, UsageError } from '../errors.js'
import { listCatalogs } from '../catalog/catalog-shards.js'
import type { ShardStore } from '../store/index.js'
import type { CommandContext } from './context.js'
import { withStoreAt, type StoreMode } from './store-access.js'

/**
 * The organization to work on. An explicit id must name a catalog the store holds; without one,
 * the store must hold exactly one catalog (else a usage error listing them).
 */
export async function resolveOrganizationId(ctx: CommandContext, store: ShardStore): Promise<string> {
  const catalogs = await listCatalogs(store)
  const ids = catalogs.map((c) => c.organizationId)
  const wanted = ctx.options.organizationId
  if (wanted !== undefined) {
    if (ids.includes(wanted)) return wanted
    throw new NotFoundError(`no catalog for organization ${wanted} in this store`, {
      code: 'catalog-not-found',
      hint: ids.length === 0 ? 'the store holds no catalog; create one with `catalog-debug init`' : `the store holds: ${ids.join(', ')}`,
    })
  }
  if (ids.length === 1) return ids[0] as string
  if (ids.length === 0) {
    throw new NotFoundError('the store holds no catalog', { code: 'catalog-not-found', hint: 'create one with `catalog-debug init`' })
  }
  throw new UsageError(`the store holds ${ids.length} catalogs; choose one with --organization-id: ${ids.join(', ')}`, {
    code: 'organization-required',
  })
}

/** Opens `--store` (`read`: read-only), resolves the organization and runs `fn`; closes the store after. */
export function withOrganization<T>(
  ctx: CommandContext,
  mode: Exclude<StoreMode, 'create'>,
  fn: (store: ShardStore, organizationId: string) => Promise<T>,
): Promise<T> {
  return withOrganizationAt(ctx, ctx.options.store as string, mode, fn)
}

/** {@link withOrganization} for another store (a `diff` side, `copy --from`), by the same rules. */
export function withOrganizationAt<T>(
  ctx: CommandContext,
  given: string,
  mode: Exclude<StoreMode, 'create'>,
  fn: (store: ShardStore, organizationId: string) => Promise<T>,
): Promise<T> {
  return withStoreAt(ctx, given, mode, async (store) => fn(store, await resolveOrganizationId(ctx, store)))
}
