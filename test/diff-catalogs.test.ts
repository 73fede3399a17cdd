import { test } from 'node:test'
import assert from 'node:assert/strict'
import { stripVTControlCharacters } from 'node:util'
import { canonicalJson } from '../src/json/lossless-json.js'
import {
  applyPatch,
  contentsFromUpdates,
  diffCatalogs,
  diffToJson,
  diffToJsonPatch,
  INVALID_ROWS,
  patchDocument,
  type RowCount,
} from '../src/catalog/diff/index.js'
import { renderDiffText } from '../src/render/diff-text.js'
import { FRESH_ROWS, settingRow } from './helpers/fixture-testing.js'

const rows = (texts: readonly string[]): RowCount[] => texts.map((data) => ({ data, diff: 1n }))
const FRESH = rows(FRESH_ROWS)
const QUICKSTART = FRESH_ROWS.find((r) => r.includes('"name":"quickstart"') && r.includes('"kind":"Cluster"')) as string

function replaceRow(list: readonly RowCount[], from: string, to: string): RowCount[] {
  assert.ok(
    list.some((r) => r.data === from),
    'row to replace exists',
  )
  return list.map((r) => (r.data === from ? { data: to, diff: r.diff } : r))
}

function assertPatchApplies(a: RowCount[], b: RowCount[]): void {
  const before = contentsFromUpdates(a)
  const after = contentsFromUpdates(b)
  const ops = diffToJsonPatch(diffCatalogs(before, after, { includeEpoch: true }))
  const patched = applyPatch(patchDocument(before, { includeEpoch: true }), ops)
  assert.equal(canonicalJson(patched), canonicalJson(patchDocument(after, { includeEpoch: true })))
}

test('equal catalogs give an empty result', () => {
  const a = contentsFromUpdates(FRESH)
  // History that sums to the same state is the same catalog.
  const b = contentsFromUpdates([...FRESH, { data: settingRow('x', 'y'), diff: 1n }, { data: settingRow('x', 'y'), diff: -1n }])
  const d = diffCatalogs(a, b, { includeEpoch: true })
  assert.equal(d.equal, true)
  assert.deepEqual(d.collections, [])
  assert.deepEqual(diffToJsonPatch(d), [])
  assert.equal(renderDiffText(d), 'no differences\n')
})

