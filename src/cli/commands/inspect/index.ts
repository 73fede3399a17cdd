import type { Argv } from 'yargs'
import { defineCommand, type ArgsOf, type GlobalArgv } from '../../command.js'
import { OUTPUT_OPTION } from '../../options.js'

const OPTIONS = { ...OUTPUT_OPTION } as const

const builder = (y: Argv<GlobalArgv>) =>
  y
    .options(OPTIONS)
    .positional('shard', { type: 'string', describe: 'Only this shard (s<uuid>)' })
    .example('$0 inspect --store catalog.db', 'every shard in the store')
    .example('$0 inspect --store catalog.db -o json', "persist's inspect JSON for every shard")

export type InspectArgs = ArgsOf<typeof builder>

export const inspectCommand = defineCommand({
  name: 'inspect',
  command: 'inspect [shard]',
  describe: "Show the store and each shard's state (frontiers, seqno, readers, writers), like persist's inspect. Never writes.",
  options: OPTIONS,
  builder,
  effect: 'read',
  load: async () => (await import('./run.js')).runInspect,
})
