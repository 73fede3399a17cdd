import type { CommandRunner } from '../../command.js'
import { withOrganization } from '../../catalog-access.js'
import { EXIT_OK } from '../../exit-codes.js'
import { readJsonArgument } from '../../input.js'
import { resolveOutputFormat } from '../../options.js'
import { boundHeapGrowth } from '../../heap-growth.js'
import { progressReporter } from '../../progress.js'
import { CatalogDebugError, UsageError } from '../../../errors.js'
import { isJsonObject } from '../../../json/lossless-json.js'
import { openUnopenedCatalog, upgradeCheck } from '../../../catalog/index.js'
import { renderUpgradeReport, upgradeStepSummary } from '../../../render/upgrade-report.js'
import type { UpgradeCheckArgs } from './index.js'

/** Runs every migration in memory (savepoint mode, nothing committed) and reports the outcome. */
export const runUpgradeCheck: CommandRunner<UpgradeCheckArgs> = async (args, ctx) => {
  // Materialize's clock starts before the store is opened; so does this one.
  const startedAt = Date.now()
  const sizesArg = args.cluster_replica_sizes
  const replicaSizes = sizesArg === undefined ? undefined : await readJsonArgument(ctx, 'CLUSTER_REPLICA_SIZES', sizesArg)
  // A malformed argument is the operator's typo (exit 2), not a finding about the catalog (exit 6).
  if (replicaSizes !== undefined && !isJsonObject(replicaSizes)) {
    throw new UsageError('CLUSTER_REPLICA_SIZES must be a JSON object mapping size names to allocations', {
      hint: `for example '{"1":{"workers":1,"scale":1}}'`,
    })
  }
  // The check streams the items and the large collections: their garbage, not what is held, would set the peak.
  boundHeapGrowth()
  const progress = await progressReporter(ctx.out, ctx.io.isTTY.stdout, 'checking the upgrade')
  const opts = { startedAt, ...(replicaSizes === undefined ? {} : { replicaSizes }), ...(progress === undefined ? {} : { progress }) }
  const report = await ctx.retrying('checking the upgrade', () =>
    withOrganization(ctx, 'read', async (store, org) => upgradeCheck(await openUnopenedCatalog(store, org), opts)),
  )
  for (const line of upgradeStepSummary(report)) ctx.out.debug(line)
  await ctx.out.data(renderUpgradeReport(report, resolveOutputFormat(args.output)))
  if (!report.ok) {
    throw new CatalogDebugError(
      'upgrade-check-failed',
      'upgrade',
      `upgrade check failed: ${report.errors.length} problem${report.errors.length === 1 ? '' : 's'}`,
    )
  }
  return EXIT_OK
}
