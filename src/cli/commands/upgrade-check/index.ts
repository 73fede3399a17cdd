import type { Argv } from 'yargs'
import { defineCommand, type ArgsOf, type GlobalArgv } from '../../command.js'
import { OUTPUT_OPTION } from '../../options.js'

const OPTIONS = { ...OUTPUT_OPTION } as const

const builder = (y: Argv<GlobalArgv>) =>
  y
    .options(OPTIONS)
    .positional('cluster_replica_sizes', {
      type: 'string',
      describe: 'Map of replica size name to resource specification as JSON, `-` for stdin or @file',
    })
    .example('$0 upgrade-check --store catalog.db', 'catalog upgrade from 46 to 0.91.0 would succeed in about 12 ms')
    .example(`$0 upgrade-check --store catalog.db @sizes.json -o json`, 'the full report as JSON')

export type UpgradeCheckArgs = ArgsOf<typeof builder>

export const upgradeCheckCommand = defineCommand({
  name: 'upgrade-check',
  command: 'upgrade-check [cluster_replica_sizes]',
  describe:
    'Check whether the catalog could be upgraded to the version of this build: runs every migration in memory and ' +
    'commits nothing. Exit 0 if it would succeed, 6 if not.',
  options: OPTIONS,
  builder,
  effect: 'read',
  load: async () => (await import('./run.js')).runUpgradeCheck,
})
