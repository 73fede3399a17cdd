import type { CommandRunner } from '../../command.js'
import { withOrganization } from '../../catalog-access.js'
import { EXIT_OK } from '../../exit-codes.js'
import { resolveOutputFormat } from '../../options.js'
import { openSink } from '../../sink.js'
import { openUnopenedCatalog } from '../../../catalog/unopened-catalog.js'
import { renderEpoch } from '../../../render/epoch.js'
import type { EpochArgs } from './index.js'

/** Reads the epoch from the unopened catalog (never writes) and prints `Epoch: N`. */
export const runEpoch: CommandRunner<EpochArgs> = async (args, ctx) => {
  const epoch = await ctx.retrying('reading the epoch', () =>
    withOrganization(ctx, 'read', async (store, org) => (await openUnopenedCatalog(store, org)).epoch()),
  )
  const sink = openSink(ctx, args.target, { force: args.force === true })
  await sink.write(renderEpoch(epoch, resolveOutputFormat(args.output)))
  await sink.commit()
  if (sink.description !== 'stdout') ctx.out.message(`wrote the epoch to ${sink.description}`)
  return EXIT_OK
}
