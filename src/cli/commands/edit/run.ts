import type { CommandRunner } from '../../command.js'
import { guardedDebugWrite } from '../../debug-write.js'
import { EXIT_OK } from '../../exit-codes.js'
import { assertOneStdinArgument, readJsonArgument } from '../../input.js'
import { resolveOutputFormat } from '../../options.js'
import { openUnopenedCatalog, parseCollectionName } from '../../../catalog/index.js'
import { jsonLine } from '../../../render/json-text.js'
import { renderValueDiff } from '../../../render/value-diff.js'
import { renderEditOutcome } from '../../../render/write-result.js'
import type { EditArgs } from './index.js'

/** Replaces the value of one key; see `guardedDebugWrite` for the preview/confirm/write steps. */
export const runEdit: CommandRunner<EditArgs> = async (args, ctx) => {
  const collection = parseCollectionName(args.collection)
  assertOneStdinArgument({ KEY: args.key, VALUE: args.value })
  const key = await readJsonArgument(ctx, 'KEY', args.key)
  const value = await readJsonArgument(ctx, 'VALUE', args.value)
  const { result, previewOnly } = await guardedDebugWrite(ctx, {
    label: `editing ${collection}`,
    question: `write the new value to ${collection} ${jsonLine(key)}`,
    dryRun: args.dryRun === true,
    yes: args.yes === true,
    run: async (store, org, dryRun) => (await openUnopenedCatalog(store, org)).openDebug().then((d) => d.edit(collection, key, value, { dryRun })),
    diff: (r) => (r.changed ? diffHeader(collection, key, renderValueDiff(r.previous ?? undefined, r.value, ctx.out.stderrColor)) : undefined),
    fingerprint: (r) => r.previous,
  })
  const outcome = {
    collection,
    key,
    previous: result.previous,
    value: result.value,
    changed: result.changed,
    committed: !previewOnly && result.committed,
    dryRun: args.dryRun === true,
    epoch: result.epoch,
  }
  await ctx.out.data(renderEditOutcome(outcome, resolveOutputFormat(args.output)))
  return EXIT_OK
}

function diffHeader(collection: string, key: import('../../../catalog/codec/json.js').JsonValue, diff: string | undefined): string | undefined {
  return diff === undefined ? undefined : `${collection} ${jsonLine(key)}:\n${diff}`
}
