/**
 * Lookups noted by the fixture reader for the store to take (issue 13, import speed): what
 * `rowLookup` answers from a note is what its full scan answers, for every row of the demo
 * fixtures, noted with the key end the reader's exact check (`exactRowKeyEnd`) finds; a note is
 * taken only by its own text, rows skipped between are passed over, a wrong kind is never noted,
 * and a row that is not canonical has no key end to note.
 */
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { it } from 'node:test'
import { exactRowKeyEnd } from '../../src/catalog/codec/row-display.js'
import { noteExactRow, rowLookup } from '../../src/catalog/codec/row-lookup.js'
import { KIND_COLLECTIONS } from '../../src/catalog/kinds/collections.js'
import { fileLines, readFixture } from '../../src/catalog/fixture/reader.js'
import { repoRoot } from '../helpers/cli-golden.js'

const FIXTURES = join(repoRoot(), 'fixtures')

/** Where the key of `text` ends if it is an exact row of `kind` in catalog `version`, else -1. */
function keyEnd(text: string, kind: string, version = 47): number {
  if (!Object.hasOwn(KIND_COLLECTIONS, kind)) return -1
  return exactRowKeyEnd(KIND_COLLECTIONS[kind as keyof typeof KIND_COLLECTIONS], version)(text)
}

/** Every distinct row of the demo fixtures, with its lookup by the full scan and its catalog version. */
async function demoRows(): Promise<{ data: string; scanned: readonly [string | null, string | null]; version: number }[]> {
  const rows = new Map<string, { scanned: readonly [string | null, string | null]; version: number }>()
  for (const name of readdirSync(FIXTURES).filter((n) => /^(demo|fresh)-v\d+\.ndjson$/.test(n))) {
    const { header, updates } = await readFixture(fileLines(join(FIXTURES, name)))
    for (const u of updates)
      if (!rows.has(u.data)) rows.set(u.data, { scanned: rowLookup(u.data), version: Number(header.catalogVersion ?? 47n) })
  }
  return [...rows].map(([data, r]) => ({ data, ...r }))
}

it('a noted lookup is the full scan’s, for every demo row (the reader notes each row, the store takes it)', async () => {
  const rows = await demoRows()
  assert.ok(rows.length > 100)
  let noted = 0
  for (let i = 0; i < rows.length; i += 64) {
    const batch = rows.slice(i, i + 64)
    for (const r of batch) {
      const end = r.scanned[0] === null ? -1 : keyEnd(r.data, r.scanned[0], r.version)
      if (end < 0) continue
      // The check's key end is where the full scan's key ends.
      assert.equal(r.data.slice('{"key":'.length, end), r.scanned[1] ?? 'null', r.data)
      noteExactRow(r.data, r.scanned[0] as string, end)
      noted++
    }
    // Strings equal to the noted ones but not the same objects: the note is of the content.
    for (const r of batch) assert.deepEqual(rowLookup(`${r.data} `.slice(0, -1)), r.scanned, r.data)
  }
  // Nearly every demo row is exact (the epoch row and rows of other versions' shapes are not noted).
  assert.ok(noted > rows.length / 2, `${noted} of ${rows.length} noted`)
})

it('a note is taken only by its own text; rows consolidated away are passed over', () => {
  const a = '{"key":{"name":"a"},"kind":"Setting","value":{"value":"1"}}'
  const b = '{"key":{"name":"b"},"kind":"Setting","value":{"value":"2"}}'
  const c = '{"key":{"name":"c"},"kind":"Setting","value":{"value":"3"}}'
  for (const t of [a, b, c]) noteExactRow(t, 'Setting', keyEnd(t, 'Setting'))
  // b never reaches the store (merged with its neighbour): c's note is still found.
  assert.deepEqual(rowLookup(a), ['Setting', '{"name":"a"}'])
  assert.deepEqual(rowLookup(c), ['Setting', '{"name":"c"}'])
  // Another row than the one noted: scanned, not answered from a note.
  noteExactRow(a, 'Setting', keyEnd(a, 'Setting'))
  assert.deepEqual(rowLookup(b), ['Setting', '{"name":"b"}'])
  assert.deepEqual(rowLookup(a), ['Setting', '{"name":"a"}'])
})

it('a row whose kind is not the one given is not noted; a row that is not canonical or exact has no key end', () => {
  const row = '{"key":{"name":"x"},"kind":"Setting","value":{"value":"1"}}'
  noteExactRow(row, 'Role', keyEnd(row, 'Setting'))
  assert.deepEqual(rowLookup(row), ['Setting', '{"name":"x"}'])
  // Not canonical (a space), an unknown field, a missing field, a kind that is not the row's own.
  assert.equal(keyEnd('{"key":{ "name":"x"},"kind":"Setting","value":{"value":"1"}}', 'Setting'), -1)
  assert.equal(keyEnd('{"key":{"name":"x"},"kind":"Setting","value":{"other":1,"value":"1"}}', 'Setting'), -1)
  assert.equal(keyEnd('{"key":{"name":"x"},"kind":"Setting"}', 'Setting'), -1)
  assert.equal(keyEnd(row, 'Role'), -1)
  // A key that holds `,"kind":"Setting"` itself: the key ends where the key's own text does.
  const nested = '{"key":{"name":",\\"kind\\":\\"Setting\\""},"kind":"Setting","value":{"value":"1"}}'
  assert.equal(keyEnd(nested, 'Setting'), nested.indexOf('},"kind"') + 1)
})
