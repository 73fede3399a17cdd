/**
 * The shipped fixtures as regression tests: they are up to date with the generator, every demo
 * upgrades to exactly its golden, every fixture verifies clean and round-trips byte for byte, and
 * a catalog diffed against its own export is empty.
 *
 * After an intended change: `npx tsc -p tsconfig.test.json && node build/scripts/make-fixtures.js`,
 * then review the fixture diff like code.
 */

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { contentsFromFixture, contentsFromStore, diffCatalogs, diffToJsonPatch } from '../src/catalog/diff/index.js'
import { exportCatalog, importFixture, linesToText, loadFixtureIntoMemory, readFixture, textLines } from '../src/catalog/fixture/index.js'
import { verifyStore } from '../src/catalog/verify/index.js'
import { DEMO_VERSIONS, generateFixtures, staleFixtures, upgradedText } from '../scripts/make-fixtures.js'
import { newMemoryStore, repoRoot } from './helpers/fixture-testing.js'
import { COLLECTION_NAMES } from '../src/catalog/kinds/collections.js'

const ROOT = repoRoot()
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8')
const SHIPPED = ['fixtures/fresh-v47.ndjson', ...DEMO_VERSIONS.map((v) => `fixtures/demo-v${v}.ndjson`)]
const GOLDEN = DEMO_VERSIONS.map((v) => `fixtures/golden/upgrade/demo-v${v}-upgraded.ndjson`)

test('the committed fixtures are what the generator produces', async () => {
  const files = await generateFixtures()
  assert.deepEqual([...files.keys()].sort(), [...SHIPPED, ...GOLDEN].sort())
  assert.deepEqual(
    staleFixtures(ROOT, files),
    [],
    'fixtures are out of date: run `node build/scripts/make-fixtures.js` and review the diff',
  )
})

for (const version of DEMO_VERSIONS) {
  test(`demo-v${version} upgrades to catalog version 47 and equals its golden`, async () => {
    const fixture = read(`fixtures/demo-v${version}.ndjson`)
    const upgraded = await upgradedText(fixture, `demo-v${version}.ndjson`)
    assert.equal(upgraded, read(`fixtures/golden/upgrade/demo-v${version}-upgraded.ndjson`))
    const { header } = await readFixture(textLines(upgraded))
    assert.equal(header.catalogVersion, 47n)
  })
}

test('an upgraded demo holds what demo-v47 holds, but for the audit events older versions wrote', async () => {
  const reference = await contentsFromFixture(textLines(read('fixtures/golden/upgrade/demo-v47-upgraded.ndjson')))
  for (const version of DEMO_VERSIONS) {
    const upgraded = await contentsFromFixture(textLines(read(`fixtures/golden/upgrade/demo-v${version}-upgraded.ndjson`)))
    const d = diffCatalogs(upgraded, reference, { includeEpoch: true })
    if (version >= 46) {
      assert.equal(d.equal, true, `v${version}: ${JSON.stringify(d.summary)}`)
      continue
    }
    // CreateSourceSinkV2 events stay as written; only V3 existed from v46 on.
    assert.deepEqual(
      d.collections.map((c) => c.collection),
      ['audit_log'],
      `v${version}`,
    )
    const audit = d.collections[0]
    assert.ok(audit !== undefined)
    assert.equal(audit.removed.length, audit.added.length)
    assert.ok(audit.removed.every((k) => k.keyText.includes('CreateSourceSinkV2')))
    assert.ok(audit.added.every((k) => k.keyText.includes('CreateSourceSinkV3')))
  }
})

test('every shipped fixture verifies clean', async () => {
  for (const path of [...SHIPPED, ...GOLDEN]) {
    const loaded = await loadFixtureIntoMemory(join(ROOT, path))
    try {
      const report = await verifyStore(loaded.store, loaded.organizationId)
      assert.deepEqual(report.findings, [], path)
    } finally {
      await loaded.store.close()
    }
  }
})

test('every shipped fixture round-trips export → import → export byte for byte', async () => {
  for (const path of [...SHIPPED, ...GOLDEN]) {
    const text = read(path)
    const store = await newMemoryStore()
    try {
      const { organizationId } = await importFixture(store, undefined, textLines(text), { name: path })
      assert.equal(await linesToText(exportCatalog(store, organizationId)), text, path)
    } finally {
      await store.close()
    }
  }
})

test('a catalog diffed against its own export is empty', async () => {
  for (const path of SHIPPED) {
    const loaded = await loadFixtureIntoMemory(join(ROOT, path))
    try {
      const exported = await linesToText(exportCatalog(loaded.store, loaded.organizationId, { consolidated: true }))
      const d = diffCatalogs(await contentsFromStore(loaded.store, loaded.organizationId), await contentsFromFixture(textLines(exported)), {
        includeEpoch: true,
      })
      assert.equal(d.equal, true, path)
      assert.deepEqual(diffToJsonPatch(d), [])
    } finally {
      await loaded.store.close()
    }
  }
})

test('the demo is realistic: every collection is populated', async () => {
  const contents = await contentsFromFixture(textLines(read('fixtures/demo-v47.ndjson')))
  const populated = [...contents.collections.entries()].filter(([, keys]) => keys.size > 0).map(([name]) => name)
  for (const c of COLLECTION_NAMES) {
    assert.ok(populated.includes(c), `${c} is empty in the demo`)
  }
  // The history has retractions (edits, a rename, a drop, epoch bumps).
  const { updates } = await readFixture(textLines(read('fixtures/demo-v47.ndjson')))
  assert.ok(updates.filter((u) => u.diff < 0n).length >= 5)
})
