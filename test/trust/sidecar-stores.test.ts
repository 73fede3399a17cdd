/**
 * Issue 12, found by the reliability suite's TARGET matrix: a new store must never be created
 * under the name of another store's SQLite files (`S-wal`, `S-shm`, `S-journal`). SQLite treats
 * those as S's own: S's next open replays, rewrites or deletes them, so a store acknowledged there
 * (exit 0) would be lost. `init`, `import` and `copy --to` refuse (exit 4) and create nothing;
 * `copy` also knows a store by its file, not by how its path is spelled.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { makeTempDir } from '../helpers/tmp.js'
import { assertOneLineError, cli, initStore, ORG2, storeHash } from './trust-kit.js'

test('init, import and copy --to refuse a new store named as another store’s -wal, -shm or -journal', async () => {
  const tmp = makeTempDir()
  try {
    const store = tmp.path('s.db')
    await initStore(store)
    const fixture = tmp.path('s.ndjson')
    assert.equal((await cli(['--store', store, 'export', fixture])).code, 0)
    for (const suffix of ['-wal', '-shm', '-journal']) {
      for (const present of [false, true]) {
        const side = `${store}${suffix}`
        // No process has the store open: its empty -wal/-shm (left by the reads above) may go.
        rmSync(side, { force: true })
        if (present) writeFileSync(side, '')
        const before = storeHash(store)
        const runs = [
          await cli(['--store', side, '--organization-id', ORG2, 'init']),
          await cli(['--store', side, 'import', fixture]),
          await cli(['copy', '--from', store, '--to', side]),
        ]
        for (const r of runs) assertOneLineError(r, 4, /write-ahead log|shared-memory index|rollback journal/)
        assert.equal(storeHash(store), before, `${suffix}: the store changed`)
        assert.equal(existsSync(side), present, `${suffix}: a file was created or removed`)
      }
    }
    // A store whose own name merely ends like a sidecar is refused before it exists, too.
    const lonely = tmp.path('lonely.db-wal')
    assertOneLineError(await cli(['--store', lonely, '--organization-id', ORG2, 'init']), 4, /write-ahead log/)
    assert.equal(existsSync(lonely), false)
  } finally {
    tmp.cleanup()
  }
})

test('copy refuses --from and --to naming one store through a symlink (exit 4), the store unchanged', async () => {
  const tmp = makeTempDir()
  try {
    const store = tmp.path('s.db')
    await initStore(store)
    const link = tmp.path('link.db')
    symlinkSync(store, link)
    const before = storeHash(store)
    assertOneLineError(await cli(['copy', '--from', store, '--to', link]), 4, /same store/)
    assert.equal(storeHash(store), before)
  } finally {
    tmp.cleanup()
  }
})
