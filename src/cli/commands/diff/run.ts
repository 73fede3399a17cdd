import type { CommandRunner } from '../../command.js'
import { withOrganizationAt } from '../../catalog-access.js'
import { displayLocation } from '../../store-access.js'
import { EXIT_FAILURE, EXIT_OK } from '../../exit-codes.js'
import { diff } from '../../../catalog/diff/index.js'
import { renderCatalogDiff } from '../../../render/catalog-diff.js'
import type { DiffArgs } from './index.js'

/** Reads both catalogs read-only (each organization chosen by the usual rules) and prints the difference. */
export const runDiff: CommandRunner<DiffArgs> = async (args, ctx) => {
  const result = await ctx.retrying('comparing the catalogs', () =>
    withOrganizationAt(ctx, args.a, 'read', (a, orgA) =>
      withOrganizationAt(ctx, args.b, 'read', (b, orgB) =>
        diff({ store: a, organizationId: orgA }, { store: b, organizationId: orgB }, { includeEpoch: args.includeEpoch === true }),
      ),
    ),
  )
  const labels = [displayLocation(args.a), displayLocation(args.b)] as const
  await ctx.out.data(renderCatalogDiff(result, args.output ?? 'text', { color: ctx.out.stdoutColor.level > 0, labels }))
  return result.equal ? EXIT_OK : EXIT_FAILURE
}
