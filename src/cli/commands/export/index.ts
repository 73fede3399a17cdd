import type { Argv } from 'yargs'
import { AS_OF_OPTION } from '../../as-of.js'
import { defineCommand, type ArgsOf, type GlobalArgv } from '../../command.js'
import { TARGET_OPTION } from '../../options.js'

const OPTIONS = {
  ...AS_OF_OPTION,
  ...TARGET_OPTION,
  consolidated: { type: 'boolean', describe: 'Only the current state (every update at upper − 1), not the full history' },
} as const

const builder = (y: Argv<GlobalArgv>) =>
  y
    .options(OPTIONS)
    .positional('target', { type: 'string', describe: 'Write the fixture to this file (atomically) instead of stdout' })
    .example('$0 --store catalog.db export snapshot.ndjson', 'the full history, to a file')
    .example('$0 --store catalog.db export --consolidated', 'the current state, on stdout')
    .example('$0 --store catalog.db export --as-of 5 --consolidated', 'the state as it was at timestamp 5')
    .example('$0 --store catalog.db export | $0 --store copy.db import -', 'copy a catalog through a pipe')

export type ExportArgs = ArgsOf<typeof builder>

export const exportCommand = defineCommand({
  name: 'export',
  command: 'export [target]',
  describe:
    'Write the catalog as a fixture (canonical NDJSON, docs/fixture-format.md): the full history, or the current ' +
    'state with --consolidated. To stdout or TARGET. Never writes to the store.',
  options: OPTIONS,
  builder,
  effect: 'read',
  writesTarget: true,
  load: async () => (await import('./run.js')).runExport,
})
