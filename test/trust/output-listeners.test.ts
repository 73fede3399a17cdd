/**
 * Issue 12, item 8: a piped dump of many updates waits for stdout to drain many times; each wait
 * must leave no listener behind (it used to leak a 'close' and an 'error' listener per drain, and
 * Node printed a MaxListenersExceededWarning).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { catalogShardIds } from '../../src/catalog/catalog-shards.js'
import { rowLookup } from '../../src/catalog/codec/row-lookup.js'
import { openStore } from '../../src/store/open-store.js'
import { CLI_BIN } from '../helpers/cli-process.js'
import { makeTempDir } from '../helpers/tmp.js'
import { initStore, ORG } from './trust-kit.js'

test('a piped dump of 20k updates prints no MaxListenersExceededWarning', async () => {
  const tmp = makeTempDir()
  try {
    const path = tmp.path('s.db')
    await initStore(path)
    const store = await openStore(path, { lookup: rowLookup })
    const shard = catalogShardIds(ORG).catalog
    const upper = (await store.fetchRecentUpper(shard)) as bigint
    const rows = Array.from({ length: 20_000 }, (_, i) => ({
      data: `{"key":{"name":"setting_${String(i).padStart(6, '0')}"},"kind":"Setting","value":{"value":"${'x'.repeat(100)}"}}`,
      ts: upper,
      diff: 1n,
    }))
    assert.equal((await store.compareAndAppend(shard, rows, upper, upper + 1n)).ok, true)
    await store.close()
    const child = spawn(process.execPath, [CLI_BIN, '--store', path, 'dump'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    let bytes = 0
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    // A slow reader: stdout fills and drains many times.
    child.stdout.on('data', (d: Buffer) => {
      bytes += d.length
      child.stdout.pause()
      setTimeout(() => child.stdout.resume(), 1)
    })
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)))
    assert.equal(code, 0, stderr)
    assert.ok(bytes > 2_000_000, `${bytes} bytes`)
    assert.doesNotMatch(stderr, /MaxListenersExceededWarning/)
  } finally {
    tmp.cleanup()
  }
})
