/**
 * Machine output helpers. Every JSON document catalog-debug prints goes through the lossless
 * codec (`displayJson`), so 64-bit integers keep every digit; `JSON.stringify` is never used on
 * catalog data.
 */
import { displayJson, type JsonObject, type JsonValue } from '../json/lossless-json.js'

export type JsonFormat = 'json' | 'ndjson'

/** A whole document: pretty (2-space indent) for `json`, one line for `ndjson`. Ends with a newline. */
export function jsonDocument(value: JsonValue, format: JsonFormat): string {
  return `${displayJson(value, format === 'json' ? 2 : 0)}\n`
}

/**
 * {@link jsonDocument} of an object whose fields are arrays, in `json` form, piece by piece as the
 * elements come (the text is the same as the whole document's): for documents too large to hold.
 */
export function* jsonArraysDocument(fields: readonly (readonly [string, Iterable<JsonValue>])[]): Generator<string> {
  yield fields.length === 0 ? '{}\n' : '{\n'
  for (const [i, [name, elements]] of fields.entries()) {
    let first = true
    for (const e of elements) {
      yield `${first ? `  ${displayJson(name, 0)}: [\n` : ',\n'}    ${displayJson(e, 2).replaceAll('\n', '\n    ')}`
      first = false
    }
    const last = i === fields.length - 1
    yield `${first ? `  ${displayJson(name, 0)}: []` : '\n  ]'}${last ? '\n}\n' : ',\n'}`
  }
}

/**
 * A report as NDJSON records, the form `-o ndjson` takes for every command whose answer holds a
 * list (docs/output-formats.md): first one `{"type": TYPE, …}` line with the report's other fields,
 * then one line per element of each array field named in `lists` (field → the elements' type), each
 * tagged with its type, in the order `lists` names them. Elements that are not objects are kept
 * in the first line.
 */
export function reportRecords(type: string, doc: JsonObject, lists: Readonly<Record<string, string>>): string {
  const head: JsonObject = { type }
  const records: string[] = []
  for (const [field, value] of Object.entries(doc)) if (!(field in lists) || !Array.isArray(value)) head[field] = value
  for (const [field, recordType] of Object.entries(lists)) {
    const list = doc[field]
    if (!Array.isArray(list)) continue
    for (const e of list) {
      if (e !== null && typeof e === 'object' && !Array.isArray(e)) records.push(jsonDocument({ type: recordType, ...e }, 'ndjson'))
    }
  }
  return jsonDocument(head, 'ndjson') + records.join('')
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
