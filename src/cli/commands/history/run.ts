import type { CommandRunner } from '../../command.js'
import { withOrganization } from '../../catalog-access.js'
import { EXIT_OK } from '../../exit-codes.js'
import { readJsonArgumentText } from '../../input.js'
import { resolveOutputFormat } from '../../options.js'
import { boundHeapGrowth } from '../../heap-growth.js'
import { progressReporter } from '../../progress.js'
import { NotFoundError } from '../../../errors.js'
import { catalogWriteRecords, openUnopenedCatalog, parseCollectionName } from '../../../catalog/index.js'
import { historyChunks } from '../../../render/history.js'
import type { HistoryArgs } from './index.js'

/** Lists every version of one key (read through the lookup index; never writes). A key never written is "not found". */
export const runHistory: CommandRunner<HistoryArgs> = async (args, ctx) => {
  const collection = parseCollectionName(args.collection)
  const key = await readJsonArgumentText(ctx, 'KEY', args.key)
  // A long history is read and rendered as a stream: its garbage, not what is held, would set the peak.
  boundHeapGrowth()
  const progress = await progressReporter(ctx.out, ctx.io.isTTY.stdout, `reading the history of ${collection}`, { unit: 'updates' })
  const { history, records } = await ctx.retrying(`reading the history of ${collection}`, () =>
    withOrganization(ctx, 'read', async (store, org) => {
      const history = await (await (await openUnopenedCatalog(store, org)).openDebug()).keyHistory(collection, key, progress)
      return { history, records: history.length === 0 ? [] : await catalogWriteRecords(store, org) }
    }),
  )
  if (history.length === 0) throw new NotFoundError(`${collection} has never held the key ${key}`, { code: 'key-not-found' })
  // Written as it is rendered: the versions are decoded one at a time, never all at once.
  for (const chunk of historyChunks(() => history.entries(), history.length, resolveOutputFormat(args.output), records)) {
    await ctx.out.data(chunk)
  }
  return EXIT_OK
}
