import type { Argv } from 'yargs'
import { AS_OF_OPTION } from '../../as-of.js'
import { defineCommand, type ArgsOf, type GlobalArgv } from '../../command.js'
import { OUTPUT_OPTION } from '../../options.js'

const OPTIONS = {
  ...OUTPUT_OPTION,
  ...AS_OF_OPTION,
  kind: {
    alias: 'k',
    type: 'string',
    array: true,
    describe: 'Only objects of this kind (repeatable; as `describe` takes it)',
    requiresArg: true,
  },
} as const

const builder = (y: Argv<GlobalArgv>) =>
  y
    .options(OPTIONS)
    .positional('text', {
      type: 'string',
      describe: 'Text to look for in names, qualified names and ids (case-insensitive)',
      demandOption: true,
    })
    .example('$0 --store catalog.db find revenue', 'every object whose name contains "revenue"')
    .example('$0 --store catalog.db find u3 -k cluster -k role', 'the cluster and the role with id u3')

export type FindArgs = ArgsOf<typeof builder>

export const findCommand = defineCommand({
  name: 'find',
  command: 'find <text>',
  describe:
    'List the databases, schemas, items, clusters, replicas and roles whose name or id contains TEXT; exit 3 when none does. Never writes.',
  options: OPTIONS,
  builder,
  effect: 'read',
  load: async () => (await import('./run.js')).runFind,
})
