import type { CommandRunner } from '../../command.js'
import { EXIT_OK } from '../../exit-codes.js'
import { resolveOutputFormat } from '../../options.js'
import { resolveOrganizationId } from '../../catalog-access.js'
import { withStore } from '../../store-access.js'
import { renderInspect } from '../../../render/inspect.js'
import { NotFoundError } from '../../../errors.js'
import { ORGANIZATION_LABEL } from '../../../catalog/constants.js'
import type { InspectArgs as Args } from './index.js'

/** Reads every shard's state (or one shard's) without writing, then prints it. */
export const runInspect: CommandRunner<Args> = async (args, ctx) => {
  const report = await ctx.retrying('inspecting the store', () =>
    withStore(ctx, 'read', async (store) => {
      let listing = await store.listShards()
      if (args.shard !== undefined) {
        listing = listing.filter((s) => s.shardId === args.shard)
        if (listing.length === 0) throw new NotFoundError(`shard not found: ${args.shard}`, { code: 'shard-not-found' })
      }
      const org = ctx.options.organizationId
      if (org !== undefined) {
        // An organization the store has no catalog for is "not found" (exit 3), as for every command.
        await resolveOrganizationId(ctx, store)
        listing = listing.filter((s) => s.labels[ORGANIZATION_LABEL] === org)
      }
      const shards = []
      for (const s of listing) shards.push(await store.inspect(s.shardId))
      return { store: store.info, shards }
    }),
  )
  await ctx.out.data(renderInspect(report, resolveOutputFormat(args.output)))
  return EXIT_OK
}
