/**
 * Machine output helpers. Every JSON document catalog-debug prints goes through the lossless
 * codec (`displayJson`), so 64-bit integers keep every digit; `JSON.stringify` is never used on
 * catalog data.
 */
import { displayJson, type JsonValue } from '../json/lossless-json.js'

export type JsonFormat = 'json' | 'ndjson'

/** A whole document: pretty (2-space indent) for `json`, one line for `ndjson`. Ends with a newline. */
export function jsonDocument(value: JsonValue, format: JsonFormat): string {
  return `${displayJson(value, format === 'json' ? 2 : 0)}\n`
}

/** One compact line of JSON (no trailing newline). */
export function jsonLine(value: JsonValue): string {
  return displayJson(value, 0)
}

/**
 * Quotes text as one POSIX shell word (single quotes; an embedded `'` becomes `'\''`), so that a
 * JSON key printed by `dump` can be pasted into an `edit` or `delete` command line as it is.
 */
export function shellQuote(text: string): string {
  return text.includes("'") ? `'${text.replace(/'/g, `'\\''`)}'` : `'${text}'`
}
