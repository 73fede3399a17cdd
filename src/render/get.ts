/**
 * `get`: one key's value. Text is the value alone, one line of JSON that `edit` accepts as VALUE;
 * JSON adds the collection, the key, when the value was written and the time it was read as of.
 */
import type { KeyReadResult, KeyValue } from '../catalog/index.js'
import type { JsonObject } from '../json/lossless-json.js'
import { jsonDocument, jsonLine, type JsonFormat } from './json-text.js'

export function renderGet(result: KeyReadResult, entry: KeyValue, format: 'text' | JsonFormat): string {
  if (format === 'text') {
    const text = jsonLine(entry.value)
    return `${entry.undecodable === undefined ? text : `${text} (does not decode: ${entry.undecodable})`}\n`
  }
  const doc: JsonObject = {
    collection: result.collection,
    key: result.key,
    value: entry.value,
    written_at: entry.writtenAt,
    as_of: result.asOf,
  }
  if (entry.undecodable !== undefined) doc.undecodable = entry.undecodable
  return jsonDocument(doc, format)
}
