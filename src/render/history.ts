/**
 * `history`: every version of one key, oldest first, as a table (written at, retracted at, value)
 * or as JSON (an array, one object per version).
 */
import { displayJson, type JsonObject } from '../json/lossless-json.js'
import { type HistoryEntry, type StoredWriteRecord, writeRecordLookup } from '../catalog/index.js'
import { jsonDocument, jsonLine, type JsonFormat } from './json-text.js'
import { tableChunks } from './table.js'
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
  return [...historyChunks(() => entries, entries.length, format, records)].join('')
}

/**
 * {@link renderHistory} of the `count` versions `entries` yields on each call, in chunks of text,
 * so that the versions need not be held decoded: JSON and NDJSON read them once, the table twice
 * (once for its column widths, once for its lines; a table of few rows is laid out at once).
 */
export function* historyChunks(
  entries: () => Iterable<HistoryEntry>,
  count: number,
  format: 'text' | JsonFormat,
  records: readonly StoredWriteRecord[] = [],
  chunkEntries = 256,
): Generator<string> {
  const recordAt = writeRecordLookup(records)
  if (format === 'text') {
    yield* tableChunks(['written_at', 'retracted_at', 'value', 'written_by'], () => tableRows(entries(), recordAt), count, chunkEntries)
    return
  }
  // An array document as `jsonDocument` prints it (two-space indent), one element at a time.
  const element = (e: HistoryEntry): string =>
    format === 'ndjson'
      ? jsonDocument(entryJson(e, recordAt), 'ndjson')
      : `  ${displayJson(entryJson(e, recordAt), 2).replaceAll('\n', '\n  ')}`
  let chunk: string[] = []
  let first = true
  for (const e of entries()) {
    chunk.push(format === 'ndjson' ? element(e) : `${first ? '[\n' : ',\n'}${element(e)}`)
    first = false
    if (chunk.length === chunkEntries) {
      yield chunk.join('')
      chunk = []
    }
  }
  if (format === 'json') chunk.push(first ? '[]\n' : '\n]\n')
  if (chunk.length > 0) yield chunk.join('')
}

function* tableRows(entries: Iterable<HistoryEntry>, recordAt: RecordAt): Generator<string[]> {
  for (const e of entries) {
    const by = recordAt(e.writtenAt)
    yield [
      String(e.writtenAt),
      e.retractedAt === null ? '-' : String(e.retractedAt),
      valueText(e),
      by === undefined ? '-' : recordSummary(by),
    ]
  }
}
