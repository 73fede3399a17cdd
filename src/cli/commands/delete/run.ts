import type { CommandRunner } from '../../command.js'
import { guardedDebugWrite } from '../../debug-write.js'
import { EXIT_OK } from '../../exit-codes.js'
import { readJsonArgumentText } from '../../input.js'
import { resolveOutputFormat } from '../../options.js'
import { NotFoundError } from '../../../errors.js'
import { openUnopenedCatalog, parseCollectionName } from '../../../catalog/index.js'
import { jsonLine } from '../../../render/json-text.js'
import { renderValueDiff } from '../../../render/value-diff.js'
import { renderDeleteOutcome } from '../../../render/write-result.js'
import type { DeleteArgs } from './index.js'

/** Deletes one key; an absent key is "not found" (exit 3) and nothing is written. */
export const runDelete: CommandRunner<DeleteArgs> = async (args, ctx) => {
  const collection = parseCollectionName(args.collection)
  const key = await readJsonArgumentText(ctx, 'KEY', args.key)
  const { result, previewOnly } = await guardedDebugWrite(ctx, {
    label: `deleting from ${collection}`,
    question: `delete ${collection} ${key}`,
    dryRun: args.dryRun === true,
    yes: args.yes === true,
    run: async (store, org, dryRun, session) => {
      const debug = await (await openUnopenedCatalog(store, org)).openDebug()
      const r = await debug.delete(collection, key, session === undefined ? { dryRun } : { dryRun, session })
      if (!r.found) throw new NotFoundError(`no ${collection} entry with key ${jsonLine(r.key)}`, { code: 'key-not-found' })
      return r
    },
    diff: (r) =>
      `${collection} ${jsonLine(r.key)}:\n${r.deleted.map((v) => renderValueDiff(v, undefined, ctx.out.stderrColor)).join('\n')}`,
    fingerprint: (r) => r.deleted,
  })
  const outcome = { ...result, committed: !previewOnly && result.committed, dryRun: args.dryRun === true, epoch: result.epoch }
  await ctx.out.data(renderDeleteOutcome(outcome, resolveOutputFormat(args.output)))
  return EXIT_OK
}
