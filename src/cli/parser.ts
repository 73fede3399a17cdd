/**
 * argv → (command, typed arguments). Knows yargs and nothing else: it never touches a store, so
 * tests can check parsing on its own (see `parseCommandLine`).
 *
 * yargs is pinned to English, strict, and never exits or prints by itself: usage errors become
 * `UsageError`s (exit 2), and help, version and completion text is handed back to the caller.
 */
import yargs, { type Argv } from 'yargs'
import { UsageError } from '../errors.js'
import { closestMatches } from '../catalog/names/closest.js'
import type { CommandDefinition } from './command.js'
import { COMMANDS } from './commands/index.js'
import { COMPLETE_WORD, completionCandidates, firstPositionalWord, optionSpellings } from './completion/complete.js'
import { GLOBAL_OPTIONS, applyEnvironment, markStdinArguments, refuseRepeatedOptions, type OptionTable } from './options.js'
import { PROGRAM } from './output.js'
import { humanVersion } from '../store/index.js'

/** Runs a parsed command and returns its exit code. */
// biome-ignore lint/suspicious/noExplicitAny: each command's builder yields its own argument type; the registry holds them all
export type Dispatch = (def: CommandDefinition<any>, args: Record<string, unknown>) => Promise<number>

export interface ParseOutcome {
  /** The command's exit code, or undefined when no command ran (help, version, completion). */
  readonly code: number | undefined
  /** Text yargs produced instead of running a command (help, version, completion script). */
  readonly output: string
}

export interface ParserEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>
  /** Help text width. */
  readonly columns?: number | undefined
}

export function buildParser(environment: ParserEnvironment, dispatch: Dispatch, onCode: (code: number) => void): Argv {
  const byName = new Map(COMMANDS.map((c) => [c.name, c]))
  let y = yargs()
    .scriptName(PROGRAM)
    .usage(`${PROGRAM} [--store PATH] [--organization-id UUID] <command>`)
    .locale('en')
    .strict()
    .exitProcess(false)
    .showHelpOnFail(false)
    .version(humanVersion())
    .alias('version', 'V')
    .help()
    .alias('help', 'h')
    .wrap(Math.min(100, environment.columns ?? 80))
    .fail((msg, err) => {
      if (err) throw err
      throw new UsageError(msg)
    })
    .options(GLOBAL_OPTIONS)
    .group(Object.keys(GLOBAL_OPTIONS), 'Global options:')
    .middleware((argv) => {
      const def = byName.get(String(argv._[0]))
      const table: OptionTable = { ...GLOBAL_OPTIONS, ...def?.options }
      refuseRepeatedOptions(argv as Record<string, unknown>, table)
      applyEnvironment(argv as Record<string, unknown>, table, environment.env)
    }, true)
    .demandCommand(1, 'a command is required (see --help)')
    .recommendCommands()
    .example('$0 --store fixtures/demo-v47.ndjson dump --ignore-large-collections', 'read the demo fixture (read-only)')
    .example(`$0 --store catalog.db edit config '{"key":"deploy_generation"}' '{"value":2}' --dry-run`, 'show an edit without writing it')
    .example('$0 completion bash >> ~/.bashrc', 'install shell completion (bash, zsh or fish)')
    .epilogue(
      'Every option can also be set with an environment variable CATALOG_DEBUG_<OPTION>, e.g. CATALOG_DEBUG_STORE.\n' +
        'Exit codes: 0 ok, 1 failure, 2 usage, 3 not found, 4 refused, 5 busy or fenced, 6 upgrade check failed, 70 internal error.\n' +
        "--compat materialize (or CATALOG_DEBUG_COMPAT=materialize): Materialize's own flags, commands and output (docs/compat-materialize.md).\n" +
        'Documentation: docs/commands/<command>.md for each command, docs/exit-codes.md, docs/recipes.md (in the package).',
    )
  for (const def of COMMANDS) {
    y = y.command(def.command, def.describe, def.builder as (y: Argv) => Argv, async (argv) => {
      onCode(await dispatch(def, argv as Record<string, unknown>))
    })
  }
  skipHelpCache(y)
  return y
}

