/**
 * What `undo` prints on stdout: the change it undid and what it wrote (an edit putting the
 * previous value back, or a delete), as text lines or one JSON document.
 */
import type { UndoResult } from '../catalog/index.js'
import type { JsonObject } from '../json/lossless-json.js'
import { jsonDocument, jsonLine, type JsonFormat } from './json-text.js'

export function renderUndoOutcome(
  r: Extract<UndoResult, { found: true }>,
  written: boolean,
  dryRun: boolean,
  format: 'text' | JsonFormat,
): string {
  const w = r.write
  const committed = written && w.result.committed
  if (format === 'text') {
    const head = `${committed ? 'undid' : 'would undo'} the change at ${r.undoneAt}\n`
    if (w.kind === 'delete')
      return head + w.result.deleted.map((v) => `${committed ? 'deleted' : 'would delete'} value: ${jsonLine(v)}\n`).join('')
    const previous = `previous value: ${w.result.previous === null ? 'null' : jsonLine(w.result.previous)}\n`
    return `${head}${previous}${committed ? 'restored' : 'would restore'} value: ${jsonLine(w.result.value)}\n`
  }
  const doc: JsonObject = {
    collection: w.result.collection,
    key: w.result.key,
    undone_at: r.undoneAt,
    action: w.kind,
    ...(w.kind === 'edit' ? { previous: w.result.previous, value: w.result.value } : { deleted: [...w.result.deleted] }),
    committed,
    dry_run: dryRun,
    epoch: w.result.epoch === undefined ? null : { from: w.result.epoch.from, to: w.result.epoch.to },
  }
  return jsonDocument(doc, format)
}
