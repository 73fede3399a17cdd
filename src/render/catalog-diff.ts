/**
 * `diff`: the readable delta (text), the report (json/ndjson) or an RFC 6902 JSON Patch
 * (jsonpatch). See `catalog/diff` for the data and the patch document the paths address.
 */
import { diffToJson, diffToJsonPatch, jsonPatchToJson, type CatalogDiff } from '../catalog/diff/index.js'
import { renderDiffText } from './diff-text.js'
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
  return jsonDocument(diffToJson(diff), format satisfies JsonFormat)
}
