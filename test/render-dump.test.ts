import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseJson, type JsonValue } from '../src/json/lossless-json.js'
import type { DumpEvent } from '../src/render/dump-model.js'
import { renderDumpText } from '../src/render/dump-text.js'
import { renderDumpJson, renderDumpNdjson } from '../src/render/dump-json.js'
import { shellQuote } from '../src/render/json-text.js'

const BIG = 18446744073709551615n

function events(opts: { statsOnly?: boolean; undecodable?: boolean } = {}): DumpEvent[] {
  const statsOnly = opts.statsOnly === true
  const list: DumpEvent[] = [
    { type: 'collection', collection: 'comments', stats: { total: 0n, additions: 0n, retractions: 0n }, statsOnly },
    { type: 'collection-end', collection: 'comments' },
    { type: 'collection', collection: 'config', stats: { total: 3n, additions: 2n, retractions: 1n }, statsOnly },
  ]
  if (!statsOnly) {
    list.push(
      { type: 'entry', collection: 'config', key: { key: "it's" }, value: { value: 1n }, ts: 1n, diff: 1n },
      { type: 'entry', collection: 'config', key: { key: "it's" }, value: { value: 1n }, ts: 2n, diff: -1n },
      { type: 'entry', collection: 'config', key: { key: 'big' }, value: { value: BIG }, ts: BIG, diff: 1n },
    )
  }
  list.push({ type: 'collection-end', collection: 'config' })
  if (opts.undecodable === true) {
    list.push({
      type: 'undecodable',
      collection: 'config',
      raw: '{"kind":"Config","key":{}}',
      reason: 'key.key: missing\nfield',
      ts: 3n,
      diff: 1n,
    })
  }
  list.push({ type: 'end', undecodable: opts.undecodable === true ? 1 : 0 })
  return list
}

async function collect(gen: AsyncIterable<string | readonly string[]>): Promise<string> {
  let s = ''
  for await (const c of gen) s += typeof c === 'string' ? c : c.join('')
  return s
}

async function* from(list: DumpEvent[]): AsyncGenerator<DumpEvent> {
  yield* list
}

test('text dump: statistics, shell-quoted JSON, exact integers', async () => {
  const text = await collect(renderDumpText(from(events({ undecodable: true }))))
  assert.equal(
    text,
    [
      'comments:',
      '  total_count: 0',
      '  addition_count: 0',
      '  retraction_count: 0',
      '  entries: []',
      'config:',
      '  total_count: 3',
      '  addition_count: 2',
      '  retraction_count: 1',
      '  entries:',
      `    - key_json: '{"key":"it'\\''s"}'`,
      `      value_json: '{"value":1}'`,
      '      timestamp: 1',
      '      diff: 1',
      `    - key_json: '{"key":"it'\\''s"}'`,
      `      value_json: '{"value":1}'`,
      '      timestamp: 2',
      '      diff: -1',
      `    - key_json: '{"key":"big"}'`,
      `      value_json: '{"value":18446744073709551615}'`,
      '      timestamp: 18446744073709551615',
      '      diff: 1',
      'undecodable:',
      '  - collection: config',
      `    raw: '{"kind":"Config","key":{}}'`,
      '    reason: key.key: missing field',
      '    timestamp: 3',
      '    diff: 1',
      '',
    ].join('\n'),
  )
})

test('text dump with stats only has no entries', async () => {
  const text = await collect(renderDumpText(from(events({ statsOnly: true }))))
  assert.doesNotMatch(text, /entries/)
  assert.match(text, /config:\n {2}total_count: 3\n {2}addition_count: 2\n {2}retraction_count: 1\n$/)
})

test('json dump is one valid document with exact integers', async () => {
  for (const undecodable of [false, true]) {
    for (const statsOnly of [false, true]) {
      const text = await collect(renderDumpJson(from(events({ undecodable, statsOnly }))))
      const doc = parseJson(text) as {
        collections: Record<string, { entries?: { ts: JsonValue }[]; total_count: JsonValue }>
        undecodable: JsonValue[]
      }
      assert.deepEqual(Object.keys(doc.collections), ['comments', 'config'])
      assert.equal(doc.collections.config?.total_count, 3n)
      if (statsOnly) assert.equal(doc.collections.config?.entries, undefined)
      else {
        assert.deepEqual(doc.collections.comments?.entries, [])
        assert.equal(doc.collections.config?.entries?.[2]?.ts, BIG)
      }
      assert.equal(doc.undecodable.length, undecodable ? 1 : 0)
    }
  }
  const empty = await collect(renderDumpJson(from([{ type: 'end', undecodable: 0 }])))
  assert.deepEqual(parseJson(empty), { collections: {}, undecodable: [] })
})

test('ndjson dump: one tagged object per line', async () => {
  const text = await collect(renderDumpNdjson(from(events({ undecodable: true }))))
  const lines = text
    .trimEnd()
    .split('\n')
    .map((l) => parseJson(l) as { type: string })
  assert.deepEqual(
    lines.map((l) => l.type),
    ['collection', 'collection', 'entry', 'entry', 'entry', 'undecodable'],
  )
  assert.match(text, /"ts":18446744073709551615/)
})

test('shellQuote', () => {
  assert.equal(shellQuote('{"a":1}'), `'{"a":1}'`)
  assert.equal(shellQuote("a'b"), `'a'\\''b'`)
})
