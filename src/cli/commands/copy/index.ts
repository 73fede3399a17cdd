import type { Argv } from 'yargs'
import { defineCommand, type ArgsOf, type GlobalArgv } from '../../command.js'
import { REASON_OPTION } from '../../write-record.js'
import { OUTPUT_OPTION } from '../../options.js'

const OPTIONS = {
  ...REASON_OPTION,
  ...OUTPUT_OPTION,
  from: {
    type: 'string',
    describe: 'The store to copy from: a path, a postgres:// URL or a fixture',
    demandOption: true,
    requiresArg: true,
  },
  to: {
    type: 'string',
    describe: 'The store to copy into: a path or a postgres:// URL; created if absent',
    demandOption: true,
    requiresArg: true,
  },
} as const

const builder = (y: Argv<GlobalArgv>) =>
  y
    .options(OPTIONS)
    .example('$0 copy --from catalog.db --to postgres://catalog@db.internal/catalog', 'move a catalog from SQLite to PostgreSQL')
    .example('$0 copy --from catalog.db --to copy.db --organization-id 00000000-0000-0000-0000-000000000001', 'one catalog of several')

export type CopyArgs = ArgsOf<typeof builder>

export const copyCommand = defineCommand({
  name: 'copy',
  command: 'copy',
  describe:
    'Copy a catalog with its full history to another store (any backend), then verify that the two are equal ' +
    '(exit 1 if they differ). Creates --to if absent.',
  options: OPTIONS,
  builder,
  effect: 'create',
  needsStore: false,
  load: async () => (await import('./run.js')).runCopy,
})
