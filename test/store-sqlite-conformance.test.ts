/**
 * The shard store conformance suite on SQLite: files in a temporary directory (the whole suite)
 * and `:memory:` (a subset; it cannot be reopened).
 */
import { after } from 'node:test'
import { SqliteShardStore } from '../src/store/sqlite/sqlite-shard-store.js'
import type { ShardStore } from '../src/store/shard-store.js'
import { defineStoreConformance } from './helpers/store-conformance.js'
import { makeTempDir } from './helpers/tmp.js'

const tmp = makeTempDir()
after(() => tmp.cleanup())
let n = 0

defineStoreConformance('sqlite file store', async (opts) => {
  const path = tmp.path(`conf-${n++}.db`)
  const handles: ShardStore[] = []
  const open = async (o: typeof opts, create: boolean) => {
    const s = await SqliteShardStore.open(path, { ...opts, ...o, create })
    handles.push(s)
    return s
  }
  const store = await open(opts, true)
  return {
    store,
    reopen: (o) => open({ ...opts, ...o }, false),
    cleanup: async () => {
      for (const h of handles) await h.close()
    },
  }
})

defineStoreConformance(
  'sqlite in-memory store',
  async (opts) => {
    const store = await SqliteShardStore.open(':memory:', opts)
    return { store, cleanup: () => store.close() }
  },
  [
    'compare-and-append',
    'closed handles',
    'snapshots',
    'lookup filters and counts',
    'stream order and batches',
    'listen',
    'critical since handles',
    'compaction',
    'u64 and i64 values',
  ],
)
