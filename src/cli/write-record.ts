/**
 * Who changed what, and why: the record every write command leaves beside the shard it writes
 * (never in the catalog's rows), through the store's `writeRecord` (see `src/store/shard-store.ts`,
 * `WriteRecord`). One record per committed append, all of one command run sharing an operation id;
 * `history` and `log` show them.
 */
import { randomUUID } from 'node:crypto'
import { hostname, userInfo } from 'node:os'
import type { Options } from 'yargs'
import { humanVersion, type WriteRecord } from '../store/index.js'
import type { CommandContext } from './context.js'

/** `--reason TEXT`, declared by every write command. */
export const REASON_OPTION = {
  reason: {
    type: 'string',
    describe: 'Why this write is made; recorded with it (see `log` and `history`)',
    requiresArg: true,
  },
} as const satisfies Record<string, Options>

/** What a command run is, for its write records: set by `main` once the command is known. */
export interface Invocation {
  /** The command's name (`edit`). */
  readonly command: string
  /** The arguments as given (without `node` and the script). */
  readonly argv: readonly string[]
  /** `--reason`, when given. */
  readonly reason: string | undefined
  /** One id for every record of this run. */
  readonly operationId: string
}

export function newInvocation(command: string, argv: readonly string[], reason: unknown): Invocation {
  return { command, argv, reason: typeof reason === 'string' && reason !== '' ? reason : undefined, operationId: randomUUID() }
}

/** The record of this run's writes, stamped now. */
export function writeRecordFor(ctx: CommandContext, invocation: Invocation): WriteRecord {
  return {
    operationId: invocation.operationId,
    walltimeMs: BigInt(Math.trunc(ctx.now())),
    user: osUser(ctx),
    hostname: hostname(),
    toolVersion: humanVersion(),
    command: invocation.command,
    commandLine: redactCommandLine(invocation.argv),
    reason: invocation.reason ?? null,
  }
}

function osUser(ctx: CommandContext): string {
  try {
    return userInfo().username
  } catch {
    // No passwd entry for the uid (a container): the environment is all there is.
    return ctx.io.env.USER ?? ctx.io.env.LOGNAME ?? 'unknown'
  }
}

/**
 * The command line as one string (`catalog-debug` + each argument, shell-quoted when it needs it),
 * with secrets replaced by `***`: a password in a URL's userinfo (`postgres://user:secret@host`)
 * and any `password=` parameter (`?password=secret`, `password=secret` in a connection string).
 */
export function redactCommandLine(argv: readonly string[]): string {
  return ['catalog-debug', ...argv.map((a) => quoteWord(redactSecrets(a)))].join(' ')
}

function redactSecrets(arg: string): string {
  return arg.replace(/(\/\/[^:/@\s]*:)[^@\s]*@/g, '$1***@').replace(/(password=)[^&\s]*/gi, '$1***')
}

function quoteWord(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word
  return `'${word.replace(/'/g, `'\\''`)}'`
}
