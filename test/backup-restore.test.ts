import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { backupStore, restoreStore } from '../src/catalog/backup/index.js'
import { catalogShardIds } from '../src/catalog/catalog-shards.js'
import { encodeEpochRow } from '../src/catalog/codec/row-codec.js'
import { rowLookup } from '../src/catalog/codec/row-lookup.js'
import { exportCatalog, linesToText } from '../src/catalog/fixture/index.js'
import { RefusedError, UsageError } from '../src/errors.js'
import { openStore } from '../src/store/open-store.js'
import { openRawDatabase } from '../src/store/sqlite/raw-database.js'
import { settingRow, seedCatalog, TEST_BUILD, TEST_ORG } from './helpers/fixture-testing.js'

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'backup-'))
  try {
    await fn(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const open = (path: string, create = false) => openStore(path, { create, lookup: rowLookup, buildVersion: TEST_BUILD })

async function exportOf(path: string): Promise<string> {
  const store = await openStore(path, { readOnly: true, lookup: rowLookup, buildVersion: TEST_BUILD })
  try {
    return await linesToText(exportCatalog(store, TEST_ORG))
  } finally {
    await store.close()
  }
}

/**
 * An export without what a restore writes on top of the backup (the epoch rows and the upper:
 * see src/catalog/backup/fence-restored.ts), to compare a restored store with its backup.
 */
function withoutFence(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.includes('"kind":"Epoch"'))
    .map((l) => l.replace(/"upper":\d+/, '"upper":_'))
    .join('\n')
}

async function sameButFenced(restored: string, backup: string): Promise<void> {
  assert.equal(withoutFence(await exportOf(restored)), withoutFence(await exportOf(backup)))
}

async function appendSetting(path: string, name: string): Promise<void> {
  const store = await open(path)
  try {
    const shard = (await store.listShards())[0]?.shardId as string
    const upper = (await store.fetchRecentUpper(shard)) as bigint
    const r = await store.compareAndAppend(shard, [{ data: settingRow(name, 'v'), ts: upper, diff: 1n }], upper, upper + 1n)
    assert.ok(r.ok)
  } finally {
    await store.close()
  }
}

test('a backup is a consistent, checked copy; an existing target is refused', async () => {
  await withDir(async (dir) => {
    const db = join(dir, 'catalog.db')
    const store = await open(db, true)
    await seedCatalog(store)
    const backup = join(dir, 'backup.db')
    const result = await backupStore(store, backup)
    assert.equal(result.target, backup)
    assert.ok(result.bytes > 0)
    assert.deepEqual(
      result.shards.map((s) => [s.shardName, s.organizationId, s.upper, s.since]),
      [['catalog', TEST_ORG, 5n, 4n]],
    )
    await assert.rejects(backupStore(store, backup), (err: unknown) => err instanceof RefusedError && err.code === 'target-exists')
    await store.close()
    assert.equal(await exportOf(backup), await exportOf(db))
    // No temporary files are left behind.
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('partial')),
      [],
    )
  })
})

test('in-memory stores back up too; non-file targets are refused', async () => {
  await withDir(async (dir) => {
    const store = await openStore(':memory:', { create: true, lookup: rowLookup, buildVersion: TEST_BUILD })
    await seedCatalog(store)
    const result = await backupStore(store, join(dir, 'mem.db'))
    assert.equal(result.shards[0]?.upper, 5n)
    await assert.rejects(backupStore(store, 'postgres://localhost/x'), UsageError)
    await store.close()
  })
})

test('restore refuses to move an upper backwards, and leaves the store untouched', async () => {
  await withDir(async (dir) => {
    const db = join(dir, 'catalog.db')
    const store = await open(db, true)
    await seedCatalog(store)
    const backup = join(dir, 'backup.db')
    await backupStore(store, backup)
    await store.close()
    await appendSetting(db, 'after-backup')
    const current = await exportOf(db)

    await assert.rejects(restoreStore(backup, db), (err: unknown) => {
      assert.ok(err instanceof RefusedError)
      assert.equal(err.code, 'restore-regresses-upper')
      assert.match(err.message, new RegExp(`catalog s[0-9a-f-]+ \\(organization ${TEST_ORG}\\): upper 6 → 5`))
      return true
    })
    assert.equal(await exportOf(db), current)

    const forced = await restoreStore(backup, db, { force: true })
    assert.equal(forced.forced, true)
    assert.equal(forced.replaced, true)
    assert.deepEqual(
      forced.regressions.map((r) => [r.currentUpper, r.restoredUpper, r.missing]),
      [[6n, 5n, false]],
    )
    // The contents are the backup's; the epoch is above both and the upper past the store's.
    await sameButFenced(db, backup)
    assert.deepEqual(
      forced.epochs.map((e) => [e.storeEpoch, e.backupEpoch, e.epoch]),
      [[2n, 2n, 3n]],
    )
    assert.equal(forced.shards.find((s) => s.shardName === 'catalog')?.upper, 7n)
  })
})

