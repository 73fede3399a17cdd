import type { Argv } from 'yargs'
import { defineCommand, type ArgsOf, type GlobalArgv } from '../../command.js'
import { OUTPUT_OPTION } from '../../options.js'
import { WRITE_OPTIONS } from '../edit/index.js'

const OPTIONS = { ...OUTPUT_OPTION, ...WRITE_OPTIONS } as const

const builder = (y: Argv<GlobalArgv>) =>
  y
    .options(OPTIONS)
    .positional('collection', { type: 'string', describe: 'The collection (see `dump`)', demandOption: true })
    .positional('key', { type: 'string', describe: 'The key as JSON, `-` for stdin or @file', demandOption: true })
    .example(`$0 delete --store catalog.db setting '{"name":"catalog_content_version"}' --yes`, 'delete one key')

export type DeleteArgs = ArgsOf<typeof builder>

export const deleteCommand = defineCommand({
  name: 'delete',
  command: 'delete <collection> <key>',
  describe: 'Delete one key from a collection (retracts its value(s), bumps the epoch). Prints what was deleted.',
  options: OPTIONS,
  builder,
  effect: 'write',
  load: async () => (await import('./run.js')).runDelete,
})
