/**
 * Arguments that carry JSON (KEY, VALUE, CLUSTER_REPLICA_SIZES): given inline, as `-` (stdin) or
 * as `@path` (a file). Parsed with the lossless codec, so large integers stay exact.
 */
import { readFile } from 'node:fs/promises'
import { text } from 'node:stream/consumers'
import { NotFoundError, UsageError } from '../errors.js'
import { JsonSyntaxError, parseJson, type JsonValue } from '../json/lossless-json.js'
import type { CommandContext } from './context.js'
import { STDIN_ARG } from './options.js'

/** Whether an argument asks for stdin. */
export function isStdinArgument(arg: string | undefined): boolean {
  return arg === STDIN_ARG
}

/** Refuses more than one argument read from stdin. */
export function assertOneStdinArgument(args: Readonly<Record<string, string | undefined>>): void {
  const names = Object.entries(args)
    .filter(([, v]) => isStdinArgument(v))
    .map(([k]) => k)
  if (names.length > 1) throw new UsageError(`only one argument can be read from stdin ("-"), got ${names.join(' and ')}`)
}

/** The text of an argument: inline, stdin (`-`) or a file (`@path`). */
export async function readArgumentText(ctx: CommandContext, name: string, arg: string): Promise<string> {
  if (isStdinArgument(arg)) {
    if (ctx.io.isTTY.stdin) {
      throw new UsageError(`refusing to read ${name} from a terminal`, { hint: `pipe it in, or pass ${name} inline or as @file` })
    }
    return text(ctx.io.stdin)
  }
  if (arg.startsWith('@')) {
    const path = ctx.resolvePath(arg.slice(1))
    try {
      return await readFile(path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new NotFoundError(`${name} file not found: ${path}`, { code: 'file-not-found' })
      throw new UsageError(`cannot read ${name} from ${path}: ${(err as Error).message}`, { cause: err })
    }
  }
  return arg
}

/** A JSON argument, parsed losslessly; malformed JSON is a usage error naming the argument. */
export async function readJsonArgument(ctx: CommandContext, name: string, arg: string): Promise<JsonValue> {
  return parseNamedJson(name, await readArgumentText(ctx, name, arg))
}

/**
 * A JSON argument as text, checked to be JSON (the catalog core parses and validates it against
 * the collection's schema; a JS string handed to it is always taken as JSON text).
 */
export async function readJsonArgumentText(ctx: CommandContext, name: string, arg: string): Promise<string> {
  const source = (await readArgumentText(ctx, name, arg)).trim()
  parseNamedJson(name, source)
  return source
}

function parseNamedJson(name: string, source: string): JsonValue {
  try {
    return parseJson(source.trim())
  } catch (err) {
    if (err instanceof JsonSyntaxError)
      throw new UsageError(`${name} is not valid JSON: ${err.message}`, { code: 'invalid-json', cause: err })
    throw err
  }
}
