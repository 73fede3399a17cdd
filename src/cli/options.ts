/**
 * The option tables, typed once: global options (every command), the output option (every
 * command that prints data), their environment variables (`CATALOG_DEBUG_<OPTION>`), and the
 * resolution of raw values into {@link GlobalOptions}.
 *
 * Precedence: flag > environment > default. Defaults are applied here, not declared to yargs, so
 * the environment can fill in what the command line left out.
 */
import type { Options } from 'yargs'
import { UsageError } from '../errors.js'
import { DEFAULT_RETRY_TIMEOUT_MS, parseDuration } from '../retry.js'

export const ENV_PREFIX = 'CATALOG_DEBUG_'

export const OUTPUT_FORMATS = ['text', 'json', 'ndjson'] as const
export type OutputFormat = (typeof OUTPUT_FORMATS)[number]

/** Options every command accepts. */
export const GLOBAL_OPTIONS = {
  store: {
    type: 'string',
    describe:
      'The store: a SQLite file path, a postgres:// URL, or a fixture (*.ndjson: read-only, loaded into memory). Env: CATALOG_DEBUG_STORE',
    requiresArg: true,
  },
  'organization-id': {
    type: 'string',
    describe: 'The catalog (organization UUID); may be omitted when the store holds exactly one',
    requiresArg: true,
  },
  quiet: { alias: 'q', type: 'boolean', describe: 'Print nothing on stderr but errors' },
  verbose: { alias: 'v', type: 'boolean', describe: 'Print stack traces and timings on stderr' },
  color: { type: 'boolean', describe: 'Colour output (--no-color turns it off; default: on terminals)' },
  'retry-timeout': {
    type: 'string',
    describe: 'Stop retrying transient failures after this long (e.g. 30s, 500ms; 0 = no retry)',
    defaultDescription: '30s',
    requiresArg: true,
  },
  'busy-timeout': {
    type: 'string',
    describe: "How long one store operation waits for another process's lock (e.g. 5s)",
    defaultDescription: '200ms (SQLite)',
    requiresArg: true,
  },
} as const satisfies Record<string, Options>

/**
 * The command line's SQLite busy timeout when `--busy-timeout` is not given. The SQLite driver waits
 * for a lock synchronously, blocking the event loop (and the spinner); a short wait leaves the
 * waiting to the async retry policy (125 ms doubling, 1 s clamp, bounded by --retry-timeout).
 */
export const DEFAULT_SQLITE_BUSY_TIMEOUT_MS = 200

/** `-o/--output`, declared by every command that prints data. */
export const OUTPUT_OPTION = {
  output: {
    alias: 'o',
    type: 'string',
    choices: OUTPUT_FORMATS,
    describe: 'Output format',
    defaultDescription: 'text',
    requiresArg: true,
  },
} as const satisfies Record<string, Options>

/** `--force` of every command that writes a TARGET file. */
export const TARGET_OPTION = {
  force: { type: 'boolean', describe: 'Replace TARGET if it exists (never the store or one of its files)' },
} as const satisfies Record<string, Options>

/** Any option table (global or a command's), for the environment lookup. */
export type OptionTable = Readonly<Record<string, Options>>

/** The environment variable of an option: `organization-id` → `CATALOG_DEBUG_ORGANIZATION_ID`. */
export function envName(option: string): string {
  return ENV_PREFIX + option.toUpperCase().replace(/-/g, '_')
}

/**
 * Fills options the command line left unset from the environment. Mutates `argv` (yargs
 * middleware contract): sets the option under its name, its camelCase name and its aliases.
 * A malformed boolean is a usage error naming the variable.
 */
export function applyEnvironment(
  argv: Record<string, unknown>,
  table: OptionTable,
  env: Readonly<Record<string, string | undefined>>,
): void {
  for (const [name, spec] of Object.entries(table)) {
    if (argv[name] !== undefined || (COMMAND_LINE_ONLY as readonly string[]).includes(name)) continue
    const variable = envName(name)
    const raw = env[variable]
    if (raw === undefined) continue
    let value: unknown
    if (spec.type === 'boolean') value = parseBooleanEnv(variable, raw)
    else if (spec.type === 'array' || spec.array === true)
      value = raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
    else if (raw === '') continue
    else value = raw
    argv[name] = value
    argv[camelCase(name)] = value
    const aliases = spec.alias === undefined ? [] : Array.isArray(spec.alias) ? spec.alias : [spec.alias]
    for (const alias of aliases) argv[alias as string] = value
  }
}

function parseBooleanEnv(variable: string, raw: string): boolean {
  const v = raw.trim().toLowerCase()
  if (['1', 'true', 'yes', 'on'].includes(v)) return true
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false
  throw new UsageError(`${variable} must be a boolean (1/0, true/false), got "${raw}"`)
}

export function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())
}

