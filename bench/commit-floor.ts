/**
 * The floor of the compare-and-append throughput figures: one process committing one-row
 * transactions as fast as bare better-sqlite3 can, with the store's durability settings (WAL,
 * synchronous=FULL, BEGIN IMMEDIATE, read-then-write). Prints the number of commits.
 *
 * Usage: `node build/bench/commit-floor.js NEW_DB_PATH DURATION_MS`
 */
import Database from 'better-sqlite3'

const [path, durationText] = process.argv.slice(2)
if (path === undefined || durationText === undefined) {
  process.stderr.write('usage: commit-floor NEW_DB_PATH DURATION_MS\n')
  process.exitCode = 2
} else {
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.exec('CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)')
  const upper = db.prepare('SELECT coalesce(max(k), 0) FROM t').pluck()
  const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)')
  const commit = db.transaction((n: number) => {
    const u = upper.get() as number
    insert.run(u + 1, `floor-${n}`)
  }).immediate
  const deadline = performance.now() + Number(durationText)
  let commits = 0
  while (performance.now() < deadline) commit(commits++)
  db.close()
  process.stdout.write(`${commits}\n`)
}