type YargsInternals = { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } }

/**
 * yargs renders the running command's whole help text (wrapped and measured by cliui) right after
 * starting its handler, only to have it at hand should the command later show its help. Nothing
 * here ever does (`showHelpOnFail(false)`; a parser runs one command), so skip that work: it is
 * tens of milliseconds of every command's start-up. Best effort: left alone if the internals differ.
 */
function skipHelpCache(y: Argv): void {
  const usage = (y as unknown as YargsInternals).getInternalMethods?.().getUsageInstance?.()
  if (usage !== undefined && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined
}

/** Parses `argv` and runs the chosen command through `dispatch`. */
export async function runParser(argv: readonly string[], environment: ParserEnvironment, dispatch: Dispatch): Promise<ParseOutcome> {
  let code: number | undefined
  let output = ''
  if (argv[0] === COMPLETE_WORD) return { code: undefined, output: completionCandidates(argv.slice(1)).join('\n') }
  const parser = buildParser(environment, dispatch, (c) => {
    code = c
  })
  try {
    await parser.parseAsync(markStdinArguments(argv), {}, (_err, _argv, text) => {
      output = text ?? ''
    })
  } catch (err) {
    // Some argument errors (a flag missing its value) bypass `.fail()` and arrive as yargs' own YError.
    if (err instanceof Error && err.name === 'YError') throw new UsageError(err.message, { cause: err })
    throw err instanceof UsageError ? withSuggestion(err, argv) : err
  }
  return { code, output }
}

/**
 * Parses without running anything: which command, with which arguments. For tests and for
 * tools that want to validate a command line.
 */
export async function parseCommandLine(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<{ command: string | undefined; args: Record<string, unknown>; output: string }> {
  let command: string | undefined
  let args: Record<string, unknown> = {}
  const { output } = await runParser(argv, { env }, async (def, a) => {
    command = def.name
    args = a
    return 0
  })
  return { command, args, output }
}

/**
 * Adds "did you mean …?" to yargs' errors about a mistyped option (`--consolidat`) from the options
 * the command accepts, and names the word yargs' command suggestion is about (`dupm`).
 */
function withSuggestion(err: UsageError, argv: readonly string[]): UsageError {
  const byName = new Map(COMMANDS.map((c) => [c.name, c]))
  const command = argv.find((a) => byName.has(a))
  const unknown = /^Unknown arguments?: (.+)$/.exec(err.message)
  if (unknown !== null && err.hint === undefined) {
    const options = optionSpellings(command === undefined ? undefined : byName.get(command))
    const hints = unknown[1]!.split(', ').flatMap((word) => {
      const typed = argv.find((a) => a.replace(/^-+/, '').split('=')[0] === word) ?? word
      const close = closestMatches(typed.split('=')[0]!, typed.startsWith('-') ? options : [...byName.keys()])
      return close.length === 0 ? [] : [`${typed}: did you mean ${close.join(' or ')}?`]
    })
    if (hints.length > 0) return new UsageError(err.message, { code: err.code, hint: hints.join('; '), cause: err })
  }
  if (/^Did you mean (.+)\?$/.test(err.message)) {
    // yargs suggests the nearest command however far it is ("bogus" → log); keep only close ones.
    const typed = firstPositionalWord(argv)
    const close = typed === undefined ? [] : closestMatches(typed, byName.keys())
    return new UsageError(`unknown command${typed === undefined ? '' : ` "${typed}"`}`, {
      code: 'unknown-command',
      hint: close.length > 0 ? `did you mean ${close.join(' or ')}?` : 'see --help for the commands',
      cause: err,
    })
  }
  return err
}
