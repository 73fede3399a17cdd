/**
 * Issue 12, item 5: several OS users. A read by a user who is not the store's owner creates no
 * file (it used to leave `-wal`/`-shm` files the owner could not write, after which every write by
 * the owner failed), works in a directory the reader cannot write (it used to be exit 4), and the
 * owner's next write succeeds. Runs only as root (it creates a user with `useradd` and runs the
 * command line as that user with `runuser`); skipped otherwise.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { chmodSync, chownSync, readdirSync } from 'node:fs'
import { makeTempDir } from '../helpers/tmp.js'
import { asReader, cli, initStore, READER, readerUid } from './trust-kit.js'

const isRoot = process.getuid?.() === 0

const EDIT = ['edit', 'setting', '{"name":"greeting"}', '{"value":"hi"}', '--yes']

test('another user reads the store (directory writable or not): no file created; the owner then writes', {
  skip: !isRoot && 'needs root',
}, async () => {
  readerUid()
  for (const dirMode of [0o755, 0o1777]) {
    const tmp = makeTempDir()
    try {
      chmodSync(tmp.dir, dirMode)
      const store = tmp.path('s.db')
      await initStore(store)
      // The owner shares the store read-only on purpose (new stores are 0600).
      chmodSync(store, 0o644)
      const before = readdirSync(tmp.dir).sort()
      for (const cmd of [['epoch'], ['dump', '-i', 'audit_log'], ['verify'], ['inspect']]) {
        const r = asReader(['--store', store, ...cmd])
        assert.equal(r.code, 0, `${cmd[0]} as ${READER} (dir ${dirMode.toString(8)}): ${r.stderr}`)
      }
      assert.deepEqual(readdirSync(tmp.dir).sort(), before, 'the reader created files')
      const w = await cli(['--store', store, ...EDIT])
      assert.equal(w.code, 0, w.stderr)
    } finally {
      tmp.cleanup()
    }
  }
})

test("root reading another user's store leaves nothing the owner cannot write", { skip: !isRoot && 'needs root' }, async () => {
  const uid = readerUid()
  const tmp = makeTempDir()
  try {
    chmodSync(tmp.dir, 0o1777)
    const store = tmp.path('s.db')
    chownSync(tmp.dir, uid, -1)
    const init = asReader(['--store', store, '--organization-id', '00000000-0000-4000-8000-000000000001', 'init'])
    assert.equal(init.code, 0, init.stderr)
    const read = await cli(['--store', store, 'epoch'])
    assert.equal(read.code, 0, read.stderr)
    const w = asReader(['--store', store, ...EDIT])
    assert.equal(w.code, 0, w.stderr)
  } finally {
    tmp.cleanup()
  }
})
