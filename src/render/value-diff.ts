/**
 * A readable diff of one catalog value (old → new), drawn by jsondiffpatch's console formatter
 * but coloured through our own chalk instance: jsondiffpatch decides colour once per process from
 * `process.stdout`, which is the wrong stream (the diff goes to stderr) and ignores `--no-color`.
 * Integers stay exact: values are diffed in the bigint-safe encoding of `catalog/diff/value-delta`.
 */
import type { ChalkInstance } from 'chalk'
import ConsoleFormatter from 'jsondiffpatch/formatters/console'
import { displayJson, type JsonValue } from '../json/lossless-json.js'
import { decodeDiffText, valueDelta } from '../catalog/diff/value-delta.js'

function formatterFor(color: ChalkInstance): ConsoleFormatter {
  const f = new ConsoleFormatter()
  const brush = (paint: (s: string) => string) => (value: unknown) => paint(String(value))
  // `brushes` is private in the typings; the formatter reads it on every call.
  Object.assign(f, {
    brushes: {
      added: brush(color.green),
      deleted: brush(color.red),
      movedestination: brush(color.gray),
      moved: brush(color.yellow),
      unchanged: brush(color.gray),
      error: brush(color.whiteBright.bgRed),
      textDiffLine: brush(color.gray),
      context: undefined,
      modified: undefined,
      textdiff: undefined,
      node: undefined,
      unknown: undefined,
    },
  })
  return f
}

/**
 * The diff from `before` to `after` (`null` for an absent value), or `undefined` when they are
 * equal. Ends without a newline.
 */
export function renderValueDiff(before: JsonValue | undefined, after: JsonValue | undefined, color: ChalkInstance): string | undefined {
  if (before === undefined && after === undefined) return undefined
  if (before === undefined) return prefixLines(displayJson(after as JsonValue, 2), '+ ', color.green)
  if (after === undefined) return prefixLines(displayJson(before, 2), '- ', color.red)
  const delta = valueDelta(before, after)
  if (delta === undefined) return undefined
  const text = formatterFor(color).format(delta)
  return text === undefined ? undefined : decodeDiffText(text).replace(/\n+$/, '')
}

function prefixLines(text: string, prefix: string, paint: (s: string) => string): string {
  return text
    .split('\n')
    .map((line) => paint(prefix + line))
    .join('\n')
}
