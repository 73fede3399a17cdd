import type { CommandRunner } from '../../command.js'
import { withOrganizationAt } from '../../catalog-access.js'
import { EXIT_OK } from '../../exit-codes.js'
import { resolveOutputFormat } from '../../options.js'
import { progressReporter } from '../../progress.js'
import {
  displayLocation,
  refuseFixtureStore,
  removeStoreFile,
  resolveStoreLocation,
  storeFileAbsent,
  withStoreAt,
} from '../../store-access.js'
import { CatalogDebugError } from '../../../errors.js'
import { diff } from '../../../catalog/diff/index.js'
import { copyCatalog } from '../../../catalog/fixture/index.js'
import { renderCopy } from '../../../render/import-result.js'
import type { CopyArgs } from './index.js'

/**
 * Streams the source catalog's full history (export lines) into an import on the target, then
 * diffs the two, epochs included. The organization is chosen in the source by the usual rules.
 */
export const runCopy: CommandRunner<CopyArgs> = async (args, ctx) => {
  const progress = await progressReporter(ctx.out, ctx.io.isTTY.stdout, 'copying the catalog', { unit: 'updates' })
  const verifyProgress = await progressReporter(ctx.out, ctx.io.isTTY.stdout, 'verifying the copy')
  refuseFixtureStore(ctx, { given: args.to, hint: 'to write a catalog as a fixture, use `export`' })
  const [from, to] = [displayLocation(args.from), displayLocation(args.to)]
  // A target file this run creates is removed again if the copy cannot be verified.
  const creates = storeFileAbsent(ctx, args.to)
  const imported = await ctx.retrying('copying the catalog', () =>
    withOrganizationAt(ctx, args.from, 'read', (source, org) =>
      withStoreAt(ctx, args.to, 'create', (target) => copyCatalog(source, target, org, progress)),
    ),
  )
  const org = imported.organizationId
  let check: Awaited<ReturnType<typeof diff>>
  try {
    check = await ctx.retrying('verifying the copy', () =>
      withStoreAt(ctx, args.from, 'read', (source) =>
        withStoreAt(ctx, args.to, 'read', (target) =>
          diff({ store: source, organizationId: org }, { store: target, organizationId: org }, { includeEpoch: true }, verifyProgress),
        ),
      ),
    )
  } catch (err) {
    if (creates) await removeStoreFile(resolveStoreLocation(ctx, args.to))
    throw err
  }
  await ctx.out.data(renderCopy({ from, to, imported, check }, resolveOutputFormat(args.output), ctx.out.stdoutColor))
  if (!check.equal) {
    if (creates) await removeStoreFile(resolveStoreLocation(ctx, args.to))
    const fate = creates ? 'removed it' : 'kept it (it existed before this run)'
    throw new CatalogDebugError('copy-differs', 'failure', `the copy in ${to} differs from its source ${from}; ${fate}`)
  }
  return EXIT_OK
}
