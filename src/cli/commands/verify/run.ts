import type { CommandRunner } from '../../command.js'
import { withOrganization } from '../../catalog-access.js'
import { EXIT_OK } from '../../exit-codes.js'
import { resolveOutputFormat } from '../../options.js'
import { progressReporter } from '../../progress.js'
import { boundHeapGrowth } from '../../heap-growth.js'
import { CatalogDebugError } from '../../../errors.js'
import { verifyStore } from '../../../catalog/verify/index.js'
import { renderVerifyReport } from '../../../render/verify-report.js'
import type { VerifyArgs } from './index.js'

/** Runs the checks (never writes), prints the report, and fails (exit 1) on errors (or warnings with --strict). */
export const runVerify: CommandRunner<VerifyArgs> = async (args, ctx) => {
  // The checks keep little alive (what grows is on disk): keep V8's headroom from growing with the read.
  boundHeapGrowth()
  const progress = await progressReporter(ctx.out, ctx.io.isTTY.stdout, 'verifying the catalog')
  const report = await ctx.retrying('verifying the catalog', () =>
    withOrganization(ctx, 'read', (store, org) =>
      verifyStore(store, org, {
        ...(args.check === undefined ? {} : { checks: args.check }),
        ...(args.fullIntegrity === true ? { fullIntegrity: true } : {}),
        progress: progress,
      }),
    ),
  )
  await ctx.out.data(renderVerifyReport(report, resolveOutputFormat(args.output), ctx.out.stdoutColor))
  const { errors, warnings } = report.counts
  if (errors > 0 || (args.strict === true && warnings > 0)) {
    const counted = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`
    throw new CatalogDebugError('verify-failed', 'failure', `verify found ${counted}`, {
      hint: '`catalog-debug repair` plans the fixes for you to review; each finding lists the stored rows involved',
    })
  }
  return EXIT_OK
}
