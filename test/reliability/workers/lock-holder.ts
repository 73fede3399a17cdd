/**
 * Another process holding a store's write lock (forked, IPC): `BEGIN IMMEDIATE` on a raw
 * connection, `locked`, then waits for `release`. It stands for any foreign writer, so it uses a raw
 * connection (`openRawDatabase`) rather than the store.
 */
import { openRawDatabase } from '../../../src/store/sqlite/raw-database.js'

const db = openRawDatabase(process.argv[2]!, { mustExist: true })
db.exec('BEGIN IMMEDIATE')
process.send!({ type: 'locked' })
process.once('message', () => {
  db.exec('ROLLBACK')
  db.close()
  process.disconnect()
})
