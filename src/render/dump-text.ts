/**
 * The text form of `dump`: one block per collection with Materialize's statistics names, then
 * every update with its key and value as single-quoted JSON (paste them into `edit`/`delete`
 * as they are), its timestamp and diff. Rows that did not decode follow in their own section.
 *
 * ```
 * config:
 *   total_count: 3
 *   addition_count: 3
 *   retraction_count: 0
 *   entries:
 *     - key_json: '{"key":"deploy_generation"}'
 *       value_json: '{"value":0}'
 *       timestamp: 1
 *       diff: 1
 * ```
 */
import { entryOf } from './dump-json.js'
import type { DumpChunk, DumpEvent } from './dump-model.js'
import { shellQuote } from './json-text.js'

export async function* renderDumpText(events: AsyncIterable<DumpEvent>): AsyncGenerator<DumpChunk> {
  let entries = 0
  let undecodableHeader = false
  for await (const e of events) {
    switch (e.type) {
      case 'collection':
        entries = e.statsOnly ? -1 : 0
        yield `${e.collection}:\n` +
          `  total_count: ${e.stats.total}\n` +
          `  addition_count: ${e.stats.additions}\n` +
          `  retraction_count: ${e.stats.retractions}\n` +
          (e.statsOnly ? '' : '  entries:')
        break
      case 'entry':
      case 'entries': {
        const texts: string[] = []
        for (const x of e.type === 'entry' ? [entryOf(e)] : e.entries) {
          texts.push(
            (entries++ === 0 ? '\n' : '') +
              `    - key_json: ${shellQuote(x.key)}\n` +
              `      value_json: ${shellQuote(x.value)}\n` +
              `      timestamp: ${x.ts}\n` +
              `      diff: ${x.diff}\n`,
          )
        }
        yield e.type === 'entry' ? texts.join('') : texts
        break
      }
      case 'collection-end':
        if (entries === 0) yield ' []\n'
        entries = -1
        break
      case 'undecodable':
        if (!undecodableHeader) {
          undecodableHeader = true
          yield 'undecodable:\n'
        }
        yield `  - collection: ${e.collection ?? '(none)'}\n` +
          `    raw: ${shellQuote(e.raw)}\n` +
          `    reason: ${e.reason.replace(/\s*\n\s*/g, ' ')}\n` +
          `    timestamp: ${e.ts}\n` +
          `    diff: ${e.diff}\n`
        break
      case 'end':
        break
    }
  }
}
