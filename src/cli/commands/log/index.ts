import type { Argv } from 'yargs'
import { defineCommand, type ArgsOf, type GlobalArgv } from '../../command.js'
import { OUTPUT_OPTION } from '../../options.js'

const OPTIONS = {
  ...OUTPUT_OPTION,
  n: { alias: 'max-count', type: 'number', describe: 'Show at most this many writes (the newest)', requiresArg: true },
  since: {
    type: 'string',
    describe: 'Only writes at or after this time: an ISO date/time (2026-12-07T17:00Z) or an age (30m, 2h, 7d)',
    requiresArg: true,
  },
} as const

const builder = (y: Argv<GlobalArgv>) =>
  y
    .options(OPTIONS)
    .example('$0 --store catalog.db log', 'every write, newest first: when, who, what, why')
    .example('$0 --store catalog.db log -n 5 --since 2h -o json', 'the last five writes of the past two hours, as JSON')

export type LogArgs = ArgsOf<typeof builder>

export const logCommand = defineCommand({
  name: 'log',
  command: 'log',
  describe:
    'The writes to the catalog, newest first, one line each: wall-clock time, user@host, command, the timestamps it ' +
    'wrote, the reason given with --reason, and the command line (secrets redacted). Never writes.',
  options: OPTIONS,
  builder,
  load: async () => (await import('./run.js')).runLog,
})
