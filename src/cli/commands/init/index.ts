import type { Argv } from 'yargs'
import { defineCommand, type ArgsOf, type GlobalArgv } from '../../command.js'
import { REASON_OPTION } from '../../write-record.js'
import { OUTPUT_OPTION } from '../../options.js'

const OPTIONS = {
  ...REASON_OPTION,
  ...OUTPUT_OPTION,
  'replica-size': {
    type: 'string',
    describe: 'Size of the replica of the default cluster',
    defaultDescription: '"1"',
    requiresArg: true,
  },
  'bootstrap-role': { type: 'string', describe: 'A role to create with superuser rights', requiresArg: true },
  'deploy-generation': { type: 'string', describe: 'The deploy generation to record (u64)', defaultDescription: '0', requiresArg: true },
  now: {
    type: 'string',
    describe: 'The boot time to record, in epoch milliseconds (the initial audit events and timestamp); 0 for reproducible fixtures',
    defaultDescription: 'the wall clock',
    requiresArg: true,
  },
} as const

const builder = (y: Argv<GlobalArgv>) =>
  y
    .options(OPTIONS)
    .example('$0 init --store catalog.db', 'a new catalog under a random organization id (printed)')
    .example('$0 init --store catalog.db --organization-id 00000000-0000-0000-0000-000000000001 --replica-size 2', 'a fixed id')
    .example('$0 init --store catalog.db --organization-id 00000000-0000-0000-0000-000000000001 --now 0', 'byte-for-byte reproducible')

export type InitArgs = ArgsOf<typeof builder>

export const initCommand = defineCommand({
  name: 'init',
  command: 'init',
  describe:
    'Create a catalog with the contents Materialize writes on first start; creates the store file if needed. ' +
    '--organization-id defaults to a new random UUID.',
  options: OPTIONS,
  builder,
  effect: 'create',
  load: async () => (await import('./run.js')).runInit,
})
