/**
 * The command line's entry point. `main` parses, runs one command and returns its exit code; it
 * never calls `process.exit` (that truncates piped stdout) and never lets an error escape: every
 * error becomes one `catalog-debug: error: …` line (plus a hint, plus the stack with --verbose)
 * and the exit code of its category (see `exit-codes.ts`).
 *
 * Every run, in the usual mode or the Materialize-compatible one (`--compat materialize`), goes
 * through the same wiring: every password the command line or the environment carries is
 * registered with the output module first (it never prints one), safety switches set in the
 * environment are refused, and before a handler runs `main` applies the guards its declaration
 * asks for (`command.ts`): `--store` present and parsed (a special file or `-` fails here, in one
 * line), a fixture refused for a `create` command, a TARGET checked by the TARGET rules. The
 * declared effect goes into the context, where it binds what the handler may open
 * (`store-access.ts`); any store the handler left open is closed after it.
 *
 * Only yargs and the command declarations load up front; each command's implementation is
 * imported when it runs.
 */
import { UsageError } from '../errors.js'
import { displayLocation, secretsOf } from '../store/index.js'
import type { CommandDeclaration } from './command.js'
import { createContext, type CommandContext } from './context.js'
import { EXIT_OK, exitCodeFor } from './exit-codes.js'
import { resolveIo, type CliIo } from './io.js'
import { ENV_PREFIX, prescanOutputFlags, refuseEnvironmentSwitches, resolveGlobalOptions, type RawGlobalArgs } from './options.js'
import { BrokenPipeError, Output } from './output.js'
import { runParser } from './parser.js'
import { compatArguments } from './compat/mode.js'
import { newInvocation } from './write-record.js'
import { closeOpenStores, refuseFixtureStore, storeLocation } from './store-access.js'
import { checkTarget, isStdoutTarget } from './target.js'

export type { CliIo } from './io.js'

export async function main(given: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const full = resolveIo(io)
  const out = new Output(full)
  for (const word of given) out.addSecrets(secretsOf(word))
  for (const [name, value] of Object.entries(full.env)) {
    // Our variables and Materialize's (`MZ_CATALOG_DEBUG_*`) may name a store by URL; libpq's holds a password.
    if (value === undefined) continue
    if (name.startsWith(ENV_PREFIX) || name.startsWith(`MZ_${ENV_PREFIX}`)) out.addSecrets(secretsOf(value))
    if (name === 'PGPASSWORD') out.addSecrets([value])
  }
  // `--compat materialize`: Materialize's command line and outputs (src/cli/compat/), same wiring.
  let argv = given
  let compatError: unknown
  try {
    const compat = compatArguments(given, full.env)
    if (compat?.mode === 'materialize') return await runMaterialize(compat.argv, full, out)
    if (compat !== undefined) argv = compat.argv
  } catch (err) {
    compatError = err
  }
  out.configure(prescanOutputFlags(argv, full.env))
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
      const ctx = createContext(full, out, options, def.effect, invocation)
      const started = performance.now()
      const exit = await runDeclared(def, args, ctx, async () => (await def.load())(args, ctx))
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

/**
 * A run in the Materialize-compatible mode: its parser, its outputs and its error shape
 * (`catalog-debug: fatal: …`, exit 1; clap's usage errors, exit 2), with the wiring of every run.
 */
async function runMaterialize(argv: readonly string[], io: CliIo, out: Output): Promise<number> {
  // Materialize's tool prints nothing but its output and its error line.
  out.configure({ quiet: true, verbose: false, color: false })
  const compat = await import('./compat/run.js')
  try {
    refuseEnvironmentSwitches(io.env)
    const parsed = await compat.parseCompat(argv, io.env)
    if (parsed.command === undefined) {
      if (parsed.output !== '') await out.data(parsed.output.endsWith('\n') ? parsed.output : `${parsed.output}\n`)
      return EXIT_OK
    }
    // Writes in this mode are recorded too (without a reason: Materialize's tool has no such flag).
    const invocation = newInvocation(parsed.command.name, argv.map(displayLocation), undefined)
    const ctx = createContext(io, out, parsed.options, parsed.declaration.effect, invocation)
    await runDeclared(parsed.declaration, parsed.args, ctx, () => parsed.run(ctx))
    return EXIT_OK
  } catch (err) {
    if (err instanceof BrokenPipeError) return EXIT_OK
    return compat.reportCompatError(out, err)
  } finally {
    await out.settle()
    out.dispose()
  }
}

/** Applies the guards of `decl`, runs the handler, and closes any store it left open. */
async function runDeclared<T>(
  decl: CommandDeclaration,
  args: Record<string, unknown>,
  ctx: CommandContext,
  run: () => Promise<T>,
): Promise<T> {
  applyGuards(decl, args, ctx)
  try {
    return await run()
  } finally {
    await closeOpenStores(ctx)
  }
}

/** The guards a command's declaration asks for, before its handler runs. */
function applyGuards(decl: CommandDeclaration, args: Record<string, unknown>, ctx: CommandContext): void {
  if (decl.needsStore) {
    if (ctx.options.store === undefined) {
      throw new UsageError('missing --store: the store to open', { hint: 'pass --store PATH or set CATALOG_DEBUG_STORE' })
    }
    // Parsed once, up front: a FIFO, a directory or `-` is a one-line error before anything opens it.
    storeLocation(ctx)
    if (decl.effect === 'create') refuseFixtureStore(ctx)
  }
  const target = args.target
  if (decl.writesTarget && typeof target === 'string' && !isStdoutTarget(target)) {
    checkTarget(ctx, target, { force: args.force === true })
  }
}
