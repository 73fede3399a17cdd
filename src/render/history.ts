/**
 * `history`: every version of one key, oldest first, as a table (written at, retracted at, value)
 * or as JSON (an array, one object per version).
 */
import type { JsonObject } from '../catalog/codec/json.js'
import type { HistoryEntry } from '../catalog/index.js'
import { jsonDocument, jsonLine, type JsonFormat } from './json-text.js'

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
  const rows = [['written_at', 'retracted_at', 'value'], ...entries.map((e) => [String(e.writtenAt), e.retractedAt === null ? '-' : String(e.retractedAt), valueText(e)])]
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => (r[i] as string).length)))
  return rows.map((r) => `${(r[0] as string).padEnd(widths[0] as number)}  ${(r[1] as string).padEnd(widths[1] as number)}  ${r[2]}\n`).join('')
}
