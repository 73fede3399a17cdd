/**
 * Child process for the locked-store test: takes SQLite's write lock on the file named in argv[2]
 * (`BEGIN EXCLUSIVE`), reports `locked`, and holds it until told `release` (or killed).
 */
import { openRawDatabase } from '../../src/store/sqlite/raw-database.js'

const path = process.argv[2]
if (path === undefined || process.send === undefined) throw new Error('usage: fork(child-lock-holder.js, [path]) with IPC')
const db = openRawDatabase(path, { mustExist: true })
db.exec('BEGIN EXCLUSIVE')
process.send('locked')
process.on('message', (msg) => {
  if (msg !== 'release') return
  db.exec('ROLLBACK')
  db.close()
  process.disconnect()
})