test('restore forward (or to a new file) needs no force', async () => {
  await withDir(async (dir) => {
    const db = join(dir, 'catalog.db')
    const store = await open(db, true)
    await seedCatalog(store)
    await store.close()
    const old = join(dir, 'old.db')
    const s = await open(db)
    await backupStore(s, old)
    await s.close()
    await appendSetting(db, 'newer')
    const newer = join(dir, 'newer.db')
    const s2 = await open(db)
    await backupStore(s2, newer)
    await s2.close()

    // The target is behind the backup: allowed.
    const r = await restoreStore(newer, old)
    assert.deepEqual(r.regressions, [])
    assert.equal(r.forced, false)
    await sameButFenced(old, newer)

    const fresh = join(dir, 'fresh.db')
    const r2 = await restoreStore(newer, fresh)
    assert.equal(r2.replaced, false)
    await sameButFenced(fresh, newer)
    assert.deepEqual(
      r2.epochs.map((e) => [e.storeEpoch, e.backupEpoch, e.epoch]),
      [[null, 2n, 3n]],
    )
  })
})

test('restore refuses a target that drops a shard, and an unreadable target unless forced', async () => {
  await withDir(async (dir) => {
    const a = join(dir, 'a.db')
    const sa = await open(a, true)
    await seedCatalog(sa)
    await sa.close()
    const empty = join(dir, 'empty.db')
    await (await open(empty, true)).close()
    await assert.rejects(restoreStore(empty, a), (err: unknown) => err instanceof RefusedError && /→ absent/.test(err.message))
    // Forced, the dropped catalog is kept as its epoch alone, above the one its writers saw.
    const a2 = join(dir, 'a2.db')
    const sa2 = await open(a)
    await backupStore(sa2, a2)
    await sa2.close()
    const dropped = await restoreStore(empty, a2, { force: true })
    assert.deepEqual(
      dropped.epochs.map((e) => [e.organizationId, e.storeEpoch, e.backupEpoch, e.epoch]),
      [[TEST_ORG, 2n, null, 3n]],
    )
    const check = await openStore(a2, { readOnly: true, lookup: rowLookup, buildVersion: TEST_BUILD })
    try {
      const shard = catalogShardIds(TEST_ORG).catalog
      assert.equal(await check.fetchRecentUpper(shard), 6n, 'past the dropped catalog upper 5')
      assert.deepEqual(
        (await check.snapshot(shard, 5n)).map((u) => u.data),
        [encodeEpochRow(3n)],
      )
    } finally {
      await check.close()
    }

    const garbage = join(dir, 'garbage.db')
    writeFileSync(garbage, 'not a database at all, just text that is long enough to look like a file')
    await assert.rejects(
      restoreStore(a, garbage),
      (err: unknown) => err instanceof RefusedError && err.code === 'restore-target-unreadable',
    )
    const r = await restoreStore(a, garbage, { force: true })
    assert.equal(r.replaced, true)
    await sameButFenced(garbage, a)
    assert.ok(existsSync(garbage))
  })
})

test('restore over a store another connection holds open: its later write lands in the restored store', async () => {
  await withDir(async (dir) => {
    const db = join(dir, 'catalog.db')
    const s = await open(db, true)
    await seedCatalog(s)
    await s.close()
    await appendSetting(db, 'newer')
    const newer = join(dir, 'newer.db')
    const s2 = await open(db)
    await backupStore(s2, newer)
    await s2.close()
    const old = join(dir, 'old.db')
    const s3 = await open(old, true)
    await seedCatalog(s3)
    await s3.close()

    // Another handle keeps the old store open, idle (no transaction), across the restore.
    const holder = await open(old)
    try {
      const shard = (await holder.listShards())[0]?.shardId as string
      assert.equal(await holder.fetchRecentUpper(shard), 5n)
      const r = await restoreStore(newer, old)
      assert.deepEqual(r.regressions, [])
      // The holder sees the restored state and its write goes into the restored store.
      const upper = (await holder.fetchRecentUpper(shard)) as bigint
      assert.equal(upper, 7n, 'the backup (upper 6) carried one past it by the fence')
      const res = await holder.compareAndAppend(shard, [{ data: settingRow('after-restore', 'v'), ts: upper, diff: 1n }], upper, upper + 1n)
      assert.ok(res.ok)
    } finally {
      await holder.close()
    }
    const check = await openStore(old, { readOnly: true, lookup: rowLookup, buildVersion: TEST_BUILD })
    try {
      const shard = (await check.listShards())[0]?.shardId as string
      assert.equal(await check.fetchRecentUpper(shard), 8n)
      assert.deepEqual(await check.integrityCheck(), [])
      const rows = (await check.snapshot(shard, 7n)).map((u) => u.data)
      assert.ok(rows.includes(settingRow('after-restore', 'v')), 'the write after the restore is kept')
      assert.ok(rows.includes(settingRow('newer', 'v')), 'the restored state is there')
    } finally {
      await check.close()
    }
  })
})

test('restore is refused while another connection is in a transaction on the store, and touches nothing', async () => {
  await withDir(async (dir) => {
    const db = join(dir, 'catalog.db')
    const s = await open(db, true)
    await seedCatalog(s)
    const backup = join(dir, 'backup.db')
    await backupStore(s, backup)
    await s.close()
    await appendSetting(db, 'after-backup')
    const current = await exportOf(db)
    const writer = openRawDatabase(db, { mustExist: true })
    try {
      writer.exec('BEGIN IMMEDIATE')
      await assert.rejects(
        restoreStore(backup, db, { force: true }),
        (err: unknown) => err instanceof RefusedError && err.code === 'store-in-use',
      )
      writer.exec('ROLLBACK')
    } finally {
      writer.close()
    }
    assert.equal(await exportOf(db), current)
    const r = await restoreStore(backup, db, { force: true })
    assert.equal(r.forced, true)
    await sameButFenced(db, backup)
  })
})
