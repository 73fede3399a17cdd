/**
 * Arguments that carry JSON (KEY, VALUE, CLUSTER_REPLICA_SIZES): given inline, as `-` (stdin) or
 * as `@path` (a file). Parsed with the lossless codec, so large integers stay exact. Text that is
 * not UTF-8 is refused, never replaced by U+FFFD (docs/materialize-parity.md).
 */
import { readFile } from 'node:fs/promises'
import { buffer } from 'node:stream/consumers'
import { NotFoundError, UsageError } from '../errors.js'
import { JsonSyntaxError, parseJson, utf8Text, type JsonValue } from '../json/lossless-json.js'
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

/**
 * The text of an argument: inline, stdin (`-`) or a file (`@path`). Bytes that are not UTF-8 are
 * a usage error. An inline argument reaches Node already decoded, with each invalid byte replaced
 * by U+FFFD, so a raw U+FFFD in it is refused too (a real one can be written `\ufffd` in JSON).
 */
export async function readArgumentText(ctx: CommandContext, name: string, arg: string): Promise<string> {
  if (isStdinArgument(arg)) {
    if (ctx.io.isTTY.stdin) {
      throw new UsageError(`refusing to read ${name} from a terminal`, { hint: `pipe it in, or pass ${name} inline or as @file` })
    }
    return decodeArgument(name, await buffer(ctx.io.stdin))
  }
  if (arg.startsWith('@')) {
    const path = ctx.resolvePath(arg.slice(1))
    let bytes: Buffer
    try {
      bytes = await readFile(path)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new NotFoundError(`${name} file not found: ${path}`, { code: 'file-not-found' })
      throw new UsageError(`cannot read ${name} from ${path}: ${(err as Error).message}`, { cause: err })
    }
    return decodeArgument(name, bytes)
  }
  const replaced = arg.indexOf('\ufffd')
  if (replaced >= 0) {
    throw new UsageError(
      `${name} is not valid UTF-8: the argument holds U+FFFD at character ${replaced + 1}, the mark of an invalid byte`,
      {
        code: 'invalid-utf8',
        hint: 'write a real U+FFFD as \\ufffd inside a JSON string',
      },
    )
  }
  return arg
}

function decodeArgument(name: string, bytes: Uint8Array): string {
  try {
    return utf8Text(bytes)
  } catch (err) {
    if (err instanceof JsonSyntaxError)
      throw new UsageError(`${name} is ${err.reason}, at line ${err.line} column ${err.column}`, { code: 'invalid-utf8', cause: err })
    throw err
  }
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
