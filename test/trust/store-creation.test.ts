/**
 * Issue 12, items 1 and 7: creating a store is exclusive and all-or-nothing. Racing `init`s,
 * `import`s and `copy --to`s on one new path never remove a store another process acknowledged;
 * `init` of an existing catalog is exit 4 however the processes interleave; a catalog whose
 * creation did not finish reads as incomplete (exit 3) and re-running completes it.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { makeTempDir } from '../helpers/tmp.js'
import { openStore } from '../../src/store/open-store.js'
import { catalogShardDiagnostics, catalogShardIds } from '../../src/catalog/catalog-shards.js'
import { encodeEpochRow } from '../../src/catalog/codec/row-codec.js'
import { rowLookup } from '../../src/catalog/codec/row-lookup.js'
import { cli, initStore, ORG, ORG2 } from './trust-kit.js'

test('racing inits of one organization on a new path: exactly one exits 0, the others 4, the store survives', async () => {
  const tmp = makeTempDir()
  try {
    for (let trial = 0; trial < 3; trial++) {
      const store = tmp.path(`race-${trial}.db`)
      const runs = await Promise.all(Array.from({ length: 4 }, () => cli(['--store', store, '--organization-id', ORG, 'init'])))
      const codes = runs.map((r) => r.code).sort()
      assert.deepEqual(codes, [0, 4, 4, 4], runs.map((r) => r.stderr).join('\n'))
      const epoch = await cli(['--store', store, 'epoch'])
      assert.equal(epoch.code, 0, epoch.stderr)
      const verify = await cli(['--store', store, 'verify'])
      assert.equal(verify.code, 0, verify.stdout + verify.stderr)
    }
    // Nothing but the stores (and the sidecars of the owner's reads) is left: no temporary files.
    assert.deepEqual(
      readdirSync(tmp.dir).filter((n) => !/^race-\d\.db(-wal|-shm)?$/.test(n)),
      [],
    )
  } finally {
    tmp.cleanup()
  }
})

test('racing imports on a new path: the acknowledged store is never removed', async () => {
  const tmp = makeTempDir()
  try {
    const source = tmp.path('source.db')
    await initStore(source)
    const fixture = tmp.path('fixture.ndjson')
    const exported = await cli(['--store', source, 'export', fixture])
    assert.equal(exported.code, 0, exported.stderr)
    for (let trial = 0; trial < 3; trial++) {
      const store = tmp.path(`import-${trial}.db`)
      const runs = await Promise.all(Array.from({ length: 3 }, () => cli(['--store', store, 'import', fixture])))
      const ok = runs.filter((r) => r.code === 0).length
      assert.equal(ok, 1, runs.map((r) => `${r.code} ${r.stderr}`).join('\n'))
      for (const r of runs) assert.ok(r.code === 0 || r.code === 4, `${r.code} ${r.stderr}`)
      assert.equal((await cli(['--store', store, 'verify'])).code, 0)
    }
  } finally {
    tmp.cleanup()
  }
})

test('init of an existing catalog in an existing store is exit 4 and changes nothing', async () => {
  const tmp = makeTempDir()
  try {
    const store = tmp.path('s.db')
    await initStore(store)
    const again = await cli(['--store', store, '--organization-id', ORG, 'init'])
    assert.equal(again.code, 4, again.stderr)
    const epoch = await cli(['--store', store, 'epoch'])
    assert.match(epoch.stdout, /Epoch: 2/)
    // Another organization in the same store is fine.
    assert.equal((await cli(['--store', store, '--organization-id', ORG2, 'init'])).code, 0)
  } finally {
    tmp.cleanup()
  }
})

test('a new store file is created owner-only (0600)', async () => {
  const tmp = makeTempDir()
  try {
    const store = tmp.path('s.db')
    await initStore(store)
    assert.equal(statSync(store).mode & 0o777, 0o600)
  } finally {
    tmp.cleanup()
  }
})

test('a catalog whose creation stopped after the epoch reads as incomplete (exit 3); init completes it', async () => {
  const tmp = makeTempDir()
  try {
    const store = tmp.path('s.db')
    // What a SIGKILL between init's fence and its contents leaves: a shard with an epoch and no contents.
    const s = await openStore(store, { create: true, lookup: rowLookup })
    const shard = catalogShardIds(ORG).catalog
    await s.openShard(shard, catalogShardDiagnostics(ORG))
    await s.compareAndAppend(shard, [], 0n, 1n)
    await s.compareAndAppend(shard, [{ data: encodeEpochRow(2n), ts: 1n, diff: 1n }], 1n, 2n)
    await s.close()
    const epoch = await cli(['--store', store, 'epoch'])
    assert.equal(epoch.code, 3, epoch.stdout + epoch.stderr)
    assert.match(epoch.stderr, /incomplete/)
    const init = await cli(['--store', store, '--organization-id', ORG, 'init'])
    assert.equal(init.code, 0, init.stderr)
    assert.equal((await cli(['--store', store, 'verify'])).code, 0)
  } finally {
    tmp.cleanup()
  }
})

test('a failed copy leaves no --to file behind, and never removes one it did not create', async () => {
  const tmp = makeTempDir()
  try {
    const to = tmp.path('to.db')
    const r = await cli(['copy', '--from', tmp.path('missing.db'), '--to', to])
    assert.equal(r.code, 3, r.stderr)
    assert.equal(existsSync(to), false)
    writeFileSync(tmp.path('keep.db'), '')
    assert.deepEqual(readdirSync(tmp.dir).sort(), ['keep.db'])
  } finally {
    tmp.cleanup()
  }
})
