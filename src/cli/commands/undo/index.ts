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
    .example(`$0 undo --store catalog.db setting '{"name":"greeting"}' --dry-run`, 'show what undoing the last change would write')
    .example(`$0 undo --store catalog.db setting '{"name":"greeting"}' --yes --reason 'INC-7 revert'`, 'undo it')

export type UndoArgs = ArgsOf<typeof builder>

export const undoCommand = defineCommand({
  name: 'undo',
  command: 'undo <collection> <key>',
  describe:
    'Undo the last change of one key: put back the value it had before (or delete it, if it was absent), bumping ' +
    'the epoch as edit does. Exit 3 when there is nothing to undo.',
  options: OPTIONS,
  builder,
  effect: 'write',
  load: async () => (await import('./run.js')).runUndo,
})
