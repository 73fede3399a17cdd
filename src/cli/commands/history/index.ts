import type { Argv } from 'yargs'
import { defineCommand, type ArgsOf, type GlobalArgv } from '../../command.js'
import { OUTPUT_OPTION } from '../../options.js'

const OPTIONS = { ...OUTPUT_OPTION } as const

const builder = (y: Argv<GlobalArgv>) =>
  y
    .options(OPTIONS)
    .positional('collection', { type: 'string', describe: 'The collection (see `dump`)', demandOption: true })
    .positional('key', { type: 'string', describe: 'The key as JSON, `-` for stdin or @file', demandOption: true })
    .example(`$0 --store catalog.db history config '{"key":"deploy_generation"}'`, 'every value the key has had')
    .example(`$0 --store catalog.db history setting '{"name":"greeting"}' -o json | jq -c '.[-2].value'`, 'the value before the last edit')

export type HistoryArgs = ArgsOf<typeof builder>

export const historyCommand = defineCommand({
  name: 'history',
  command: 'history <collection> <key>',
  describe: 'Every version of one key, oldest first, with the timestamps that wrote and retracted it. Never writes.',
  options: OPTIONS,
  builder,
  effect: 'read',
  load: async () => (await import('./run.js')).runHistory,
})
