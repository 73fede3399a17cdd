import type { CommandRunner } from '../../command.js'
import { guardedDebugWrite } from '../../debug-write.js'
import { EXIT_OK } from '../../exit-codes.js'
import { assertOneStdinArgument, readJsonArgumentText } from '../../input.js'
import { resolveOutputFormat } from '../../options.js'
import { openUnopenedCatalog, parseCollectionName } from '../../../catalog/index.js'
import { jsonLine } from '../../../render/json-text.js'
import { renderValueDiff } from '../../../render/value-diff.js'
import { renderEditOutcome } from '../../../render/write-result.js'
import type { EditArgs } from './index.js'

/** Replaces the value of one key; `guardedDebugWrite` does the preview, confirmation and write. */
export const runEdit: CommandRunner<EditArgs> = async (args, ctx) => {
  const collection = parseCollectionName(args.collection)
  assertOneStdinArgument({ KEY: args.key, VALUE: args.value })
  const key = await readJsonArgumentText(ctx, 'KEY', args.key)
  const value = await readJsonArgumentText(ctx, 'VALUE', args.value)
  const { result, previewOnly } = await guardedDebugWrite(ctx, {
    label: `editing ${collection}`,
    question: `write the new value to ${collection} ${key}`,
    dryRun: args.dryRun === true,
    yes: args.yes === true,
    run: async (store, org, dryRun, session) =>
      (await (await openUnopenedCatalog(store, org)).openDebug()).edit(
        collection,
        key,
        value,
        session === undefined ? { dryRun } : { dryRun, session },
      ),
    diff: (r) => {
      const diff = r.changed ? renderValueDiff(r.previous ?? undefined, r.value, ctx.out.stderrColor) : undefined
      return diff === undefined ? undefined : `${collection} ${jsonLine(r.key)}:\n${diff}`
    },
    fingerprint: (r) => r.previous,
  })
  const outcome = { ...result, committed: !previewOnly && result.committed, dryRun: args.dryRun === true, epoch: result.epoch }
  await ctx.out.data(renderEditOutcome(outcome, resolveOutputFormat(args.output)))
  return EXIT_OK
}
