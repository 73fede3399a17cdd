import type { CommandRunner } from '../../command.js'
import { parseTimestampOption } from '../../as-of.js'
import { withCatalogObjects } from '../../catalog-objects.js'
import { EXIT_OK } from '../../exit-codes.js'
import { resolveOutputFormat } from '../../options.js'
import { describeObject, parseKind, resolveObject } from '../../../catalog/names/index.js'
import { renderDescription } from '../../../render/describe.js'
import type { DescribeArgs } from './index.js'

/** Resolves KIND NAME (not found: exit 3; ambiguous: exit 2) and prints its description. */
export const runDescribe: CommandRunner<DescribeArgs> = async (args, ctx) => {
  const kind = parseKind(args.kind)
  return withCatalogObjects(ctx, parseTimestampOption(args.asOf), async (objects) => {
    const object = resolveObject(objects, kind, args.name)
    await ctx.out.data(renderDescription(describeObject(objects, object), resolveOutputFormat(args.output)))
    return EXIT_OK
  })
}