/** The global options after defaults and validation. */
export interface GlobalOptions {
  /** As given (a path relative to `cwd`, or a URL); undefined when neither flag nor env set it. */
  readonly store: string | undefined
  /** Lower-case, hyphenated UUID. */
  readonly organizationId: string | undefined
  readonly quiet: boolean
  readonly verbose: boolean
  readonly color: boolean | undefined
  readonly retryTimeoutMs: number
  readonly busyTimeoutMs: number | undefined
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Validates an organization id and returns its canonical (lower-case) form. */
export function parseOrganizationId(text: string): string {
  if (!UUID_RE.test(text)) {
    throw new UsageError(`invalid organization id "${text}": expected a UUID like 00000000-0000-0000-0000-000000000000`)
  }
  return text.toLowerCase()
}

/** The longest duration an option takes: what a Node timer can wait (about 24.8 days). */
const MAX_DURATION_MS = 2 ** 31 - 1

function durationOption(name: string, raw: unknown): number | undefined {
  if (raw === undefined) return undefined
  const ms = parseDuration(String(raw))
  if (ms === undefined) throw new UsageError(`invalid --${name} "${String(raw)}": expected a duration like 30s, 500ms or 2m`)
  if (ms > MAX_DURATION_MS) throw new UsageError(`invalid --${name} "${String(raw)}": at most ${MAX_DURATION_MS} ms (about 24 days)`)
  return ms
}

/**
 * Options that switch a safety off or change what a command does; they are taken only from the
 * command line. Left in a CI environment they would silently turn every write into an unconfirmed
 * one, so their variables are refused (exit 2) rather than ignored.
 */
const COMMAND_LINE_ONLY = ['yes', 'force', 'dry-run'] as const

/** Throws a usage error naming the first `CATALOG_DEBUG_YES`/`_FORCE`/`_DRY_RUN` set in `env`. */
export function refuseEnvironmentSwitches(env: Readonly<Record<string, string | undefined>>): void {
  for (const option of COMMAND_LINE_ONLY) {
    const variable = envName(option)
    if (env[variable] === undefined) continue
    throw new UsageError(`${variable} is set in the environment; --${option} is taken only from the command line`, {
      code: 'switch-from-environment',
      hint: `unset ${variable} and pass --${option} where you mean it`,
    })
  }
}

/**
 * Throws a usage error for an option given more than once (yargs collects the values in an array),
 * unless the option is declared repeatable.
 */
export function refuseRepeatedOptions(argv: Readonly<Record<string, unknown>>, table: OptionTable): void {
  for (const [name, spec] of Object.entries(table)) {
    if (spec.array === true || spec.type === 'array' || !Array.isArray(argv[name])) continue
    throw new UsageError(`--${name} was given more than once`, { code: 'repeated-option', hint: `give --${name} once` })
  }
}

/** Raw global option values as yargs hands them over. */
export interface RawGlobalArgs {
  readonly store?: string | undefined
  readonly organizationId?: string | undefined
  readonly quiet?: boolean | undefined
  readonly verbose?: boolean | undefined
  readonly color?: boolean | undefined
  readonly retryTimeout?: string | undefined
  readonly busyTimeout?: string | undefined
}

export function resolveGlobalOptions(raw: RawGlobalArgs): GlobalOptions {
  return {
    store: raw.store === '' ? undefined : raw.store,
    organizationId: raw.organizationId === undefined || raw.organizationId === '' ? undefined : parseOrganizationId(raw.organizationId),
    quiet: raw.quiet === true,
    verbose: raw.verbose === true,
    color: raw.color,
    retryTimeoutMs: durationOption('retry-timeout', raw.retryTimeout) ?? DEFAULT_RETRY_TIMEOUT_MS,
    busyTimeoutMs: durationOption('busy-timeout', raw.busyTimeout),
  }
}

/** The output format after the default. */
export function resolveOutputFormat(raw: string | undefined): OutputFormat {
  return (raw ?? 'text') as OutputFormat
}

/**
 * yargs turns a lone `-` into `""`; this marks it before parsing so "read from stdin" survives.
 * Only arguments before a `--` are touched.
 */
export const STDIN_ARG = '\u0000stdin'

export function markStdinArguments(argv: readonly string[]): string[] {
  const end = argv.indexOf('--')
  return argv.map((a, i) => (a === '-' && (end === -1 || i < end) ? STDIN_ARG : a))
}

/**
 * The settings the output module needs before yargs has parsed anything (so a usage error
 * already honours `--no-color` and `--verbose`).
 */
export function prescanOutputFlags(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): {
  quiet: boolean
  verbose: boolean
  color: boolean | undefined
} {
  const end = argv.indexOf('--')
  const args = end === -1 ? argv : argv.slice(0, end)
  const envBool = (name: string): boolean | undefined => {
    const v = env[envName(name)]?.trim().toLowerCase()
    if (v === undefined) return undefined
    return ['1', 'true', 'yes', 'on'].includes(v) ? true : ['0', 'false', 'no', 'off', ''].includes(v) ? false : undefined
  }
  const flag = (long: string, short?: string): boolean | undefined =>
    args.includes(`--${long}`) || (short !== undefined && args.some((a) => /^-[a-z]+$/i.test(a) && a.includes(short)))
      ? true
      : args.includes(`--no-${long}`)
        ? false
        : envBool(long)
  return { quiet: flag('quiet', 'q') === true, verbose: flag('verbose', 'v') === true, color: flag('color') }
}
