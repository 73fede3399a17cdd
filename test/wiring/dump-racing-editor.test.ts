/**
 * Issue 12, list 8: `dump --consolidate` while an editor runs used to fail with "snapshot as of N
 * is not available: the shard's since is [N+1]" (every edit moves the since to its upper − 1).
 * Read commands read below the since, down to what compaction merged (`historyReads`), so each
 * dump answers at its own read point. A real editor process edits as fast as it can meanwhile.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fork } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { makeTempDir } from '../helpers/tmp.js'
import { cli, initStore } from '../trust/trust-kit.js'

const EDITOR = join(dirname(fileURLToPath(import.meta.url)), '..', 'helpers', 'child-catalog-editor.js')

test('dump --consolidate succeeds while another process edits the catalog', async (t) => {
  const tmp = makeTempDir()
  try {
    const store = tmp.path('s.db')
    await initStore(store)
    const editor = fork(EDITOR, [store], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
    const done = new Promise<{ edits: number }>((resolve) =>
      editor.on('message', (m) => typeof m === 'object' && resolve(m as { edits: number })),
    )
    await new Promise<void>((resolve, reject) => {
      editor.once('message', () => resolve())
      editor.once('exit', (code) => reject(new Error(`the editor exited (${code})`)))
    })
    try {
      for (let i = 0; i < 4; i++) {
        const r = await cli(['--store', store, 'dump', '--consolidate', '-i', 'audit_log'])
        assert.equal(r.code, 0, `dump ${i}: ${r.stderr}`)
        assert.match(r.stdout, /racing/)
      }
    } finally {
      editor.send('stop')
    }
    const { edits } = await done
    t.diagnostic(`${edits} edits ran during the dumps`)
    assert.ok(edits > 4, `only ${edits} edits ran during the dumps`)
  } finally {
    tmp.cleanup()
  }
})
