/**
 * `watch`: committed updates as they arrive. Text: one line per update (timestamp, diff,
 * collection, key and value JSON). NDJSON: the fixture format's update lines
 * (`{"ts":…,"diff":…,"data":…}`, docs/fixture-format.md); JSON: the same documents, pretty.
 */
import type { WatchEntry } from '../catalog/watch.js'
import { parseJson } from '../json/lossless-json.js'
import { jsonDocument, jsonLine, type JsonFormat } from './json-text.js'

function fixtureLine(e: WatchEntry): string {
  return `{"ts":${e.ts},"diff":${e.diff},"data":${e.data}}`
}

function textLine(e: WatchEntry): string {
  const diff = e.diff > 0n ? `+${e.diff}` : String(e.diff)
  const head = `${e.ts}  ${diff}  ${e.collection ?? '?'}`
  if (e.undecodable !== undefined) return `${head}  (does not decode: ${e.undecodable}) ${e.data}\n`
  if (e.collection === 'epoch') return `${head}  ${jsonLine(e.value)}\n`
  return `${head}  ${jsonLine(e.key)}  ${jsonLine(e.value)}\n`
}

export function renderWatch(entries: readonly WatchEntry[], format: 'text' | JsonFormat): string {
  if (format === 'text') return entries.map(textLine).join('')
  if (format === 'ndjson') return entries.map((e) => `${fixtureLine(e)}\n`).join('')
  return entries.map((e) => jsonDocument(parseJson(fixtureLine(e)), 'json')).join('')
}
