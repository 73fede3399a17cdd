/** Reading the catalog's named objects (for `describe`, `find`, `graph`): read-only, under the retry policy. */
import { readCatalogObjectsAt, type CatalogObjects } from '../catalog/names/index.js'
import { withOrganization } from './catalog-access.js'
import type { CommandContext } from './context.js'
import { boundHeapGrowth } from './heap-growth.js'
import { progressReporter } from './progress.js'

/**
 * Runs `fn` on the objects of `--store`'s catalog now or as of `asOf` (warning when some rows could
 * not be read), then lets go of them: they live in a scratch database on disk until then. The heap
 * is bounded first (`heap-growth.ts`), so that the read's garbage does not set the peak.
 */
export async function withCatalogObjects<T>(
  ctx: CommandContext,
  asOf: bigint | undefined,
  fn: (objects: CatalogObjects) => Promise<T>,
): Promise<T> {
  boundHeapGrowth()
  const progress = await progressReporter(ctx.out, ctx.io.isTTY.stdout, 'reading the catalog', { unit: 'updates' })
  const objects = await ctx.retrying('reading the catalog', () =>
    withOrganization(ctx, 'read', (store, org) => readCatalogObjectsAt(store, org, asOf, progress)),
  )
  try {
    if (objects.skipped > 0) {
      ctx.out.warn(`${objects.skipped} row${objects.skipped === 1 ? '' : 's'} could not be read as objects and are left out (see \`dump\`)`)
    }
    return await fn(objects)
  } finally {
    objects.close()
  }
}
