import type { Argv } from 'yargs'
import { defineCommand, type ArgsOf, type GlobalArgv } from '../../command.js'
import { OUTPUT_OPTION, TARGET_OPTION } from '../../options.js'

const OPTIONS = { ...OUTPUT_OPTION, ...TARGET_OPTION } as const

const builder = (y: Argv<GlobalArgv>) =>
  y
    .options(OPTIONS)
    .positional('target', { type: 'string', describe: 'Write the output to this file instead of stdout' })
    .example('$0 epoch --store catalog.db', 'Epoch: 3')

export type EpochArgs = ArgsOf<typeof builder>

export const epochCommand = defineCommand({
  name: 'epoch',
  command: 'epoch [target]',
  describe: 'Print the current epoch. Never writes.',
  options: OPTIONS,
  builder,
  effect: 'read',
  writesTarget: true,
  load: async () => (await import('./run.js')).runEpoch,
})
