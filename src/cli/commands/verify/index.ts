import type { Argv } from 'yargs'
import { defineCommand, type ArgsOf, type GlobalArgv } from '../../command.js'
import { OUTPUT_OPTION } from '../../options.js'
import { VERIFY_CHECKS } from '../../../catalog/verify/findings.js'

const OPTIONS = {
  ...OUTPUT_OPTION,
  check: { type: 'string', array: true, choices: VERIFY_CHECKS, describe: 'Run only this check (repeatable)', requiresArg: true },
  strict: { type: 'boolean', describe: 'Exit 1 on warnings too' },
  'full-integrity': {
    type: 'boolean',
    describe: "The store's full integrity check (SQLite integrity_check: also that every index matches its table); slower",
  },
} as const

const builder = (y: Argv<GlobalArgv>) =>
  y
    .options(OPTIONS)
    .example('$0 --store catalog.db verify', 'every check; exit 0 when clean, 1 when something is wrong')
    .example(`$0 --store catalog.db verify -o json | jq '.findings[] | select(.severity == "error")'`, 'the errors, as JSON')

export type VerifyArgs = ArgsOf<typeof builder>

export const verifyCommand = defineCommand({
  name: 'verify',
  command: 'verify',
  describe:
    "Check the catalog's invariants and the store's integrity (decoding, multiplicity, references, unique names, " +
    'id allocators). Exit 0 when no finding is an error, 1 otherwise. Never writes.',
  options: OPTIONS,
  builder,
  effect: 'read',
  load: async () => (await import('./run.js')).runVerify,
})
