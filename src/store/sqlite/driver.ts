/**
 * The SQLite driver, configured once for the process before its first connection: URI file names
 * are enabled (better-sqlite3 reads `SQLITE_USE_URI` when its native module loads), so that a
 * read-only open can ask for `immutable=1` (see `read-only-files.ts`). Store paths are always
 * absolute, so a file path is never mistaken for a URI.
 */
import Database from 'better-sqlite3'

process.env.SQLITE_USE_URI = '1'

export default Database
