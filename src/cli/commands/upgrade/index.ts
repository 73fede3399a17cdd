import type { Argv } from 'yargs'
import { defineCommand, type ArgsOf, type GlobalArgv } from '../../command.js'
import { OUTPUT_OPTION, TARGET_OPTION } from '../../options.js'
import { WRITE_OPTIONS } from '../edit/index.js'

const OPTIONS = { ...OUTPUT_OPTION, ...WRITE_OPTIONS, ...TARGET_OPTION } as const

const builder = (y: Argv<GlobalArgv>) =>
  y
    .options(OPTIONS)
    .positional('target', {
      type: 'string',
      describe: 'With a fixture --store: write the upgraded catalog to this new fixture (`-`: stdout)',
    })
    .example('$0 --store catalog.db upgrade --dry-run', 'what each migration step would change; writes nothing')
    .example('$0 --store catalog.db upgrade --yes', 'commit the migrations without asking')
    .example('$0 --store demo-v42.ndjson upgrade demo-upgraded.ndjson', 'upgrade a fixture into a new fixture')

export type UpgradeArgs = ArgsOf<typeof builder>

export const upgradeCommand = defineCommand({
  name: 'upgrade',
  command: 'upgrade [target]',
  describe:
    'Migrate the catalog to version 47 and commit it (a writable open: bumps the epoch). Shows the changes and asks ' +
    'first, like edit. On a fixture --store, writes the upgraded catalog to TARGET instead.',
  options: OPTIONS,
  builder,
  effect: 'write',
  writesTarget: true,
  load: async () => (await import('./run.js')).runUpgrade,
})
