/**
 * The SQLite store's quick integrity check (`integrityCheck({ quick: true })`, what `verify` runs
 * unless `--full-integrity`): SQLite's `quick_check` checks every b-tree and record but not that
 * each index holds exactly its table's rows, which the full `integrity_check` does; the per-shard
 * invariants are checked either way.
 */

import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { test } from 'node:test'
import { shardId } from '../../src/store/shard-id.js'
import { openRawDatabase } from '../../src/store/sqlite/raw-database.js'
import { encodeU64 } from '../../src/store/u64.js'
import { SqliteShardStore } from '../../src/store/sqlite/sqlite-shard-store.js'
import { makeTempDir } from '../helpers/tmp.js'

const S = shardId('org', 1)

test('quick and full integrity checks: an index that no longer matches its table is found by the full one only', async () => {
  const dir = makeTempDir('integrity-quick-')
  const path = dir.path('s.db')
  try {
    const store = await SqliteShardStore.open(path, { create: true })
    await store.compareAndAppend(S, [{ data: 'a', ts: 0n, diff: 1n }], 0n, 1n)
    await store.compareAndAppend(S, [{ data: 'b', ts: 1n, diff: 1n }], 1n, 3n)
    assert.deepEqual(await store.integrityCheck({ quick: true }), [])
    assert.deepEqual(await store.integrityCheck(), [])
    await store.close()
    const raw = openRawDatabase(path, { mustExist: true })
    let page: { rootpage: number; size: number }
    try {
      // A shard invariant broken: a row the update count does not know of.
      raw.run("INSERT INTO updates (shard_id, ts, data, diff, seqno) VALUES (?, ?, 'late', 1, 1)", S, encodeU64(1n))
      raw.all('PRAGMA wal_checkpoint(TRUNCATE)')
      const [root] = raw.all("SELECT rootpage FROM sqlite_master WHERE name = 'updates_by_ts'")
      const [size] = raw.all('PRAGMA page_size')
      page = { rootpage: Number(root?.rootpage), size: Number(size?.page_size) }
    } finally {
      raw.close()
    }
    // The index's last entry now names another shard (its order kept, its table row unchanged):
    // the b-tree is sound, but the index no longer holds exactly the table's rows.
    const bytes = readFileSync(path)
    const start = (page.rootpage - 1) * page.size
    const at = bytes.subarray(start, start + page.size).lastIndexOf(Buffer.from(S)) + start + S.length - 1
    bytes[at] = (bytes[at] as number) + 1
    writeFileSync(path, bytes)
    const damaged = await SqliteShardStore.open(path, { readOnly: true })
    try {
      const full = await damaged.integrityCheck()
      assert.ok(full.length > 0 && full.every((p) => !p.startsWith(S)), full.join('\n'))
      assert.deepEqual(await damaged.integrityCheck({ quick: true }), [`${S}: update_count is 2 but 3 update rows are stored`])
    } finally {
      await damaged.close()
    }
  } finally {
    dir.cleanup()
  }
})
