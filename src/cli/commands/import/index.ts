import type { Argv } from 'yargs'
import { defineCommand, type ArgsOf, type GlobalArgv } from '../../command.js'
import { REASON_OPTION } from '../../write-record.js'
import { OUTPUT_OPTION } from '../../options.js'

const OPTIONS = { ...OUTPUT_OPTION, ...REASON_OPTION } as const

const builder = (y: Argv<GlobalArgv>) =>
  y
    .options(OPTIONS)
    .positional('fixture', { type: 'string', describe: 'The fixture file (`-` for stdin)', demandOption: true })
    .example('$0 --store rehearsal.db import prod.ndjson', 'a new store holding the catalog of prod.ndjson')
    .example(
      '$0 --store catalog.db --organization-id 00000000-0000-0000-0000-000000000002 import demo.ndjson',
      'under another organization id',
    )

export type ImportArgs = ArgsOf<typeof builder>

export const importCommand = defineCommand({
  name: 'import',
  command: 'import <fixture>',
  describe:
    'Create a new catalog from a fixture: validates every line first, then writes all of it or nothing. Creates the ' +
    "store file if needed; refuses a catalog that holds data. --organization-id overrides the fixture's.",
  options: OPTIONS,
  builder,
  effect: 'create',
  load: async () => (await import('./run.js')).runImport,
})
