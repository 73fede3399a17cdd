import type { CommandRunner } from '../../command.js'
import { parseTimestampOption } from '../../as-of.js'
import { withCatalogObjects } from '../../catalog-objects.js'
import { EXIT_OK } from '../../exit-codes.js'
import { resolveOutputFormat } from '../../options.js'
import { NotFoundError } from '../../../errors.js'
import { findObjects, parseKind } from '../../../catalog/names/index.js'
import { foundChunks } from '../../../render/describe.js'
import type { FindArgs } from './index.js'

/** Lists the objects matching TEXT; nothing matching is "not found" (exit 3), like `get` of an absent key. */
export const runFind: CommandRunner<FindArgs> = async (args, ctx) => {
  const kinds = (args.kind ?? []).map(parseKind)
  return withCatalogObjects(ctx, parseTimestampOption(args.asOf), async (objects) => {
    const found = findObjects(objects, args.text, kinds)
    if (found.count === 0) throw new NotFoundError(`nothing matches "${args.text}"`, { code: 'nothing-found' })
    // Written as it is rendered: the matches are read back from disk a page at a time.
    for (const chunk of foundChunks(() => found.refs(), found.count, resolveOutputFormat(args.output))) await ctx.out.data(chunk)
    return EXIT_OK
  })
}
