import type { CommandRunner } from '../../command.js'
import { EXIT_OK } from '../../exit-codes.js'
import { isStdinArgument } from '../../input.js'
import { resolveOutputFormat } from '../../options.js'
import { refuseFixtureStore, withStore } from '../../store-access.js'
import { checkTarget } from '../../target.js'
import { UsageError } from '../../../errors.js'
import { backupStore } from '../../../catalog/backup/index.js'
import { renderBackup } from '../../../render/backup-result.js'
import type { BackupArgs } from './index.js'

/** Copies the store (opened read-only) to TARGET with the store's online backup. */
export const runBackup: CommandRunner<BackupArgs> = async (args, ctx) => {
  refuseFixtureStore(ctx, { hint: 'a fixture is a file: copy it; to make a store of it, use `import`' })
  if (isStdinArgument(args.target)) throw new UsageError('a backup is a file: TARGET cannot be -')
  const target = checkTarget(ctx, args.target, { force: args.force === true })
  const result = await ctx.retrying('backing up the store', () =>
    withStore(ctx, 'read', (store) => backupStore(store, target, { overwrite: args.force === true })),
  )
  await ctx.out.data(renderBackup(result, resolveOutputFormat(args.output)))
  return EXIT_OK
}
