import type { Argv } from 'yargs'
import { defineCommand, type ArgsOf, type GlobalArgv } from '../../command.js'
import { OUTPUT_OPTION } from '../../options.js'

const OPTIONS = {
  ...OUTPUT_OPTION,
  force: { type: 'boolean', describe: 'Replace TARGET if it exists' },
} as const

const builder = (y: Argv<GlobalArgv>) =>
  y
    .options(OPTIONS)
    .positional('target', { type: 'string', describe: 'The backup file to write', demandOption: true })
    .example('$0 --store catalog.db backup /backups/catalog-$(date +%Y%m%dT%H%M%S).db', 'a consistent copy, while writers keep running')

export type BackupArgs = ArgsOf<typeof builder>

export const backupCommand = defineCommand({
  name: 'backup',
  command: 'backup <target>',
  describe:
    'Copy a SQLite store to TARGET, online and consistent (writers may keep running). Refuses an existing TARGET ' + 'unless --force.',
  options: OPTIONS,
  builder,
  effect: 'read',
  writesTarget: true,
  load: async () => (await import('./run.js')).runBackup,
})
