/**
 * The multi-process compare-and-append race (`helpers/store-race.ts`) on one SQLite file. The
 * PostgreSQL run is in `store-postgres-concurrency.test.ts`, on that file's server.
 */
import { after } from 'node:test'
import { openRawDatabase } from '../src/store/sqlite/raw-database.js'
import { defineStoreRace } from './helpers/store-race.js'
import { makeTempDir } from './helpers/tmp.js'

const tmp = makeTempDir()
after(() => tmp.cleanup())

defineStoreRace('sqlite file store', () => tmp.path('race.db'), {
  stateLogSeqnos: (path, shard) => {
    const raw = openRawDatabase(path, { readOnly: true })
    try {
      return raw.all('SELECT seqno FROM state_log WHERE shard_id = ? ORDER BY seqno', shard).map((r) => r.seqno as bigint)
    } finally {
      raw.close()
    }
  },
})
