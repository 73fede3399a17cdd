import type { Argv } from 'yargs'
import { defineCommand, type ArgsOf, type GlobalArgv } from '../../command.js'
import { SHELLS } from '../../completion/complete.js'

const OPTIONS = {} as const

const builder = (y: Argv<GlobalArgv>) =>
  y
    .positional('shell', { type: 'string', choices: SHELLS, describe: 'The shell (default: the one $SHELL names, else bash)' })
    .example('$0 completion bash >> ~/.bashrc', 'install for bash, then: source ~/.bashrc')
    .example('$0 completion zsh >> ~/.zshrc', 'install for zsh (after compinit)')
    .example('$0 completion fish > ~/.config/fish/completions/catalog-debug.fish', 'install for fish')

export type CompletionArgs = ArgsOf<typeof builder>

export const completionCommand = defineCommand({
  name: 'completion',
  command: 'completion [shell]',
  describe: 'Print a shell completion script (bash, zsh or fish): commands, options, option values, collection names and kinds.',
  options: OPTIONS,
  builder,
  effect: 'none',
  needsStore: false,
  load: async () => (await import('./run.js')).runCompletion,
})
