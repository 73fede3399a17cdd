import type { CommandRunner } from '../../command.js'
import { EXIT_OK } from '../../exit-codes.js'
import { SHELLS, type Shell } from '../../completion/complete.js'
import { completionScript } from '../../completion/scripts.js'
import type { CompletionArgs } from './index.js'

/** Prints the script for the shell asked for, or for the login shell ($SHELL), else bash. */
export const runCompletion: CommandRunner<CompletionArgs> = async (args, ctx) => {
  const login = (ctx.io.env.SHELL ?? '').split('/').at(-1) ?? ''
  const shell = (args.shell ?? ((SHELLS as readonly string[]).includes(login) ? login : 'bash')) as Shell
  await ctx.out.data(completionScript(shell))
  return EXIT_OK
}
