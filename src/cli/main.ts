/**
 * The command line's entry point. `main` parses, runs one command and returns its exit code; it
 * never calls `process.exit` (that truncates piped stdout) and never lets an error escape: every
 * error becomes one `catalog-debug: error: …` line (plus a hint, plus the stack with --verbose)
 * and the exit code of its category (see `exit-codes.ts`).
 *
 * Before a handler runs, `main` applies the guards its declaration asks for (`command.ts`):
 * `--store` present and parsed (a special file or `-` fails here, in one line), a fixture refused
 * for a `create` command, a TARGET checked by the TARGET rules; and every password the command
 * line carries is registered with the output module, which never prints it.
 *
 * Only yargs and the command declarations load up front; each command's implementation is
 * imported when it runs.
 */
import { UsageError } from '../errors.js'
import { displayLocation, secretsOf } from '../store/index.js'
import type { CommandDefinition } from './command.js'
import { createContext, type CommandContext } from './context.js'
import { EXIT_OK, exitCodeFor } from './exit-codes.js'
import { resolveIo, type CliIo } from './io.js'
import { envName, prescanOutputFlags, refuseEnvironmentSwitches, resolveGlobalOptions, type RawGlobalArgs } from './options.js'
import { BrokenPipeError, Output } from './output.js'
import { runParser } from './parser.js'
import { compatArguments } from './compat/mode.js'
import { newInvocation } from './write-record.js'
import { refuseFixtureStore, storeLocation } from './store-access.js'
import { checkTarget, isStdoutTarget } from './target.js'

export type { CliIo } from './io.js'

export async function main(given: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const full = resolveIo(io)
  // `--compat materialize`: Materialize's command line and outputs, handled apart (src/cli/compat/).
  let argv = given
  let compatError: unknown
  try {
    const compat = compatArguments(given, full.env)
    if (compat?.mode === 'materialize') return (await import('./compat/run.js')).runCompat(compat.argv, full)
    if (compat !== undefined) argv = compat.argv
  } catch (err) {
    compatError = err
  }
  const out = new Output(full)
  out.configure(prescanOutputFlags(argv, full.env))
  for (const word of [...argv, full.env[envName('store')] ?? '']) out.addSecrets(secretsOf(word))
  try {
    if (compatError !== undefined) throw compatError
    await out.loadColor()
    refuseEnvironmentSwitches(full.env)
    const { code, output } = await runParser(argv, full, async (def, args) => {
      const options = resolveGlobalOptions(args as RawGlobalArgs)
      out.configure({ quiet: options.quiet, verbose: options.verbose, color: options.color })
      await out.loadColor()
      // The write records name the command run; never with a password in it.
      const invocation = newInvocation(def.name, argv.map(displayLocation), (args as { reason?: unknown }).reason)
      const ctx = createContext(full, out, options, invocation)
      applyGuards(def, args, ctx)
      const started = performance.now()
      const run = await def.load()
      const exit = await run(args, ctx)
      out.timing(`${def.name} total`, performance.now() - started)
      return exit
    })
    if (output !== '') await out.data(output.endsWith('\n') ? output : `${output}\n`)
    return code ?? EXIT_OK
  } catch (err) {
    if (err instanceof BrokenPipeError) return EXIT_OK
    out.error(err)
    return exitCodeFor(err)
  } finally {
    await out.settle()
    out.dispose()
  }
}

/** The guards a command's declaration asks for, before its handler runs. */
function applyGuards(def: CommandDefinition, args: Record<string, unknown>, ctx: CommandContext): void {
  if (def.needsStore) {
    if (ctx.options.store === undefined) {
      throw new UsageError('missing --store: the store to open', { hint: 'pass --store PATH or set CATALOG_DEBUG_STORE' })
    }
    // Parsed once, up front: a FIFO, a directory or `-` is a one-line error before anything opens it.
    storeLocation(ctx)
    if (def.effect === 'create') refuseFixtureStore(ctx)
  }
  const target = args.target
  if (def.writesTarget && typeof target === 'string' && !isStdoutTarget(target)) {
    checkTarget(ctx, target, { force: args.force === true })
  }
}
