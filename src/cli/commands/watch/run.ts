import type { CommandRunner } from '../../command.js'
import { parseTimestampOption } from '../../as-of.js'
import { withOrganization } from '../../catalog-access.js'
import { EXIT_OK } from '../../exit-codes.js'
import { resolveOutputFormat } from '../../options.js'
import { openUnopenedCatalog, parseCollectionName } from '../../../catalog/index.js'
import { watchCatalog } from '../../../catalog/watch.js'
import { renderWatch } from '../../../render/watch.js'
import type { WatchArgs } from './index.js'

/**
 * Prints every committed update until SIGINT or SIGTERM (exit 0; a closed stdout ends it the same
 * way, see `main`). Not retried: a retry would print again what was printed.
 */
export const runWatch: CommandRunner<WatchArgs> = async (args, ctx) => {
  const only = args.only === undefined ? undefined : new Set(args.only.map(parseCollectionName))
  const from = parseTimestampOption(args.from, 'from')
  const format = resolveOutputFormat(args.output)
  const stop = new AbortController()
  const release = ctx.io.onInterrupt(() => stop.abort())
  try {
    await withOrganization(ctx, 'read', async (store, org) => {
      const catalog = await openUnopenedCatalog(store, org)
      const updates = watchCatalog(catalog, {
        ...(from === undefined ? {} : { from }),
        ...(only === undefined ? {} : { collections: only }),
        signal: stop.signal,
        onStart: (after) => ctx.out.message(`watching the updates after timestamp ${after} (Ctrl-C to stop)`),
      })
      for await (const batch of updates) await ctx.out.data(renderWatch(batch, format))
    })
  } finally {
    release()
  }
  return EXIT_OK
}
