import type { Argv } from 'yargs'
import { defineCommand, type ArgsOf, type GlobalArgv } from '../../command.js'
import { OUTPUT_OPTION } from '../../options.js'
import { REASON_OPTION } from '../../write-record.js'

export const WRITE_OPTIONS = {
  ...REASON_OPTION,
  'dry-run': { type: 'boolean', describe: 'Show what would change and write nothing' },
  yes: { alias: 'y', type: 'boolean', describe: 'Do not ask for confirmation (required without a terminal)' },
} as const

const OPTIONS = { ...OUTPUT_OPTION, ...WRITE_OPTIONS } as const

const builder = (y: Argv<GlobalArgv>) =>
  y
    .options(OPTIONS)
    .positional('collection', { type: 'string', describe: 'The collection (see `dump`)', demandOption: true })
    .positional('key', { type: 'string', describe: 'The key as JSON, `-` for stdin or @file', demandOption: true })
    .positional('value', { type: 'string', describe: 'The new value as JSON, `-` for stdin or @file', demandOption: true })
    .example(`$0 edit --store catalog.db config '{"key":"deploy_generation"}' '{"value":2}' --dry-run`, 'show the change only')
    .example(`$0 edit --store catalog.db config '{"key":"deploy_generation"}' @value.json --yes`, 'write it without asking')

export type EditArgs = ArgsOf<typeof builder>

export const editCommand = defineCommand({
  name: 'edit',
  command: 'edit <collection> <key> <value>',
  describe:
    'Set the value of one key in a collection (retracts the current value, inserts the new one, bumps the epoch). ' +
    'Prints the previous value; shows the change on stderr.',
  options: OPTIONS,
  builder,
  effect: 'write',
  load: async () => (await import('./run.js')).runEdit,
})
