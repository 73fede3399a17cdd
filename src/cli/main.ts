/**
 * The command line's entry point. `main` parses, runs one command and returns its exit code; it
 * never calls `process.exit` (that truncates piped stdout) and never lets an error escape: every
 * error becomes one `catalog-debug: error: …` line (plus a hint, plus the stack with --verbose)
 * and the exit code of its category (see `exit-codes.ts`).
 *
 * Only yargs and the command declarations load up front; each command's implementation is
 * imported when it runs.
 */
import { UsageError } from '../errors.js'
import { createContext } from './context.js'
import { EXIT_OK, exitCodeFor } from './exit-codes.js'
import { resolveIo, type CliIo } from './io.js'
import { prescanOutputFlags, resolveGlobalOptions, type RawGlobalArgs } from './options.js'
import { BrokenPipeError, Output } from './output.js'
import { runParser } from './parser.js'
import { compatArguments } from './compat/mode.js'
import { newInvocation } from './write-record.js'

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
  try {
    if (compatError !== undefined) throw compatError
    await out.loadColor()
    const { code, output } = await runParser(argv, full, async (def, args) => {
      const options = resolveGlobalOptions(args as RawGlobalArgs)
      out.configure({ quiet: options.quiet, verbose: options.verbose, color: options.color })
      await out.loadColor()
      if (def.needsStore && options.store === undefined) {
        throw new UsageError('missing --store: the store to open', {
          hint: 'pass --store PATH or set CATALOG_DEBUG_STORE',
        })
      }
      const started = performance.now()
      const run = await def.load()
      const invocation = newInvocation(def.name, argv, (args as { reason?: unknown }).reason)
      const exit = await run(args, createContext(full, out, options, invocation))
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
