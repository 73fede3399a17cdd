/**
 * The raw floor `dump -o ndjson` is measured against: bare better-sqlite3 writing every update row
 * of the catalog shard to stdout as one NDJSON line with the stored text as it is (no parse, no
 * decode, no re-encoding), in rowid order, in 64 KiB writes. What is left of `dump -o ndjson / raw
 * floor` is what decoding, ordering and rendering cost over moving the bytes.
 *
 * Like `floor-scan.ts` it opens the store file directly, read-only: a floor bypasses the store.
 *
 * Usage: `node build/bench/raw-floor.js STORE SHARD_ID > /dev/null`
 */
import { writeSync } from 'node:fs'
import Database from 'better-sqlite3'

const [location, shardId] = process.argv.slice(2)
if (location === undefined || shardId === undefined) {
  process.stderr.write('usage: raw-floor STORE SHARD_ID\n')
  process.exitCode = 2
} else {
  const db = new Database(location, { readonly: true, fileMustExist: true })
  const rows = db.prepare('SELECT data, ts, diff FROM updates WHERE shard_id = ?').raw().iterate(shardId) as IterableIterator<
    [string, number, number]
  >
  let chunk = ''
  for (const [data, ts, diff] of rows) {
    chunk += `{"data":${data},"ts":${ts},"diff":${diff}}\n`
    if (chunk.length >= 65_536) {
      writeSync(1, chunk)
      chunk = ''
    }
  }
  if (chunk !== '') writeSync(1, chunk)
  db.close()
}
