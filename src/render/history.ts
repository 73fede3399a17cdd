/**
 * `history`: every version of one key, oldest first, as a table (written at, retracted at, value)
 * or as JSON (an array, one object per version).
 */
import type { JsonObject } from '../json/lossless-json.js'
import type { HistoryEntry } from '../catalog/index.js'
import { jsonDocument, jsonLine, type JsonFormat } from './json-text.js'
import { renderTable } from './table.js'

function entryJson(e: HistoryEntry): JsonObject {
  const o: JsonObject = { value: e.value, written_at: e.writtenAt, retracted_at: e.retractedAt }
  if (e.count !== undefined) o.count = e.count
  if (e.undecodable !== undefined) {
    o.undecodable = e.undecodable
    o.raw = e.raw
  }
  return o
}

function valueText(e: HistoryEntry): string {
  const text = e.undecodable === undefined ? jsonLine(e.value) : `(does not decode: ${e.undecodable}) ${e.raw}`
  return e.count === undefined ? text : `${text} (${e.count} copies)`
}

export function renderHistory(entries: readonly HistoryEntry[], format: 'text' | JsonFormat): string {
  if (format === 'json') return jsonDocument(entries.map(entryJson), 'json')
  if (format === 'ndjson') return entries.map((e) => jsonDocument(entryJson(e), 'ndjson')).join('')
  const rows = entries.map((e) => [String(e.writtenAt), e.retractedAt === null ? '-' : String(e.retractedAt), valueText(e)])
  return renderTable(['written_at', 'retracted_at', 'value'], rows)
}
