/**
 * The machine forms of `dump` (documented in docs/output-formats.md), streamed:
 *
 * - `json`: one document `{"collections": {NAME: {total_count, addition_count, retraction_count,
 *   entries: [{key, value, ts, diff}]}}, "undecodable": [{collection, raw, reason, ts, diff}]}`,
 *   indented, one entry per line. `entries` is absent with --stats-only.
 * - `ndjson`: one object per line, tagged by `type`: `collection` (statistics), `entry`,
 *   `undecodable`.
 *
 * Integers (timestamps, diffs, ids inside keys and values) are printed exactly.
 */
import type { JsonObject, JsonValue } from '../json/lossless-json.js'
import type { DumpChunk, DumpEntry, DumpEvent, DumpStats } from './dump-model.js'
import { jsonLine } from './json-text.js'

/** An `entry` event as a batch of one (key and value printed as display JSON). */
export function entryOf(e: Extract<DumpEvent, { type: 'entry' }>): DumpEntry {
  return { key: jsonLine(e.key), value: jsonLine(e.value), ts: e.ts, diff: e.diff }
}

function statsObject(s: DumpStats): JsonObject {
  return { total_count: s.total, addition_count: s.additions, retraction_count: s.retractions }
}

export async function* renderDumpJson(events: AsyncIterable<DumpEvent>): AsyncGenerator<DumpChunk> {
  let firstCollection = true
  let entries = 0
  let undecodable = 0
  let statsOnly = false
  yield '{\n  "collections": {'
  for await (const e of events) {
    switch (e.type) {
      case 'collection': {
        statsOnly = e.statsOnly
        const stats = jsonLine(statsObject(e.stats))
        // Statistics first, entries after: reopen the object literal to append "entries".
        yield `${firstCollection ? '' : ','}\n    ${jsonLine(e.collection)}: ${statsOnly ? stats : `${stats.slice(0, -1)},"entries":[`}`
        firstCollection = false
        entries = 0
        break
      }
      case 'entry':
      case 'entries': {
        // `{"key":K,"value":V,"ts":T,"diff":D}` as jsonLine prints it, K and V already display JSON.
        const texts: string[] = []
        for (const x of e.type === 'entry' ? [entryOf(e)] : e.entries) {
          texts.push(`${entries++ === 0 ? '' : ','}\n      {"key":${x.key},"value":${x.value},"ts":${x.ts},"diff":${x.diff}}`)
        }
        yield e.type === 'entry' ? texts.join('') : texts
        break
      }
      case 'collection-end':
        if (!statsOnly) yield entries === 0 ? ']}' : '\n    ]}'
        break
      case 'undecodable':
        yield `${undecodable++ === 0 ? `${firstCollection ? '' : '\n  '}},\n  "undecodable": [` : ','}\n    ${jsonLine(undecodableObject(e))}`
        break
      case 'end':
        if (undecodable === 0) yield `${firstCollection ? '' : '\n  '}},\n  "undecodable": []\n}\n`
        else yield '\n  ]\n}\n'
        break
    }
  }
}

/** A diff's decimal text (the catalog writes ±1). */
function diffText(d: bigint): string {
  return d === 1n ? '1' : d === -1n ? '-1' : String(d)
}

/** A bigint's decimal text, remembered while the same value repeats (a trace's timestamps come in runs). */
class DecimalCache {
  #value: bigint | undefined
  #text = ''
  of(v: bigint): string {
    if (v !== this.#value) {
      this.#value = v
      this.#text = String(v)
    }
    return this.#text
  }
}

export async function* renderDumpNdjson(events: AsyncIterable<DumpEvent>): AsyncGenerator<DumpChunk> {
  const tsText = new DecimalCache()
  for await (const e of events) {
    switch (e.type) {
      case 'collection':
        yield `${jsonLine({ type: 'collection', collection: e.collection, ...statsObject(e.stats) })}\n`
        break
      case 'entry':
      case 'entries': {
        // jsonLine({type: 'entry', collection, key, value, ts, diff}), K and V already display JSON.
        const head = `{"type":"entry","collection":${jsonLine(e.collection)},"key":`
        const xs = e.type === 'entry' ? [entryOf(e)] : e.entries
        const texts: string[] = new Array<string>(xs.length)
        for (let i = 0; i < xs.length; i++) {
          const x = xs[i] as DumpEntry
          texts[i] = `${head}${x.key},"value":${x.value},"ts":${tsText.of(x.ts)},"diff":${diffText(x.diff)}}\n`
        }
        yield e.type === 'entry' ? texts.join('') : texts
        break
      }
      case 'undecodable':
        yield `${jsonLine({ type: 'undecodable', ...undecodableObject(e) })}\n`
        break
      default:
        break
    }
  }
}

function undecodableObject(e: Extract<DumpEvent, { type: 'undecodable' }>): JsonObject {
  const out: Record<string, JsonValue> = { collection: e.collection, raw: e.raw, reason: e.reason, ts: e.ts, diff: e.diff }
  return out
}
