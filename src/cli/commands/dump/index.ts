import type { Argv } from 'yargs'
import { AS_OF_OPTION } from '../../as-of.js'
import { defineCommand, type ArgsOf, type GlobalArgv } from '../../command.js'
import { OUTPUT_OPTION, TARGET_OPTION } from '../../options.js'

const OPTIONS = {
  ...OUTPUT_OPTION,
  ...AS_OF_OPTION,
  ...TARGET_OPTION,
  'ignore-large-collections': {
    type: 'boolean',
    describe: 'Skip the audit_log and storage_usage collections, which are often very large',
  },
  only: { type: 'string', array: true, describe: 'Dump only this collection (repeatable)', requiresArg: true },
  ignore: { alias: 'i', type: 'string', array: true, describe: 'Skip this collection (repeatable)', requiresArg: true },
  'stats-only': { type: 'boolean', describe: 'Print only the statistics of each collection, not its updates' },
  consolidate: { alias: 'c', type: 'boolean', describe: 'Consolidate the updates (warns when retractions remain)' },
  strict: { type: 'boolean', describe: 'Exit 1 when some rows do not decode' },
  'sort-memory': {
    type: 'string',
    describe: 'With --consolidate: memory for sorting a collection (e.g. 64M) before sorted runs go to a temporary file (default 4M)',
    requiresArg: true,
  },
} as const

const builder = (y: Argv<GlobalArgv>) =>
  y
    .options(OPTIONS)
    .positional('target', { type: 'string', describe: 'Write the dump to this file instead of stdout' })
    .example('$0 dump --store catalog.db', 'every collection with statistics and updates')
    .example('$0 dump --store catalog.db --ignore-large-collections -c', 'consolidated, without audit_log and storage_usage')
    .example('$0 dump --store catalog.db --only role --only cluster -c', 'the current roles and clusters only')
    .example('$0 dump --store catalog.db --as-of 5 -c', 'the catalog as it was at timestamp 5')
    .example('$0 dump --store catalog.db --stats-only -o json', 'statistics only, as JSON')

export type DumpArgs = ArgsOf<typeof builder>

export const dumpCommand = defineCommand({
  name: 'dump',
  command: 'dump [target]',
  describe:
    'Dump the catalog: every collection sorted by name, with statistics and each update (key and value JSON that ' +
    '`edit` and `delete` accept as they are, timestamp, diff). Never writes.',
  options: OPTIONS,
  builder,
  effect: 'read',
  writesTarget: true,
  load: async () => (await import('./run.js')).runDump,
})
