import type { CommandRunner } from '../../command.js'
import { withOrganizationAt } from '../../catalog-access.js'
import { EXIT_OK } from '../../exit-codes.js'
import { resolveOutputFormat } from '../../options.js'
import { progressReporter } from '../../progress.js'
import { locate, refuseFixtureStore, withStoreAt } from '../../store-access.js'
import { CatalogDebugError, RefusedError } from '../../../errors.js'
import { namesStoreOrSidecar } from '../../../store/index.js'
import { copyCatalog, verifyCopy } from '../../../catalog/fixture/index.js'
import { CreationSession } from '../../../catalog/index.js'
import { renderCopy } from '../../../render/import-result.js'
import type { CopyArgs } from './index.js'

/**
 * Streams the source catalog's full history into the target, then verifies the copy before the
 * command ends (`verifyCopy`: the target's history read back against what was written, or a full
 * diff, epochs included). A new `--to` file is built under a temporary name and appears only once
 * the copy is verified (see `withStoreAt`), so a failed or killed copy leaves no `--to` behind.
 * The organization is chosen in the source by the usual rules.
 */
export const runCopy: CommandRunner<CopyArgs> = async (args, ctx) => {
  refuseFixtureStore(ctx, { given: args.to, hint: 'to write a catalog as a fixture, use `export`' })
  const [fromLoc, toLoc] = [locate(ctx, args.from, '--from'), locate(ctx, args.to, '--to')]
  // One store however its path is spelled (a symlink, a hard link, `./`).
  if (fromLoc.kind === toLoc.kind && (fromLoc.target === toLoc.target || namesStoreOrSidecar(fromLoc, toLoc.target))) {
    throw new RefusedError(`--from and --to name the same store (${toLoc.display})`, { code: 'copy-onto-itself' })
  }
  const progress = await progressReporter(ctx.out, ctx.io.isTTY.stdout, 'copying the catalog', { unit: 'updates' })
  const verifyProgress = await progressReporter(ctx.out, ctx.io.isTTY.stdout, 'verifying the copy')
  const [from, to] = [fromLoc.display, toLoc.display]
  // One creation across every retry attempt: an append whose reply was lost is recognised as ours.
  const creation = new CreationSession()
  const { imported, check, created } = await ctx.retrying('copying the catalog', () =>
    withOrganizationAt(ctx, args.from, 'read', (source, org) =>
      withStoreAt(ctx, args.to, 'create', async (target, session) => {
        const imported = await copyCatalog(source, target, org, progress, creation)
        const check = await verifyCopy(source, target, org, imported, verifyProgress)
        // A new file that does not match its source never appears: failing here discards it.
        if (!check.equal && session.creating) throw copyDiffers(from, to, 'discarded it')
        return { imported, check, created: session.creating }
      }),
    ),
  )
  const fate = created ? 'discarded it' : 'kept it (it existed before this run)'
  // A history that differs where the contents do not has no diff to print.
  if (!check.equal && check.diff.equal) throw copyDiffers(from, to, fate)
  await ctx.out.data(renderCopy({ from, to, imported, check: check.diff }, resolveOutputFormat(args.output), ctx.out.stdoutColor))
  if (!check.equal) throw copyDiffers(from, to, fate)
  return EXIT_OK
}

function copyDiffers(from: string, to: string, fate: string): CatalogDebugError {
  return new CatalogDebugError('copy-differs', 'failure', `the copy in ${to} differs from its source ${from}; ${fate}`)
}
