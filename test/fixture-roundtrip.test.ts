import { parseStoreLocation } from '../src/store/location/index.js'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  exportCatalog,
  FixtureError,
  importFixture,
  linesToText,
  loadFixtureIntoMemory,
  loadFixtureLinesIntoMemory,
  textLines,
  writeLinesToFile,
} from '../src/catalog/fixture/index.js'
import { CATALOG_SEED, shardId } from '../src/store/shard-id.js'
import { RefusedError, NotFoundError } from '../src/errors.js'
import { newMemoryStore, seedCatalog, settingRow, TEST_ORG } from './helpers/fixture-testing.js'

async function exportText(store: Awaited<ReturnType<typeof newMemoryStore>>, org = TEST_ORG, consolidated = false): Promise<string> {
  return linesToText(exportCatalog(store, org, { consolidated }))
}

test('export writes the header, then the updates sorted, with a trailing newline', async () => {
  const store = await newMemoryStore()
  await seedCatalog(store)
  const text = await exportText(store)
  const lines = textLines(text)
  assert.ok(text.endsWith('\n'))
  assert.equal(
    lines[0],
    `{"format":"catalog-debug-fixture","version":1,"organization_id":"${TEST_ORG}","since":4,"upper":5,"catalog_version":47,"consolidated":false}`,
  )
  assert.equal(lines[1], '{"ts":1,"diff":1,"data":{"epoch":2,"kind":"Epoch"}}')
  assert.equal(lines.length, 1 + 46 + 3)
  // The edit at ts 4: the retraction and the insertion, both kept in the history.
  assert.deepEqual(lines.slice(-2), [
    `{"ts":4,"diff":-1,"data":${settingRow('catalog_content_version', '0.90.0')}}`,
    `{"ts":4,"diff":1,"data":${settingRow('catalog_content_version', '0.91.0')}}`,
  ])
  const ts2 = lines.slice(2, 47).map((l) => l.slice(l.indexOf('"data":') + 7))
  assert.deepEqual(ts2, [...ts2].sort())
  await store.close()
})

test('export → import → export is byte-identical (full history and consolidated)', async () => {
  const source = await newMemoryStore()
  await seedCatalog(source)
  for (const consolidated of [false, true]) {
    const first = await exportText(source, TEST_ORG, consolidated)
    const target = await newMemoryStore()
    const result = await importFixture(target, undefined, textLines(first), { name: 'x.ndjson' })
    assert.equal(result.organizationId, TEST_ORG)
    assert.equal(result.shardId, shardId(TEST_ORG, CATALOG_SEED))
    assert.equal(result.upper, 5n)
    assert.equal(result.since, 4n)
    assert.equal(await target.fetchRecentUpper(result.shardId), 5n)
    assert.equal(await target.fetchSince(result.shardId), 4n)
    const second = await exportText(target, TEST_ORG, consolidated)
    assert.equal(second, first)
    await target.close()
  }
  // The consolidated export has the current state at upper − 1 only.
  const consolidated = textLines(await exportText(source, TEST_ORG, true))
  assert.match(consolidated[0] as string, /"consolidated":true/)
  assert.ok(consolidated.slice(1).every((l) => l.startsWith('{"ts":4,"diff":1,')))
  assert.equal(consolidated.length, 1 + 46 + 1)
  await source.close()
})

test('the whole fixture goes in as one compare-and-append', async () => {
  const source = await newMemoryStore()
  await seedCatalog(source)
  const text = await exportText(source)
  const target = await newMemoryStore()
  const shard = shardId(TEST_ORG, CATALOG_SEED)
  await importFixture(target, undefined, textLines(text))
  const state = await target.inspect(shard)
  // Created by openShard, one append, one critical-reader registration, one since downgrade.
  assert.ok(state.seqno <= 5n, `seqno ${state.seqno}`)
  assert.equal(state.upper[0], 5n)
  await source.close()
  await target.close()
})

