/**
 * `dump --consolidate` in bounded memory (issue 13): the sort that spills sorted runs to a
 * temporary file must give exactly the order an in-memory sort gives, leave no file behind on any
 * path, and the consolidated display trace must not change when it spills.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { rowLookup } from '../../src/catalog/codec/row-lookup.js'
import { catalogShardDiagnostics, catalogShardIds } from '../../src/catalog/catalog-shards.js'
import { fileLines, readFixture } from '../../src/catalog/fixture/reader.js'
import { COLLECTION_NAMES } from '../../src/catalog/kinds/collections.js'
import { type SortRow, SpillingSort } from '../../src/catalog/spilling-sort.js'
import { decodeVersions, displayEntry, traceConsolidated, traceDisplayConsolidated } from '../../src/catalog/trace.js'
import { CatalogDebugError } from '../../src/errors.js'
import { compareCodePoints } from '../../src/json/lossless-json.js'
import { openStore } from '../../src/store/open-store.js'
import { repoRoot } from '../helpers/fixture-testing.js'
import { makeTempDir } from '../helpers/tmp.js'

const DEMO = join(repoRoot(), 'fixtures', 'demo-v47.ndjson')

/** Prefix first (rows without one after), then text, then diff: a total order. */
function compareRows(a: SortRow, b: SortRow): number {
  if (a.prefix !== b.prefix) {
    if (a.prefix === undefined) return 1
    if (b.prefix === undefined) return -1
    return a.prefix < b.prefix ? -1 : 1
  }
  return compareCodePoints(a.data, b.data) || (a.diff < b.diff ? -1 : a.diff > b.diff ? 1 : 0)
}

/** Rows of every shape the file must carry: no prefix, prefix bytes 0–255, non-ASCII text, rows longer than a read chunk, extreme diffs. */
function rows(n: number): SortRow[] {
  const out: SortRow[] = []
  let seed = 7
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed
  }
  for (let i = 0; i < n; i++) {
    const r = rnd()
    const prefix = r % 7 === 0 ? undefined : String.fromCharCode(...Array.from({ length: 1 + (r % 24) }, (_, k) => (r >> k) & 255))
    const long = r % 97 === 0 ? 'x'.repeat(70_000 + (r % 1000)) : ''
    const data = `{"n":${i},"s":"${['a', 'é', '\u{1f600}', '\u0000', 'z'][r % 5]}${long}"}`
    const diff = [1n, -1n, 2n, (1n << 63n) - 1n, -(1n << 63n)][r % 5] as bigint
    out.push({ data, diff, prefix })
  }
  return out
}

/** Runs `fn` with TMPDIR set to a fresh directory (awaited when it returns a promise). */
async function withTmpdir(fn: (dir: string) => unknown): Promise<void> {
  const tmp = makeTempDir('catalog-debug-sort-test-')
  const saved = process.env.TMPDIR
  process.env.TMPDIR = tmp.dir
  try {
    await fn(tmp.dir)
  } finally {
    if (saved === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = saved
    tmp.cleanup()
  }
}

test('spilled runs merge into exactly the in-memory order, and the file never has a name', () =>
  withTmpdir((dir) => {
    const input = rows(3000)
    const expected = [...input].sort(compareRows)
    for (const memory of [1, 4096, 200_000, 1 << 30]) {
      const sort = new SpillingSort(compareRows, memory)
      for (const r of input) sort.add(r)
      assert.equal(sort.spilled, memory < 1 << 30, `spilled with ${memory} bytes`)
      assert.deepEqual(readdirSync(dir), [], 'the sort file is unlinked while in use')
      assert.deepEqual([...sort.sorted()], expected, `${memory} bytes`)
    }
    assert.deepEqual(readdirSync(dir), [])
  }))

test('a sort abandoned halfway, or never read, releases its file', () =>
  withTmpdir((dir) => {
    const sort = new SpillingSort(compareRows, 4096)
    for (const r of rows(500)) sort.add(r)
    assert.ok(sort.spilled)
    const it = sort.sorted()
    it.next()
    it.return(undefined)
    const unread = new SpillingSort(compareRows, 4096)
    for (const r of rows(500)) unread.add(r)
    unread.close()
    unread.close()
    assert.deepEqual(readdirSync(dir), [])
  }))

test('no temporary directory to spill into is a one-line failure, not a crash', () =>
  withTmpdir((dir) => {
    const file = join(dir, 'not-a-directory')
    writeFileSync(file, '')
    process.env.TMPDIR = file
    const sort = new SpillingSort(compareRows, 1)
    assert.throws(
      () => sort.add(rows(1)[0] as SortRow),
      (err) =>
        err instanceof CatalogDebugError && err.category === 'failure' && /cannot create a temporary file to sort in/.test(err.message),
    )
    // Under the budget nothing touches the file system.
    const small = new SpillingSort(compareRows, 1 << 20)
    for (const r of rows(10)) small.add(r)
    assert.equal([...small.sorted()].length, 10)
  }))

test('the consolidated display trace is the same whether it spills or not, damaged rows included', async () => {
  const { header, updates } = await readFixture(fileLines(DEMO))
  const store = await openStore(':memory:', { create: true, lookup: rowLookup, now: () => 0n })
  const shard = catalogShardIds(header.organizationId).catalog
  await store.openShard(shard, catalogShardDiagnostics(header.organizationId))
  const at = header.upper as bigint
  assert.ok((await store.compareAndAppend(shard, [...updates], 0n, at)).ok)
  const odd = [
    '{"key":{"name":"zz_broken"},"kind":"Setting","value":{"bogus":1}}',
    '{"key":{"name":"same_key_with_a_long_shared_prefix_0"},"kind":"Setting","value":{"value":"b"}}',
    '{"key":{"name":"same_key_with_a_long_shared_prefix_0"},"kind":"Setting","value":{"value":"a"}}',
    '{"key": {"name":"spaced"},"kind":"Setting","value":{"value":"1"}}',
    '{"key":{"name":"gone"},"kind":"Setting","value":{"value":"1"}}',
  ].map((data) => ({ data, ts: at, diff: 1n }))
  odd.push({ data: '{"key":{"name":"gone"},"kind":"Setting","value":{"value":"1"}}', ts: at + 1n, diff: -1n })
  odd.push({ data: '{"key":{"name":"negative"},"kind":"Setting","value":{"value":"1"}}', ts: at + 1n, diff: -1n })
  assert.ok((await store.compareAndAppend(shard, odd, at, at + 2n)).ok)
  const versions = decodeVersions(47n)
  await withTmpdir(async (dir) => {
    let spilled = 0
    for (const collection of COLLECTION_NAMES) {
      const whole = (await traceConsolidated(store, shard, at + 1n, collection, versions)).map(displayEntry)
      const small = await traceDisplayConsolidated(store, shard, at + 1n, collection, versions, { sortMemoryBytes: 1024 })
      const large = await traceDisplayConsolidated(store, shard, at + 1n, collection, versions)
      assert.deepEqual(small.stats, large.stats, collection)
      assert.deepEqual([...small.batches()].flat(), whole, collection)
      assert.deepEqual([...large.batches()].flat(), whole, collection)
      if (whole.length > 10) spilled++
    }
    assert.ok(spilled >= 3, `${spilled} collections spilled`)
    assert.deepEqual(readdirSync(dir), [])
  })
  await store.close()
})
