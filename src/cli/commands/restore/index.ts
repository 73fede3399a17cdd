import type { Argv } from 'yargs'
import { defineCommand, type ArgsOf, type GlobalArgv } from '../../command.js'
import { OUTPUT_OPTION } from '../../options.js'
import { WRITE_OPTIONS } from '../edit/index.js'

const OPTIONS = {
  ...OUTPUT_OPTION,
  ...WRITE_OPTIONS,
  force: {
    type: 'boolean',
    describe: 'Restore even if the writes made after the backup are lost (its upper moves backwards)',
  },
} as const

const builder = (y: Argv<GlobalArgv>) =>
  y
    .options(OPTIONS)
    .positional('source', { type: 'string', describe: 'The backup file (see `backup`)', demandOption: true })
    .example('$0 --store catalog.db restore /backups/catalog-20240301T000000.db --dry-run', 'what the restore would do')
    .example('$0 --store catalog.db restore /backups/catalog-20240301T000000.db --yes', 'restore it (every writer stopped)')

export type RestoreArgs = ArgsOf<typeof builder>

export const restoreCommand = defineCommand({
  name: 'restore',
  command: 'restore <source>',
  describe:
    "Replace the SQLite store with a backup. Refuses to move any shard's upper backwards unless --force; asks " + 'first, like edit.',
  options: OPTIONS,
  builder,
  effect: 'write',
  load: async () => (await import('./run.js')).runRestore,
})
