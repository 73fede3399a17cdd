/**
 * `history` keeps a key's versions in buffers and typed arrays that grow as the versions come (no
 * object per version): a key with more versions than their first allocation, some of them texts
 * with characters beyond the basic plane (kept as strings beside the buffers) and one inserted
 * twice and retracted in two parts, comes out whole and in order. Through the command line, on a
 * SQLite file.
 */

import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileLines, importFixture } from '../../src/catalog/fixture/index.js'
import { spawnCli } from '../helpers/cli-process.js'
import { makeTempDir } from '../helpers/tmp.js'
import { DEMO_ORG, openTestStore, rawAppend, SHARD } from '../repair/corpus.js'

const DEMO_V42 = join(process.cwd(), 'fixtures', 'demo-v42.ndjson')
const VERSIONS = 300
const greeting = (n: number): string => (n % 7 === 0 ? `\u{1F600} ${n}` : `v${n}`)
const row = (n: number): string => `{"key":{"name":"greeting"},"kind":"Setting","value":{"value":${JSON.stringify(greeting(n))}}}`

test('history lists hundreds of versions of a key, exact and in order', async () => {
  const dir = makeTempDir('history-many-')
  try {
    const location = dir.path('c.db')
    const store = await openTestStore(location)
    const at: bigint[] = []
    try {
      await importFixture(store, DEMO_ORG, fileLines(DEMO_V42))
      for (let n = 0; n < VERSIONS; n++) {
        at.push((await store.fetchRecentUpper(SHARD)) as bigint)
        // Version 0 is inserted twice; version 1's write retracts one copy, version 2's the other.
        if (n === 0) await rawAppend(store, [{ data: row(0), diff: 2n }])
        else if (n <= 2)
          await rawAppend(store, [
            { data: row(0), diff: -1n },
            ...(n === 1 ? [] : [{ data: row(1), diff: -1n }]),
            { data: row(n), diff: 1n },
          ])
        else
          await rawAppend(store, [
            { data: row(n - 1), diff: -1n },
            { data: row(n), diff: 1n },
          ])
      }
    } finally {
      await store.close()
    }
    const r = await spawnCli(['--store', location, 'history', 'setting', '{"name":"greeting"}', '-o', 'ndjson'])
    assert.equal(r.code, 0, r.stderr)
    const lines = r.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { value: { value: string }; written_at: number; retracted_at: number | null; count?: number })
    const expected = [
      // Version 0: two copies, retracted one at a time, each part a version of its own.
      { value: greeting(0), writtenAt: at[0], retractedAt: at[1], count: undefined },
      { value: greeting(0), writtenAt: at[0], retractedAt: at[2], count: undefined },
      ...Array.from({ length: VERSIONS - 1 }, (_, i) => ({
        value: greeting(i + 1),
        writtenAt: at[i + 1],
        retractedAt: i + 2 < VERSIONS ? at[i + 2] : null,
        count: undefined,
      })),
    ]
    assert.deepEqual(
      lines.map((l) => ({
        value: l.value.value,
        writtenAt: BigInt(l.written_at),
        retractedAt: l.retracted_at === null ? null : BigInt(l.retracted_at),
        count: l.count,
      })),
      expected,
    )
  } finally {
    dir.cleanup()
  }
})
