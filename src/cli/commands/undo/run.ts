import type { CommandRunner } from '../../command.js'
import { guardedDebugWrite } from '../../debug-write.js'
import { EXIT_OK } from '../../exit-codes.js'
import { readJsonArgumentText } from '../../input.js'
import { resolveOutputFormat } from '../../options.js'
import { NotFoundError } from '../../../errors.js'
import { openUnopenedCatalog, parseCollectionName, type UndoResult } from '../../../catalog/index.js'
import { jsonLine } from '../../../render/json-text.js'
import { renderUndoOutcome } from '../../../render/undo-result.js'
import { renderValueDiff } from '../../../render/value-diff.js'
import type { UndoArgs } from './index.js'

/** Undoes one key's last change through the guarded debug write of `edit` and `delete`. */
export const runUndo: CommandRunner<UndoArgs> = async (args, ctx) => {
  const collection = parseCollectionName(args.collection)
  const key = await readJsonArgumentText(ctx, 'KEY', args.key)
  const { result, previewOnly } = await guardedDebugWrite(ctx, {
    label: `undoing in ${collection}`,
    question: `undo the last change of ${collection} ${key}`,
    dryRun: args.dryRun === true,
    yes: args.yes === true,
    run: async (store, org, dryRun, session) => {
      const debug = await (await openUnopenedCatalog(store, org)).openDebug()
      const r = await debug.undo(collection, key, session === undefined ? { dryRun } : { dryRun, session })
      if (!r.found)
        throw new NotFoundError(`nothing to undo: ${collection} has never held the key ${jsonLine(r.key)}`, { code: 'nothing-to-undo' })
      return r
    },
    diff: (r) => {
      if (!r.found) return undefined
      const w = r.write
      const diff =
        w.kind === 'edit'
          ? w.result.changed
            ? renderValueDiff(w.result.previous ?? undefined, w.result.value, ctx.out.stderrColor)
            : undefined
          : w.result.deleted.map((v) => renderValueDiff(v, undefined, ctx.out.stderrColor)).join('\n')
      return diff === undefined ? undefined : `${collection} ${jsonLine(w.result.key)} (undoing the change at ${r.undoneAt}):\n${diff}`
    },
    fingerprint: (r) => (r.found ? (r.write.kind === 'edit' ? r.write.result.previous : r.write.result.deleted) : null),
  })
  await ctx.out.data(
    renderUndoOutcome(result as Extract<UndoResult, { found: true }>, !previewOnly, args.dryRun === true, resolveOutputFormat(args.output)),
  )
  return EXIT_OK
}
