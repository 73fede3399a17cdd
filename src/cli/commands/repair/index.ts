import type { Argv } from 'yargs'
import { defineCommand, type ArgsOf, type GlobalArgv } from '../../command.js'
import { OUTPUT_OPTION } from '../../options.js'
import { WRITE_OPTIONS } from '../edit/index.js'

const OPTIONS = {
  ...OUTPUT_OPTION,
  ...WRITE_OPTIONS,
  'allow-delete': { type: 'boolean', describe: 'Remove rows no catalog version can decode' },
  'remove-dangling': { type: 'boolean', describe: 'Remove objects that refer to a missing one, and what depends on them' },
  repoint: {
    type: 'string',
    array: true,
    requiresArg: true,
    describe: 'Re-point references to a missing object: KIND:OLD=NEW (database, schema, cluster, role; e.g. database:u4=u1)',
  },
  'rename-suffix': { type: 'string', requiresArg: true, describe: 'Rename duplicate names (all but the first by id) with this suffix' },
  'plan-out': { type: 'string', requiresArg: true, describe: 'Save the plan to this file (JSON) for review; writes nothing else' },
  'patch-out': {
    type: 'string',
    requiresArg: true,
    describe: 'Write the repaired catalog to this fixture file (compare it with `diff`); writes nothing else',
  },
  force: { type: 'boolean', describe: 'Let --plan-out/--patch-out replace an existing file' },
  apply: {
    type: 'string',
    requiresArg: true,
    describe: 'Apply this saved plan as it is (`-`: stdin); refused if the catalog changed since',
  },
} as const

const builder = (y: Argv<GlobalArgv>) =>
  y
    .options(OPTIONS)
    .example('$0 --store catalog.db repair', 'the plan for every finding with a safe fix; writes nothing without a terminal to confirm')
    .example('$0 --store catalog.db repair --plan-out plan.json', 'save the plan for review')
    .example('$0 --store catalog.db repair --apply plan.json --yes', 'apply exactly the reviewed plan')
    .example('$0 --store demo.ndjson repair --patch-out repaired.ndjson', 'repair a fixture into a new fixture')

export type RepairArgs = ArgsOf<typeof builder>

export const repairCommand = defineCommand({
  name: 'repair',
  command: 'repair',
  describe:
    "Plan fixes for verify's findings (each update, why, which finding) and apply them in one write, " +
    'after confirmation or with --yes.',
  options: OPTIONS,
  builder,
  effect: 'write',
  load: async () => (await import('./run.js')).runRepair,
})