test('keys added, removed and changed, per collection, with before and after', () => {
  const resized = QUICKSTART.replace('"size":"1"', '"size":"2"')
  const b = replaceRow(FRESH, QUICKSTART, resized)
    .filter((r) => !r.data.includes('"name":"mz_unsafe"'))
    .concat(rows([settingRow('catalog_content_version', '0.91.0')]))
  const d = diffCatalogs(contentsFromUpdates(FRESH), contentsFromUpdates(b))
  assert.equal(d.equal, false)
  assert.deepEqual(d.summary, { added: 1, removed: 1, changed: 1 })
  assert.deepEqual(
    d.collections.map((c) => [c.collection, c.added.length, c.removed.length, c.changed.length]),
    [
      ['compute_instance', 0, 0, 1],
      ['schema', 0, 1, 0],
      ['setting', 1, 0, 0],
    ],
  )
  const changed = d.collections[0]?.changed[0]
  assert.equal(changed?.keyText, '{"id":{"value":{"User":1}}}')
  assert.match(canonicalJson(changed?.before ?? null), /"size":"1"/)
  assert.match(canonicalJson(changed?.after ?? null), /"size":"2"/)
  const json = canonicalJson(diffToJson(d))
  assert.match(json, /^\{"collections":\[\{"added":\[\],"changed":\[\{"after":/)
  assert.match(json, /"summary":\{"added":1,"changed":1,"removed":1\}/)

  const ops = diffToJsonPatch(d)
  assert.deepEqual(
    ops.map((o) => [o.op, o.path]),
    [
      ['replace', '/collections/compute_instance/{"id":{"value":{"User":1}}}/config/variant/Managed/size'],
      ['remove', '/collections/schema/{"id":{"value":{"System":6}}}'],
      ['add', '/collections/setting/{"name":"catalog_content_version"}'],
    ],
  )
  assertPatchApplies(FRESH, b)
})

test('integers beyond 2^53 are compared and patched exactly', () => {
  const alloc = '{"key":{"name":"user"},"kind":"IdAlloc","value":{"next_id":1}}'
  const a = replaceRow(FRESH, alloc, alloc.replace('"next_id":1', '"next_id":9007199254740993'))
  const b = replaceRow(FRESH, alloc, alloc.replace('"next_id":1', '"next_id":9007199254740992'))
  const d = diffCatalogs(contentsFromUpdates(a), contentsFromUpdates(b))
  assert.equal(d.summary.changed, 1)
  const ops = diffToJsonPatch(d)
  assert.equal(
    canonicalJson(ops.map((o) => ({ ...o }))),
    '[{"op":"replace","path":"/collections/id_alloc/{\\"name\\":\\"user\\"}/next_id","value":9007199254740992}]',
  )
  assertPatchApplies(a, b)
  // A small change is not missed either (jsondiffpatch alone misses bigint changes).
  const c = replaceRow(FRESH, alloc, alloc.replace('"next_id":1', '"next_id":2'))
  assert.equal(diffCatalogs(contentsFromUpdates(FRESH), contentsFromUpdates(c)).summary.changed, 1)
})

test('JSON pointers escape / and ~ per RFC 6901', () => {
  const b = [...FRESH, ...rows([settingRow('a/b~c', 'x')])]
  const ops = diffToJsonPatch(diffCatalogs(contentsFromUpdates(FRESH), contentsFromUpdates(b)))
  assert.deepEqual(
    ops.map((o) => o.path),
    ['/collections/setting/{"name":"a~1b~0c"}'],
  )
  assertPatchApplies(FRESH, b)
  assertPatchApplies(b, FRESH)
})

test('array reorderings become moves, and key-only kinds add and remove whole', () => {
  const db = FRESH_ROWS.find((r) => r.includes('"kind":"Database"')) as string
  const parsed = JSON.parse(db) as { value: { privileges: unknown[] } }
  parsed.value.privileges.reverse()
  const reordered = canonicalJson(JSON.parse(JSON.stringify(parsed)))
  const audit = FRESH_ROWS.filter((r) => r.includes('"kind":"AuditLog"'))
  const b = replaceRow(FRESH, db, reordered).filter((r) => r.data !== audit[0])
  const d = diffCatalogs(contentsFromUpdates(FRESH), contentsFromUpdates(b))
  const ops = diffToJsonPatch(d)
  assert.ok(ops.some((o) => o.op === 'move'))
  assert.ok(ops.some((o) => o.op === 'remove' && o.path.startsWith('/collections/audit_log/')))
  assertPatchApplies(FRESH, b)
})

test('the epoch is compared only on request', () => {
  const b = replaceRow(FRESH, '{"epoch":2,"kind":"Epoch"}', '{"epoch":3,"kind":"Epoch"}')
  assert.equal(diffCatalogs(contentsFromUpdates(FRESH), contentsFromUpdates(b)).equal, true)
  const d = diffCatalogs(contentsFromUpdates(FRESH), contentsFromUpdates(b), { includeEpoch: true })
  assert.deepEqual(d.epoch, { before: 2n, after: 3n })
  assert.deepEqual(diffToJsonPatch(d), [{ op: 'replace', path: '/epoch', value: 3n }])
  assert.equal(renderDiffText(d), 'epoch: 2 => 3\nno differences; epoch changed\n')
})

test('damaged multiplicities and invalid rows are reported, not hidden', () => {
  const b = [...FRESH, { data: settingRow('x', 'y'), diff: 2n }, { data: 'not json', diff: 1n }]
  const a = [...FRESH, { data: settingRow('x', 'y'), diff: 1n }]
  const d = diffCatalogs(contentsFromUpdates(a), contentsFromUpdates(b))
  const setting = d.collections.find((c) => c.collection === 'setting')
  assert.equal(setting?.changed.length, 1)
  assert.deepEqual(
    setting?.changed[0]?.afterValues?.map((v) => v.diff),
    [2n],
  )
  const invalid = d.collections.find((c) => c.collection === INVALID_ROWS)
  assert.equal(invalid?.added[0]?.keyText, 'not json')
  // Invalid rows are in the report only; the patch addresses the 18 collections.
  assert.ok(diffToJsonPatch(d).every((o) => !o.path.includes('invalid')))
})

test('the text rendering is readable, and coloured only on request', () => {
  const b = replaceRow(FRESH, QUICKSTART, QUICKSTART.replace('"size":"1"', '"size":"2"')).concat(rows([settingRow('s', 'v')]))
  const d = diffCatalogs(contentsFromUpdates(FRESH), contentsFromUpdates(b))
  const plain = renderDiffText(d, { labels: ['a.ndjson', 'b.ndjson'] })
  assert.equal(
    plain,
    [
      '--- a.ndjson',
      '+++ b.ndjson',
      'compute_instance: 1 changed',
      '  ~ {"id":{"value":{"User":1}}}',
      '    {',
      '       config: {',
      '         variant: {',
      '           Managed: {',
      '             size: "1" => "2"',
      '           }',
      '         }',
      '       }',
      '     }',
      'setting: 1 added',
      '  + {"name":"s"}',
      '      {',
      '        "value": "v"',
      '      }',
      '1 added, 1 changed',
      '',
    ].join('\n'),
  )
  const coloured = renderDiffText(d, { color: true, labels: ['a.ndjson', 'b.ndjson'] })
  assert.notEqual(coloured, plain)
  assert.match(coloured, /\u001b\[31m"1"\u001b\[39m => \u001b\[32m"2"\u001b\[39m/)
  assert.equal(stripVTControlCharacters(coloured), plain)
})
