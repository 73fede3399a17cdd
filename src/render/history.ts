/**
 * `history`: every version of one key, oldest first, as a table (written at, retracted at, value)
 * or as JSON (an array, one object per version).
 */
import type { JsonObject } from '../json/lossless-json.js'
import { type HistoryEntry, type StoredWriteRecord, writeRecordLookup } from '../catalog/index.js'
import { jsonDocument, jsonLine, type JsonFormat } from './json-text.js'
import { renderTable } from './table.js'
import { recordJson, recordSummary } from './write-log.js'

type RecordAt = (ts: bigint) => StoredWriteRecord | undefined

function entryJson(e: HistoryEntry, recordAt: RecordAt): JsonObject {
  const o: JsonObject = { value: e.value, written_at: e.writtenAt, retracted_at: e.retractedAt }
  const written = recordAt(e.writtenAt)
  const retracted = e.retractedAt === null ? undefined : recordAt(e.retractedAt)
  o.written_by = written === undefined ? null : recordJson(written)
  if (e.retractedAt !== null) o.retracted_by = retracted === undefined ? null : recordJson(retracted)
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

/**
 * With `records` (the catalog's write records), each version also says who wrote it (and who
 * retracted it) and why: a `written_by` column, `written_by`/`retracted_by` objects in JSON
 * (`null` where no record exists, e.g. history from before records were kept).
 */
export function renderHistory(
  entries: readonly HistoryEntry[],
  format: 'text' | JsonFormat,
  records: readonly StoredWriteRecord[] = [],
): string {
  const recordAt = writeRecordLookup(records)
  if (format === 'json')
    return jsonDocument(
      entries.map((e) => entryJson(e, recordAt)),
      'json',
    )
  if (format === 'ndjson') return entries.map((e) => jsonDocument(entryJson(e, recordAt), 'ndjson')).join('')
  const rows = entries.map((e) => {
    const by = recordAt(e.writtenAt)
    return [
      String(e.writtenAt),
      e.retractedAt === null ? '-' : String(e.retractedAt),
      valueText(e),
      by === undefined ? '-' : recordSummary(by),
    ]
  })
  return renderTable(['written_at', 'retracted_at', 'value', 'written_by'], rows)
}
