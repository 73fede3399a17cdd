import type { Argv } from 'yargs'
import { defineCommand, type ArgsOf, type GlobalArgv } from '../../command.js'
import { OUTPUT_OPTION } from '../../options.js'

const OPTIONS = { ...OUTPUT_OPTION } as const

const builder = (y: Argv<GlobalArgv>) => y.options(OPTIONS).example('$0 version -o json', '{"version": "v0.91.0 (…)"}')

export type VersionArgs = ArgsOf<typeof builder>

export const versionCommand = defineCommand({
  name: 'version',
  command: 'version',
  describe: 'Print the version (as --version and -V do).',
  options: OPTIONS,
  builder,
  effect: 'none',
  needsStore: false,
  load: async () => (await import('./run.js')).runVersion,
})
