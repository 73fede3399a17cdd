import type { CommandRunner } from '../../command.js'
import type { CommandContext } from '../../context.js'
import { withOrganization } from '../../catalog-access.js'
import { EXIT_OK } from '../../exit-codes.js'
import { guardedWrite } from '../../guarded-write.js'
import { boundHeapGrowth } from '../../heap-growth.js'
import { resolveOutputFormat } from '../../options.js'
import { writeTarget } from '../../sink.js'
import { isFixtureStore } from '../../store-access.js'
import { CatalogDebugError, UsageError } from '../../../errors.js'
import { CATALOG_VERSION, commitUpgrade, openUnopenedCatalog, upgradeCheck, type UpgradeReport } from '../../../catalog/index.js'
import { exportCatalog } from '../../../catalog/fixture/index.js'
import { renderUpgradeOutcome, renderUpgradePlan } from '../../../render/upgrade-result.js'
import type { UpgradeArgs } from './index.js'

/**
 * Previews the migrations (savepoint, like upgrade-check), shows them, confirms, then commits them
 * with a writable open. On a fixture with TARGET: upgrades the in-memory copy and exports it.
 */
export const runUpgrade: CommandRunner<UpgradeArgs> = async (args, ctx) => {
  const dryRun = args.dryRun === true
  if (args.target !== undefined && !isFixtureStore(ctx)) {
    throw new UsageError('TARGET is for a fixture --store (the upgraded fixture is written there)', {
      hint: 'to upgrade a store in place, run `upgrade` without TARGET',
    })
  }
  if (args.target !== undefined && !dryRun) return upgradeFixture(ctx, args.target, args.force === true)
  // The preview is upgrade-check's streams: their garbage, not what is held, would set the peak.
  boundHeapGrowth()
  const outcome = await guardedWrite(ctx, {
    dryRun,
    yes: args.yes === true,
    fixtureHint: `write the upgraded catalog to a new fixture: catalog-debug --store ${ctx.options.store as string} upgrade TARGET`,
    preview: async () =>
      checked(
        await ctx.retrying('checking the upgrade', () =>
          withOrganization(ctx, 'read', async (s, o) => upgradeCheck(await openUnopenedCatalog(s, o))),
        ),
      ),
    describe: (report) =>
      report.steps.length === 0 ? undefined : renderUpgradePlan(report.steps, report.fromVersion, CATALOG_VERSION, ctx.out.stderrColor),
    question: (report) => `commit the migrations from catalog version ${report.fromVersion ?? 'unknown'} to ${CATALOG_VERSION}`,
    write: () =>
      ctx.retrying('upgrading the catalog', () =>
        withOrganization(ctx, 'write', async (s, o) => commitUpgrade(await openUnopenedCatalog(s, o))),
      ),
  })
  // What the writable open actually ran (the same as the preview, unless someone upgraded in between).
  const steps = outcome.written ? outcome.result.steps : outcome.preview.steps
  const fromVersion = steps[0]?.from ?? outcome.preview.fromVersion
  const committed = outcome.written ? { epoch: outcome.result.epoch } : {}
  const view = { fromVersion, toVersion: CATALOG_VERSION, steps, committed: outcome.written, dryRun, ...committed }
  await ctx.out.data(renderUpgradeOutcome(view, resolveOutputFormat(args.output)))
  return EXIT_OK
}

/** The report, if the upgrade would succeed; else an error (exit 6) giving every reason. */
function checked(report: UpgradeReport): UpgradeReport {
  if (report.ok) return report
  throw new CatalogDebugError('upgrade-check-failed', 'upgrade', `the catalog cannot be upgraded: ${report.errors.join('; ')}`, {
    hint: 'nothing was written; `upgrade-check -o json` shows the full report',
  })
}

/** Opens the fixture's private in-memory copy writable (migrating it) and exports the result to `target`. */
async function upgradeFixture(ctx: CommandContext, target: string, force: boolean): Promise<number> {
  let report = ''
  const where = await writeTarget(
    ctx,
    target,
    'upgrading the fixture',
    (sink) =>
      withOrganization(ctx, 'read', async (store, org) => {
        const unopened = await openUnopenedCatalog(store, org)
        const from = await unopened.userVersion()
        const catalog = await unopened.openWritable()
        report = `upgraded ${ctx.options.store as string} from catalog version ${from} to ${catalog.userVersion} (${catalog.upgradeSteps.length} steps)`
        for await (const line of exportCatalog(store, org)) await sink.write(line)
      }),
    { force },
  )
  ctx.out.message(`${report}; written to ${where}`)
  return EXIT_OK
}
