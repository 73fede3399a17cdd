import type { Argv } from 'yargs'
import { defineCommand, type ArgsOf, type GlobalArgv } from '../../command.js'
import { OUTPUT_OPTION } from '../../options.js'

const OPTIONS = {
  ...OUTPUT_OPTION,
  from: {
    type: 'string',
    describe: 'Print the updates committed after this timestamp (default: from now on)',
    requiresArg: true,
  },
  only: {
    type: 'string',
    array: true,
    describe: 'Only this collection (repeatable; the epoch is shown only without it)',
    requiresArg: true,
  },
} as const

const builder = (y: Argv<GlobalArgv>) =>
  y
    .options(OPTIONS)
    .example('$0 --store catalog.db watch', 'every update as it commits, until Ctrl-C')
    .example(
      '$0 --store catalog.db watch --from 40 --only setting -o ndjson',
      'the setting updates after timestamp 40 and on, as fixture lines',
    )

export type WatchArgs = ArgsOf<typeof builder>

export const watchCommand = defineCommand({
  name: 'watch',
  command: 'watch',
  describe:
    'Follow the catalog: print each update as it commits (text, or NDJSON in the fixture format), from now or after ' +
    '--from TS, until interrupted (Ctrl-C, SIGTERM, or the reader closing the pipe: exit 0). Never writes.',
  options: OPTIONS,
  builder,
  load: async () => (await import('./run.js')).runWatch,
})
