/**
 * How `copy` verifies (issue 13): the target's history read back against the digest of what was
 * written, without reading the source again; a full diff when that cannot decide, and a copy whose
 * history differs is never verified, even when its current contents are equal.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, it } from 'node:test'
import { catalogShardIds } from '../../src/catalog/catalog-shards.js'
import { rowLookup } from '../../src/catalog/codec/row-codec.js'
import { copyCatalog, fileLines, importFixture, verifyCopy } from '../../src/catalog/fixture/index.js'
import { openStore } from '../../src/store/open-store.js'
import type { ShardStore } from '../../src/store/shard-store.js'
import { repoRoot } from '../helpers/cli-golden.js'
import { makeTempDir } from '../helpers/tmp.js'

const tmp = makeTempDir()
const DEMO = join(repoRoot(), 'fixtures', 'demo-v47.ndjson')
const ORG = '3f5c8a2e-6b1d-4e7a-9c0f-1d2e3f4a5b6c'
let sourcePath = ''
let n = 0

const open = (path: string, readOnly = false): Promise<ShardStore> =>
  openStore(path, { create: !readOnly, readOnly, lookup: rowLookup, now: () => 0n })

before(async () => {
  sourcePath = tmp.path('source.db')
  const store = await open(sourcePath)
  try {
    await importFixture(store, undefined, fileLines(DEMO))
  } finally {
    await store.close()
  }
})
after(() => tmp.cleanup())

/** A fresh copy of the source's catalog: the target store (open) and what the copy reported. */
async function copied(): Promise<{ source: ShardStore; target: ShardStore; result: Awaited<ReturnType<typeof copyCatalog>> }> {
  const source = await open(sourcePath, true)
  const target = await open(tmp.path(`copy-${n++}.db`))
  return { source, target, result: await copyCatalog(source, target, ORG) }
}

it('a whole copy is verified from the target alone: the source is not read again', async () => {
  const { source, target, result } = await copied()
  try {
    assert.match(result.written ?? '', /^[0-9a-f]{64}$/)
    // Closed, the source would fail any read: the verification does not need it.
    await source.close()
    const check = await verifyCopy(source, target, ORG, result)
    assert.equal(check.equal, true)
    assert.deepEqual(check.diff, { equal: true, collections: [], summary: { added: 0, removed: 0, changed: 0 } })
  } finally {
    await target.close()
  }
})

it('a target whose history differs from what was written is not verified, even with equal contents', async () => {
  const { source, target, result } = await copied()
  try {
    // Another digest: as if the target held other updates than those written.
    const check = await verifyCopy(source, target, ORG, { ...result, written: '0'.repeat(64) })
    assert.equal(check.equal, false)
    assert.equal(check.diff.equal, true)
  } finally {
    await Promise.all([source.close(), target.close()])
  }
})

it('a target changed after the copy is reported with its difference', async () => {
  const { source, target, result } = await copied()
  try {
    const shard = catalogShardIds(ORG).catalog
    const upper = (await target.fetchRecentUpper(shard)) as bigint
    const row = '{"key":{"name":"copy-test"},"kind":"Setting","value":{"value":"x"}}'
    assert.equal((await target.compareAndAppend(shard, [{ data: row, ts: upper, diff: 1n }], upper, upper + 1n)).ok, true)
    const check = await verifyCopy(source, target, ORG, result)
    assert.equal(check.equal, false)
    assert.deepEqual(check.diff.summary, { added: 1, removed: 0, changed: 0 })
  } finally {
    await Promise.all([source.close(), target.close()])
  }
})

it('without a digest (an earlier attempt wrote the copy) the full diff decides', async () => {
  const { source, target, result } = await copied()
  try {
    const { written: _, ...earlier } = result
    const check = await verifyCopy(source, target, ORG, earlier)
    assert.equal(check.equal, true)
  } finally {
    await Promise.all([source.close(), target.close()])
  }
})