test('import validates everything first and writes nothing on a bad line', async () => {
  const source = await newMemoryStore()
  await seedCatalog(source)
  const lines = textLines(await exportText(source))
  lines.push('{"ts":4,"diff":1,"data":{"key":{"name":"x"},"kind":"Setting","value":{"value":5}}}')
  const target = await newMemoryStore()
  await assert.rejects(importFixture(target, undefined, lines, { name: 'bad.ndjson' }), (err: unknown) => {
    assert.ok(err instanceof FixtureError)
    assert.equal(err.message, 'bad.ndjson:51: data.value.value: expected a string, got 5')
    return true
  })
  assert.deepEqual(await target.listShards(), [])
  await source.close()
  await target.close()
})

test('import only creates catalogs: one with data is refused, untouched', async () => {
  const store = await newMemoryStore()
  await seedCatalog(store)
  const text = await exportText(store)
  const before = await store.inspect(shardId(TEST_ORG, CATALOG_SEED))
  await assert.rejects(
    importFixture(store, undefined, textLines(text)),
    (err: unknown) => err instanceof RefusedError && err.code === 'catalog-not-empty',
  )
  const after = await store.inspect(shardId(TEST_ORG, CATALOG_SEED))
  assert.equal(after.seqno, before.seqno)
  // Under another organization it is a new catalog, in the same store.
  const other = '00000000-0000-4000-8000-000000000002'
  const res = await importFixture(store, other, textLines(text))
  assert.equal(res.shardId, shardId(other, CATALOG_SEED))
  const again = await exportText(store, other)
  assert.equal(again, text.replace(TEST_ORG, other))
  await store.close()
})

test('export of an absent catalog is not found', async () => {
  const store = await newMemoryStore()
  await assert.rejects(exportText(store), (err: unknown) => err instanceof NotFoundError)
  await store.close()
})

test('a fixture file loads into memory and is recognised as a fixture', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fixture-rt-'))
  try {
    const store = await newMemoryStore()
    await seedCatalog(store)
    const path = join(dir, 'catalog.ndjson')
    const bytes = await writeLinesToFile(path, exportCatalog(store, TEST_ORG))
    const text = readFileSync(path, 'utf8')
    assert.equal(bytes, Buffer.byteLength(text))
    const loaded = await loadFixtureIntoMemory(path)
    assert.equal(loaded.organizationId, TEST_ORG)
    assert.equal(loaded.store.info.location, ':memory:')
    assert.equal(await exportText(loaded.store), text)
    await loaded.store.close()

    const isFixturePath = (p: string): boolean => parseStoreLocation(p, dir).kind === 'fixture'
    assert.equal(isFixturePath(path), true)
    const noExt = join(dir, 'snapshot')
    writeFileSync(noExt, text)
    assert.equal(isFixturePath(noExt), true)
    const notFixture = join(dir, 'store.db')
    writeFileSync(notFixture, 'SQLite format 3\u0000')
    assert.equal(isFixturePath(notFixture), false)
    assert.equal(isFixturePath(join(dir, 'missing.db')), false)
    assert.equal(isFixturePath('postgres://localhost/x'), false)
    assert.equal(isFixturePath(':memory:'), false)

    // Errors from a file name the file.
    writeFileSync(join(dir, 'broken.ndjson'), text.replace('"kind":"Timestamp"', '"kind":"Timestamps"'))
    await assert.rejects(
      loadFixtureIntoMemory(join(dir, 'broken.ndjson')),
      /^FixtureError: broken\.ndjson:\d+: data\.kind: unknown kind "Timestamps"/,
    )
    await store.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('an uninitialised (header-only) fixture round-trips', async () => {
  const header = `{"format":"catalog-debug-fixture","version":1,"organization_id":"${TEST_ORG}","since":0,"upper":0,"catalog_version":null,"consolidated":false}`
  const loaded = await loadFixtureLinesIntoMemory([header])
  assert.equal(await exportText(loaded.store), `${header}\n`)
  await loaded.store.close()
})
