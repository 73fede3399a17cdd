import type { CommandRunner } from '../../command.js'
import { parseTimestampOption } from '../../as-of.js'
import { withOrganizationAt } from '../../catalog-access.js'
import { progressReporter } from '../../progress.js'
import { displayLocation } from '../../store-access.js'
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, exitCodeFor } from '../../exit-codes.js'
import { CatalogDebugError } from '../../../errors.js'
import { diff } from '../../../catalog/diff/index.js'
import { renderCatalogDiff } from '../../../render/catalog-diff.js'
import type { DiffArgs } from './index.js'

/**
 * Like diff(1), exit 1 means "the catalogs differ" and nothing else. Trouble keeps its documented
 * code (2 usage, 3 not found, 4 refused, 5 busy), except a failure (exit 1 elsewhere: a damaged
 * or foreign store, an I/O error), which exits 2 here, diff(1)'s "trouble".
 */
export const EXIT_DIFF_TROUBLE = EXIT_USAGE

/** Reads both catalogs read-only (each organization chosen by the usual rules) and prints the difference. */
export const runDiff: CommandRunner<DiffArgs> = async (args, ctx) => {
  const progress = await progressReporter(ctx.out, ctx.io.isTTY.stdout, 'comparing the catalogs')
  const both = parseTimestampOption(args.asOf)
  const asOfA = parseTimestampOption(args.asOfA, 'as-of-a') ?? both
  const asOfB = parseTimestampOption(args.asOfB, 'as-of-b') ?? both
  try {
    const result = await ctx.retrying('comparing the catalogs', () =>
      withOrganizationAt(ctx, args.a, 'read', (a, orgA) =>
        withOrganizationAt(ctx, args.b, 'read', (b, orgB) =>
          diff(
            { store: a, organizationId: orgA, asOf: asOfA },
            { store: b, organizationId: orgB, asOf: asOfB },
            { includeEpoch: args.includeEpoch === true },
            progress,
          ),
        ),
      ),
    )
    const labels = [displayLocation(args.a), displayLocation(args.b)] as const
    await ctx.out.data(renderCatalogDiff(result, args.output ?? 'text', { color: ctx.out.stdoutColor.level > 0, labels }))
    return result.equal ? EXIT_OK : EXIT_FAILURE
  } catch (err) {
    if (!(err instanceof CatalogDebugError) || exitCodeFor(err) !== EXIT_FAILURE) throw err
    ctx.out.error(err)
    return EXIT_DIFF_TROUBLE
  }
}
