/**
 * Confirmation before a write. Never hangs a script: without a terminal to ask (stdin or stderr
 * not interactive) and without `--yes`, the write is refused (exit 4) before anything is written.
 */
import { createInterface } from 'node:readline'
import { RefusedError } from '../errors.js'
import type { CommandContext } from './context.js'
import { PROGRAM } from './output.js'

/** Resolves when the write may go ahead; throws {@link RefusedError} otherwise. */
export async function confirmWrite(ctx: CommandContext, yes: boolean, question: string): Promise<void> {
  if (yes) return
  if (!ctx.io.isTTY.stdin || !ctx.io.isTTY.stderr) {
    throw new RefusedError(`refusing to ${question} without confirmation: no terminal to ask`, {
      hint: 'pass --yes to apply it, or --dry-run to preview it',
    })
  }
  ctx.out.stopSpinner()
  const answer = await ask(ctx, `${PROGRAM}: ${question}? [y/N] `)
  if (!/^y(es)?$/i.test(answer.trim())) throw new RefusedError('cancelled; nothing was written', { code: 'cancelled' })
}

function ask(ctx: CommandContext, prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: ctx.io.stdin, output: ctx.io.stderr, terminal: false })
    let answered = false
    rl.question(prompt, (answer) => {
      answered = true
      rl.close()
      resolve(answer)
    })
    rl.once('close', () => {
      if (!answered) resolve('')
    })
  })
}
