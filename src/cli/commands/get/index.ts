import type { Argv } from 'yargs'
import { AS_OF_OPTION } from '../../as-of.js'
import { defineCommand, type ArgsOf, type GlobalArgv } from '../../command.js'
import { OUTPUT_OPTION } from '../../options.js'

const OPTIONS = { ...OUTPUT_OPTION, ...AS_OF_OPTION } as const

const builder = (y: Argv<GlobalArgv>) =>
  y
    .options(OPTIONS)
    .positional('collection', { type: 'string', describe: 'The collection (see `dump`)', demandOption: true })
    .positional('key', { type: 'string', describe: 'The key as JSON, `-` for stdin or @file', demandOption: true })
    .example(`$0 --store catalog.db get config '{"key":"user_version"}'`, 'the current value, as JSON `edit` accepts')
    .example(
      `$0 --store catalog.db get setting '{"name":"greeting"}' --as-of 7 -o json`,
      'the value it had at timestamp 7, with when it was written',
    )

export type GetArgs = ArgsOf<typeof builder>

export const getCommand = defineCommand({
  name: 'get',
  command: 'get <collection> <key>',
  describe: 'The current value of one key (or its value at --as-of). Exit 3 when the key is absent. Never writes.',
  options: OPTIONS,
  builder,
  effect: 'read',
  load: async () => (await import('./run.js')).runGet,
})
