/**
 * `diff`: the readable delta (text), the report (json/ndjson) or an RFC 6902 JSON Patch
 * (jsonpatch). See `catalog/diff` for the data and the patch document the paths address.
 */
import { diffToJson, diffToJsonPatch, jsonPatchToJson, type CatalogDiff } from '../catalog/diff/index.js'
import { renderDiffText } from './diff-text.js'
import type { JsonObject } from '../json/lossless-json.js'
import { jsonDocument, type JsonFormat } from './json-text.js'

export type DiffFormat = 'text' | JsonFormat | 'jsonpatch'

export interface CatalogDiffRenderOptions {
  readonly color: boolean
  /** The two sides as the operator named them (the text form's `---`/`+++` lines). */
  readonly labels: readonly [string, string]
}

export function renderCatalogDiff(diff: CatalogDiff, format: DiffFormat, opts: CatalogDiffRenderOptions): string {
  if (format === 'text') return renderDiffText(diff, { color: opts.color, labels: opts.labels })
  if (format === 'jsonpatch') return jsonDocument(jsonPatchToJson(diffToJsonPatch(diff)), 'json')
  if (format === 'ndjson') return diffRecords('diff', diffToJson(diff))
  return jsonDocument(diffToJson(diff), format satisfies JsonFormat)
}

/**
 * NDJSON of a document holding a diff report (`diff`, `copy`): the document's line (without the
 * per-collection lists), then one `added`, `removed` or `changed` line per key, naming its collection.
 */
export function diffRecords(type: string, doc: JsonObject, diffField?: string): string {
  const report = (diffField === undefined ? doc : doc[diffField]) as JsonObject
  const changes: JsonObject[] = []
  for (const c of (report.collections ?? []) as JsonObject[]) {
    for (const kind of ['removed', 'changed', 'added'] as const) {
      for (const e of (c[kind] ?? []) as JsonObject[]) changes.push({ type: kind, collection: c.collection ?? null, ...e })
    }
  }
  const { collections: _collections, ...summary } = report
  const head = diffField === undefined ? summary : { ...doc, [diffField]: summary }
  return jsonDocument({ type, ...head }, 'ndjson') + changes.map((c) => jsonDocument(c, 'ndjson')).join('')
}
