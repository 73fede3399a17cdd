/**
 * Issue 12, item 4: `--store` naming something that is not a regular file (a FIFO, a socket, a
 * directory, a symlink loop, /dev/null) is a one-line error at once: nothing opens it for reading
 * (a FIFO would block forever), nothing is created.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, symlinkSync } from 'node:fs'
import { createServer } from 'node:net'
import { makeTempDir } from '../helpers/tmp.js'
import { assertOneLineError, cli } from './trust-kit.js'

test('a FIFO, socket, directory, symlink loop or device as --store is a one-line error', async () => {
  const tmp = makeTempDir()
  const server = createServer()
  try {
    const fifo = tmp.path('fifo.db')
    execFileSync('mkfifo', [fifo])
    const sock = tmp.path('sock.db')
    await new Promise<void>((resolve) => server.listen(sock, resolve))
    mkdirSync(tmp.path('dir.db'))
    symlinkSync(tmp.path('loop-b.db'), tmp.path('loop-a.db'))
    symlinkSync(tmp.path('loop-a.db'), tmp.path('loop-b.db'))
    for (const store of [fifo, sock, tmp.path('dir.db'), tmp.path('loop-a.db'), '/dev/null', tmp.path('fifo.ndjson')]) {
      if (store.endsWith('fifo.ndjson')) execFileSync('mkfifo', [store])
      for (const cmd of [['epoch'], ['dump'], ['init'], ['export'], ['edit', 'config', '{"key":"x"}', '{"value":1}', '--yes']]) {
        const r = await cli(['--store', store, ...cmd])
        assert.ok(r.code === 2 || r.code === 3 || r.code === 4 || r.code === 1, `${store} ${cmd[0]}: ${r.code} ${r.stderr}`)
        assertOneLineError(r, r.code as number, /not a regular file|symbolic links|not a store/)
      }
    }
  } finally {
    server.close()
    tmp.cleanup()
  }
})
