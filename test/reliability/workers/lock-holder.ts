/**
 * Another process holding a store's write lock (forked, IPC): `BEGIN IMMEDIATE` on a raw
 * connection, `locked`, then waits for `release`. It stands for any foreign writer, so it uses
 * better-sqlite3 directly rather than the store.
 */
import Database from 'better-sqlite3'

const db = new Database(process.argv[2]!, { fileMustExist: true })
db.exec('BEGIN IMMEDIATE')
process.send!({ type: 'locked' })
process.once('message', () => {
  db.exec('ROLLBACK')
  db.close()
  process.disconnect()
})
