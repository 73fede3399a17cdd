/**
 * The floor every dump figure is measured against: a bare better-sqlite3 loop that reads every
 * update row of the catalog shard and JSON.parse + JSON.stringify's each one. Nothing catalog-debug
 * adds (argument parsing, the store layer, decoding against the schemas, rendering) is in it, so
 * `dump / floor` is what the tool costs over touching every byte once.
 *
 * This is the one place outside `src/store/sqlite/` that opens a store file directly: the point of
 * a floor is to bypass the store. Read-only; prints `rows bytes` on stdout.
 *
 * Usage: `node build/bench/floor-scan.js STORE SHARD_ID`
 */
import Database from 'better-sqlite3'

const [location, shardId] = process.argv.slice(2)
if (location === undefined || shardId === undefined) {
  process.stderr.write('usage: floor-scan STORE SHARD_ID\n')
  process.exitCode = 2
} else {
  const db = new Database(location, { readonly: true, fileMustExist: true })
  let rows = 0
  let bytes = 0
  for (const r of db.prepare('SELECT data, ts, diff FROM updates WHERE shard_id = ?').iterate(shardId) as IterableIterator<{
    data: string
    ts: number
    diff: number
  }>) {
    bytes += JSON.stringify({ data: JSON.parse(r.data) as unknown, ts: r.ts, diff: r.diff }).length
    rows++
  }
  db.close()
  process.stdout.write(`${rows} ${bytes}\n`)
}
