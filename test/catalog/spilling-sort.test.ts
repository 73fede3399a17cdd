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
import { ConsolidatingSort, type SortRow } from '../../src/catalog/spilling-sort.js'
import { decodeVersions, displayEntry, traceConsolidated } from '../../src/catalog/trace.js'
import { traceDisplayConsolidated } from '../../src/catalog/trace-consolidated.js'
import { CatalogDebugError } from '../../src/errors.js'
import { compareCodePoints } from '../../src/json/lossless-json.js'
import { openStore } from '../../src/store/open-store.js'
import { repoRoot } from '../helpers/fixture-testing.js'
import { makeTempDir } from '../helpers/tmp.js'

const DEMO = join(repoRoot(), 'fixtures', 'demo-v47.ndjson')

/**
 * Rows `K|V|spelling`: equal as decoded when K and V are (several spellings of one row); the
 * prefix is K's first two UTF-8 bytes (as the sort's prefixes, characters 0–255 ordered as bytes),
 * none for K starting with `~` (compared in full).
 */
const parts = (data: string) => data.split('|') as [string, string, string]
const prefixOf = (data: string) => (data.startsWith('~') ? undefined : Buffer.from(parts(data)[0]).subarray(0, 2).toString('latin1'))
function compareRows(a: SortRow, b: SortRow): number {
  const [ka, va] = parts(a.data)
  const [kb, vb] = parts(b.data)
  return compareCodePoints(ka, kb) || compareCodePoints(va, vb)
}

/** What the sort must give: sums per text, zeros dropped, by (prefix, row, sum, text). */
function expected(updates: readonly [string, bigint][]): SortRow[] {
  const sums = new Map<string, bigint>()
  for (const [data, diff] of updates) sums.set(data, (sums.get(data) ?? 0n) + diff)
  return [...sums]
    .filter(([, d]) => d !== 0n)
    .map(([data, diff]) => ({ data, diff, prefix: prefixOf(data) }))
    .sort((a, b) => {
      if (a.prefix !== undefined && b.prefix !== undefined && a.prefix !== b.prefix) return a.prefix < b.prefix ? -1 : 1
      return compareRows(a, b) || (a.diff < b.diff ? -1 : a.diff > b.diff ? 1 : 0) || compareCodePoints(a.data, b.data)
    })
}

/**
 * Updates of every shape the file must carry and the merge must add up: rows inserted and
 * retracted far apart (their sums meet only in the merge), repeated rows, rows left negative,
 * several spellings of one row with different sums, keys without a prefix and with shared
 * prefixes, non-ASCII text, rows longer than a read chunk, extreme diffs.
 */
function updates(n: number): [string, bigint][] {
  const out: [string, bigint][] = []
  let seed = 7
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed
  }
  for (let i = 0; i < n; i++) {
    const r = rnd()
    const key = `${r % 11 === 0 ? '~' : ''}${['a', 'é', '\u{1f600}', 'ab', 'b\u0000'][r % 5]}${(r >> 8) % 400}`
    const long = r % 97 === 0 ? 'x'.repeat(70_000 + (r % 1000)) : ''
    const data = `${key}|${(r >> 4) % 3}${long}|${(r >> 12) % 2}`
    const diff = [1n, -1n, 2n, 1n, -1n][r % 5] as bigint
    out.push([data, diff])
    if (r % 13 === 0) out.push([`big${i}|v|0`, r % 2 === 0 ? 1n << 62n : -(1n << 62n)])
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

function sortAll(
  input: readonly [string, bigint][],
  memoryBytes: number,
): { sort: ConsolidatingSort; counts: { rows: number; additions: number } } {
  const sort = new ConsolidatingSort({ prefixOf, compareRows, memoryBytes })
  for (const [data, diff] of input) sort.add(data, diff)
  return { sort, counts: sort.finish() }
}

test('spilled runs consolidate and merge into exactly the in-memory result, and the file never has a name', () =>
  withTmpdir((dir) => {
    const input = updates(6000)
    const want = expected(input)
    assert.ok(want.some((r) => r.diff < 0n) && want.some((r) => r.diff > 1n))
    for (const memory of [1, 4096, 200_000, 1 << 30]) {
      const { sort, counts } = sortAll(input, memory)
      assert.equal(sort.spilled, memory < 1 << 30, `spilled with ${memory} bytes`)
      assert.deepEqual(readdirSync(dir), [], 'the sort file is unlinked while in use')
      assert.deepEqual(counts, { rows: want.length, additions: want.filter((r) => r.diff > 0n).length })
      assert.deepEqual([...sort.rows()], want, `${memory} bytes`)
    }
    assert.deepEqual(readdirSync(dir), [])
  }))

test('a sort abandoned halfway, or never read, releases its file', () =>
  withTmpdir((dir) => {
    const { sort } = sortAll(updates(500), 4096)
    assert.ok(sort.spilled)
    const it = sort.rows()
    it.next()
    it.return(undefined)
    const unread = sortAll(updates(500), 4096).sort
    unread.close()
    unread.close()
    assert.deepEqual(readdirSync(dir), [])
  }))

test('no temporary directory to spill into is a one-line failure, not a crash', () =>
  withTmpdir((dir) => {
    const file = join(dir, 'not-a-directory')
    writeFileSync(file, '')
    process.env.TMPDIR = file
    assert.throws(
      () => sortAll(updates(10), 1),
      (err) =>
        err instanceof CatalogDebugError && err.category === 'failure' && /cannot create a temporary file to sort in/.test(err.message),
    )
    // Under the budget nothing touches the file system.
    const { sort, counts } = sortAll(updates(10), 1 << 20)
    assert.equal([...sort.rows()].length, counts.rows)
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
  // One row in two spellings with different sums (2 and 1): ordered by sum, then text.
  const twice = '{"key":{"name":"twice"},"kind":"Setting","value":{"value":"1"}}'
  odd.push({ data: twice, ts: at, diff: 1n }, { data: twice, ts: at + 1n, diff: 1n })
  odd.push({ data: '{"value":{"value":"1"},"kind":"Setting","key":{"name":"twice"}}', ts: at + 1n, diff: 1n })
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
