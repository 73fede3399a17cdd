import type { CommandRunner } from '../../command.js'
import { parseTimestampOption } from '../../as-of.js'
import { readCatalogObjects } from '../../catalog-objects.js'
import { EXIT_OK } from '../../exit-codes.js'
import { resolveOutputFormat } from '../../options.js'
import { NotFoundError } from '../../../errors.js'
import { findObjects, parseKind } from '../../../catalog/names/index.js'
import { renderFound } from '../../../render/describe.js'
import type { FindArgs } from './index.js'

/** Lists the objects matching TEXT; nothing matching is "not found" (exit 3), like `get` of an absent key. */
export const runFind: CommandRunner<FindArgs> = async (args, ctx) => {
  const kinds = (args.kind ?? []).map(parseKind)
  const objects = await readCatalogObjects(ctx, parseTimestampOption(args.asOf))
  const found = findObjects(objects, args.text, kinds)
  if (found.length === 0) throw new NotFoundError(`nothing matches "${args.text}"`, { code: 'nothing-found' })
  await ctx.out.data(renderFound(found, resolveOutputFormat(args.output)))
  return EXIT_OK
}
