/**
 * Lookups noted by the fixture reader for the store to take (issue 13, import speed): what
 * `rowLookup` answers from a note is what its full scan answers, for every row of the demo
 * fixtures; a note is taken only by its own text, rows skipped between are passed over, and a
 * wrong kind or a non-canonical row is never noted.
 */
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { it } from 'node:test'
import { noteExactRow, rowLookup } from '../../src/catalog/codec/row-lookup.js'
import { fileLines, readFixture } from '../../src/catalog/fixture/reader.js'
import { repoRoot } from '../helpers/cli-golden.js'

const FIXTURES = join(repoRoot(), 'fixtures')

/** Every distinct row of the demo fixtures, with its lookup by the full scan. */
async function demoRows(): Promise<{ data: string; scanned: readonly [string | null, string | null] }[]> {
  const rows = new Map<string, readonly [string | null, string | null]>()
  for (const name of readdirSync(FIXTURES).filter((n) => /^(demo|fresh)-v\d+\.ndjson$/.test(n))) {
    const { updates } = await readFixture(fileLines(join(FIXTURES, name)))
    for (const u of updates) if (!rows.has(u.data)) rows.set(u.data, rowLookup(u.data))
  }
  return [...rows].map(([data, scanned]) => ({ data, scanned }))
}

it('a noted lookup is the full scan’s, for every demo row (the reader notes each row, the store takes it)', async () => {
  const rows = await demoRows()
  assert.ok(rows.length > 100)
  for (let i = 0; i < rows.length; i += 64) {
    const batch = rows.slice(i, i + 64)
    for (const r of batch) if (r.scanned[0] !== null) noteExactRow(r.data, r.scanned[0])
    // Strings equal to the noted ones but not the same objects: the note is of the content.
    for (const r of batch) assert.deepEqual(rowLookup(`${r.data} `.slice(0, -1)), r.scanned, r.data)
  }
})

it('a note is taken only by its own text; rows consolidated away are passed over', () => {
  const a = '{"key":{"name":"a"},"kind":"Setting","value":{"value":"1"}}'
  const b = '{"key":{"name":"b"},"kind":"Setting","value":{"value":"2"}}'
  const c = '{"key":{"name":"c"},"kind":"Setting","value":{"value":"3"}}'
  for (const t of [a, b, c]) noteExactRow(t, 'Setting')
  // b never reaches the store (merged with its neighbour): c's note is still found.
  assert.deepEqual(rowLookup(a), ['Setting', '{"name":"a"}'])
  assert.deepEqual(rowLookup(c), ['Setting', '{"name":"c"}'])
  // Another row than the one noted: scanned, not answered from a note.
  noteExactRow(a, 'Setting')
  assert.deepEqual(rowLookup(b), ['Setting', '{"name":"b"}'])
  assert.deepEqual(rowLookup(a), ['Setting', '{"name":"a"}'])
})

it('a row whose kind is not the one given, or whose key is not canonical, is not noted', () => {
  const row = '{"key":{"name":"x"},"kind":"Setting","value":{"value":"1"}}'
  noteExactRow(row, 'Role')
  assert.deepEqual(rowLookup(row), ['Setting', '{"name":"x"}'])
  const spaced = '{"key":{ "name":"x"},"kind":"Setting","value":{"value":"1"}}'
  noteExactRow(spaced, 'Setting')
  assert.deepEqual(rowLookup(spaced), ['Setting', '{"name":"x"}'])
})
