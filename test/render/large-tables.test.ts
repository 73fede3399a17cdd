/**
 * Large text tables (issue 13): above `LAYOUT_ROWS` rows a table is laid out in one pass instead
 * of by cli-table3, and must look exactly as cli-table3 would lay it out; `history` finds each
 * version's write record by binary search instead of a scan per version.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { HistoryEntry, StoredWriteRecord } from '../../src/catalog/index.js'
import { writeRecordLookup } from '../../src/catalog/write-log.js'
import { renderHistory } from '../../src/render/history.js'
import { LAYOUT_ROWS, renderCliTable, renderFlatTable, renderTable } from '../../src/render/table.js'

/** Cells of every width class the display-width rule distinguishes. */
const ODD_CELLS = [
  '',
  '-',
  'é',
  'e\u0301x',
  '日本語',
  '한국',
  'ｶﾀｶﾅ',
  'ＡＢ',
  '😀',
  '👍🏽',
  '🇩🇪',
  '👨‍👩‍👧',
  '❤️',
  '✈',
  '©',
  'Ab\u200bc',
  '\u00ad',
  'a\tb',
  'Ω≈ç→✓½',
]

function mixedRows(n: number): string[][] {
  return Array.from({ length: n }, (_, i) => [
    String(1000 + i * 7),
    i % 3 === 0 ? '-' : String(20_000 + i),
    i % 11 === 0 ? (ODD_CELLS[i % ODD_CELLS.length] as string) : `{"value":"x${'y'.repeat(i % 41)}"}`,
    i % 5 === 0 ? '' : `2026-12-07T19:0${i % 10}:00.000Z alice@host edit`,
  ])
}

test('the one-pass layout is cli-table3 layout, character for character', () => {
  const head = ['written_at', 'retracted_at', 'value', 'written_by']
  for (const cell of ODD_CELLS) {
    const rows = [
      [cell, 'x', cell, cell],
      ['-', '-', 'y', ''],
    ]
    assert.equal(renderFlatTable(head, rows), renderCliTable(head, rows), JSON.stringify(cell))
  }
  const rows = mixedRows(LAYOUT_ROWS + 100)
  assert.equal(renderFlatTable(head, rows), renderCliTable(head, rows))
  assert.equal(renderTable(head, rows), renderCliTable(head, rows))
  // A header wider than every cell, and a last column that is all empty.
  const narrow = Array.from({ length: LAYOUT_ROWS + 1 }, (_, i) => [String(i), ''])
  assert.equal(renderTable(['a_long_heading', 'last'], narrow), renderCliTable(['a_long_heading', 'last'], narrow))
})

test('a cell spanning lines is left to cli-table3', () => {
  assert.equal(renderFlatTable(['a', 'b'], [['one\ntwo', 'x']]), undefined)
  const rows = [['one\ntwo', 'x'], ...Array.from({ length: LAYOUT_ROWS }, (_, i) => [String(i), 'y'])]
  assert.equal(renderTable(['a', 'b'], rows), renderCliTable(['a', 'b'], rows))
})

function record(expectedUpper: bigint | null, newUpper: bigint | null, command: string): StoredWriteRecord {
  return {
    operationId: `op-${command}`,
    walltimeMs: 1_765_000_000_000n + (expectedUpper ?? 0n),
    user: 'alice',
    hostname: 'host',
    toolVersion: '0.91.0',
    command,
    commandLine: `catalog-debug ${command}`,
    reason: null,
    shardId: 's1',
    seqno: 1n,
    expectedUpper,
    newUpper,
  }
}

/** What the lookup must agree with: the newest record whose uppers span `ts`. */
function scan(records: readonly StoredWriteRecord[], ts: bigint): StoredWriteRecord | undefined {
  return records.find((r) => r.expectedUpper !== null && r.expectedUpper <= ts && (r.newUpper === null || ts < r.newUpper))
}

test('write records are found by timestamp as a scan finds them, with gaps, empty spans and overlaps', () => {
  const disjoint = [
    record(40n, null, 'tombstone'),
    record(30n, 40n, 'edit'),
    record(25n, 25n, 'restore'),
    record(20n, 25n, 'delete'),
    record(5n, 10n, 'init'),
    record(null, null, 'odd'),
  ]
  const overlapping = [record(8n, 12n, 'after-restore'), ...disjoint]
  for (const records of [disjoint, overlapping, [], [record(3n, 3n, 'restore')]]) {
    const at = writeRecordLookup(records)
    for (let ts = 0n; ts < 50n; ts++) assert.equal(at(ts), scan(records, ts), `ts ${ts} of ${records.length} records`)
  }
})

test('history text of many versions has the table layout and every version its record', () => {
  const entries: HistoryEntry[] = Array.from({ length: LAYOUT_ROWS + 50 }, (_, i) => ({
    value: { value: `v${i}` },
    writtenAt: BigInt(10 + i),
    retractedAt: i === LAYOUT_ROWS + 49 ? null : BigInt(11 + i),
    raw: '',
    ...(i === 7 ? { count: 2n } : {}),
  }))
  const records = entries.filter((_, i) => i % 2 === 0).map((e) => record(e.writtenAt, e.writtenAt + 1n, `edit-${e.writtenAt}`))
  records.reverse()
  const text = renderHistory(entries, 'text', records)
  const rows = entries.map((e, i) => [
    String(e.writtenAt),
    e.retractedAt === null ? '-' : String(e.retractedAt),
    `{"value":"v${i}"}${i === 7 ? ' (2 copies)' : ''}`,
    i % 2 === 0 ? `${new Date(Number(1_765_000_000_000n + e.writtenAt)).toISOString()} alice@host edit-${e.writtenAt}` : '-',
  ])
  assert.equal(text, renderCliTable(['written_at', 'retracted_at', 'value', 'written_by'], rows))
})
