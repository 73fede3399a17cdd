import type { CommandRunner } from '../../command.js'
import { EXIT_OK } from '../../exit-codes.js'
import { guardedWrite } from '../../guarded-write.js'
import { resolveOutputFormat } from '../../options.js'
import { writeRecordFor } from '../../write-record.js'
import { locate, refuseFixtureStore, storeLocation } from '../../store-access.js'
import { refuseStoreFile } from '../../target.js'
import { UsageError } from '../../../errors.js'
import { restoreStore } from '../../../catalog/backup/index.js'
import { renderRestore, renderRestorePlan } from '../../../render/backup-result.js'
import type { RestoreArgs } from './index.js'

/** Checks the restore (a dry run of the core's), shows it, confirms, then replaces the store file. */
export const runRestore: CommandRunner<RestoreArgs> = async (args, ctx) => {
  const from = locate(ctx, args.source, 'SOURCE')
  if (from.kind === 'fixture') {
    throw new UsageError(`${args.source} is a fixture, not a backup`, {
      hint: `make a store of it with: catalog-debug --store new.db import ${args.source}`,
    })
  }
  const into = storeLocation(ctx)
  if (into.kind === 'fixture') refuseFixtureStore(ctx)
  if (from.kind !== 'sqlite' || into.kind !== 'sqlite') throw new UsageError('restore works on SQLite store files only')
  const source = from.target
  refuseStoreFile(ctx, source, 'SOURCE')
  const target = into.target
  const force = args.force === true
  const dryRun = args.dryRun === true
  const outcome = await guardedWrite(ctx, {
    dryRun,
    yes: args.yes === true,
    preview: () => ctx.retrying('checking the restore', () => restoreStore(source, target, { force, dryRun: true })),
    describe: (plan) => renderRestorePlan(plan),
    question: () => `replace ${target} with ${source}`,
    write: () =>
      ctx.retrying('restoring the store', () =>
        restoreStore(source, target, ctx.invocation === undefined ? { force } : { force, record: writeRecordFor(ctx, ctx.invocation) }),
      ),
  })
  const result = outcome.written ? outcome.result : outcome.preview
  await ctx.out.data(renderRestore(result, outcome.written, dryRun, resolveOutputFormat(args.output)))
  return EXIT_OK
}
