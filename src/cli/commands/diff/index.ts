import type { Argv } from 'yargs'
import { AS_OF_OPTION } from '../../as-of.js'
import { defineCommand, type ArgsOf, type GlobalArgv } from '../../command.js'
import type { DiffFormat } from '../../../render/catalog-diff.js'

const OPTIONS = {
  output: {
    alias: 'o',
    type: 'string',
    choices: ['text', 'json', 'ndjson', 'jsonpatch'] as const satisfies readonly DiffFormat[],
    describe: 'Output format: text, the report as json/ndjson, or an RFC 6902 JSON Patch (jsonpatch)',
    defaultDescription: 'text',
    requiresArg: true,
  },
  ...AS_OF_OPTION,
  'as-of-a': { type: 'string', describe: 'Read A as of this timestamp (overrides --as-of for A)', requiresArg: true },
  'as-of-b': { type: 'string', describe: 'Read B as of this timestamp (overrides --as-of for B)', requiresArg: true },
  'include-epoch': { type: 'boolean', describe: 'Also compare the epoch (every writable open bumps it, so copies differ there)' },
} as const

const builder = (y: Argv<GlobalArgv>) =>
  y
    .options(OPTIONS)
    .positional('a', { type: 'string', describe: 'The catalog before: a store path, a postgres:// URL or a fixture', demandOption: true })
    .positional('b', { type: 'string', describe: 'The catalog after (same forms)', demandOption: true })
    .example('$0 diff expected.ndjson test-env.db', 'what changed, as a readable delta; exit 1 when anything differs')
    .example('$0 diff catalog.db catalog.db --as-of-a 5', 'what changed in one store since timestamp 5')
    .example('$0 diff before.ndjson after.ndjson -o jsonpatch', 'the change as an RFC 6902 JSON Patch')

export type DiffArgs = ArgsOf<typeof builder>

export const diffCommand = defineCommand({
  name: 'diff',
  command: 'diff <a> <b>',
  describe:
    'Compare two catalogs (stores, URLs or fixtures) key by key, with value diffs. Exit 0 when equal, 1 when they ' +
    'differ. Never writes.',
  options: OPTIONS,
  builder,
  effect: 'read',
  needsStore: false,
  load: async () => (await import('./run.js')).runDiff,
})
