import type { CommandRunner } from '../../command.js'
import { parseTimestampOption } from '../../as-of.js'
import { withOrganization } from '../../catalog-access.js'
import { EXIT_OK } from '../../exit-codes.js'
import { readJsonArgumentText } from '../../input.js'
import { resolveOutputFormat } from '../../options.js'
import { AmbiguousKeyError, NotFoundError } from '../../../errors.js'
import { openUnopenedCatalog, parseCollectionName } from '../../../catalog/index.js'
import { renderGet } from '../../../render/get.js'
import { jsonLine } from '../../../render/json-text.js'
import type { GetArgs } from './index.js'

/** Reads one key through the lookup index (never writes); absent is exit 3, several values exit 1. */
export const runGet: CommandRunner<GetArgs> = async (args, ctx) => {
  const collection = parseCollectionName(args.collection)
  const asOf = parseTimestampOption(args.asOf)
  const key = await readJsonArgumentText(ctx, 'KEY', args.key)
  const result = await ctx.retrying(`reading ${collection}`, () =>
    withOrganization(ctx, 'read', async (store, org) =>
      (await openUnopenedCatalog(store, org, asOf === undefined ? {} : { asOf })).get(collection, key),
    ),
  )
  const when = asOf === undefined ? '' : ` as of ${asOf}`
  const [only, ...more] = result.values
  if (only === undefined) {
    throw new NotFoundError(`no ${collection} entry with key ${jsonLine(result.key)}${when}`, {
      code: 'key-not-found',
      hint: `\`catalog-debug history ${collection} KEY\` shows whether it existed before`,
    })
  }
  if (more.length > 0 || only.count !== undefined) {
    throw new AmbiguousKeyError(`several values are current for key ${jsonLine(result.key)} in ${collection}${when}`, {
      hint: `\`catalog-debug history ${collection} KEY\` lists them; \`delete\` retracts every value`,
    })
  }
  await ctx.out.data(renderGet(result, only, resolveOutputFormat(args.output)))
  return EXIT_OK
}
