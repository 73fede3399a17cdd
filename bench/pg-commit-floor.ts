/**
 * The floor of the PostgreSQL compare-and-append figures: one process doing a standalone
 * single-row compare-and-set with the same client library (node-postgres) and isolation as the
 * store, in five statements per commit: `BEGIN ISOLATION LEVEL SERIALIZABLE`, read the register's
 * upper `FOR UPDATE`, check it, move it, insert the appended row, `COMMIT`. No shard bookkeeping
 * (no seqno, state log, writer record or leases). Prints the number of commits.
 *
 * Usage: `node build/bench/pg-commit-floor.js URL DURATION_MS` (URL: an empty database).
 */
import pg from 'pg'

const [url, durationText] = process.argv.slice(2)
if (url === undefined || durationText === undefined) {
  process.stderr.write('usage: pg-commit-floor URL DURATION_MS\n')
  process.exitCode = 2
} else {
  const client = new pg.Client({ connectionString: url, application_name: 'catalog-debug-floor' })
  await client.connect()
  await client.query('CREATE TABLE floor_register (id INT PRIMARY KEY, upper BIGINT NOT NULL)')
  await client.query('CREATE TABLE floor_rows (k BIGINT PRIMARY KEY, v TEXT NOT NULL)')
  await client.query('INSERT INTO floor_register VALUES (1, 0)')
  const deadline = performance.now() + Number(durationText)
  let commits = 0
  let upper = 0n
  while (performance.now() < deadline) {
    await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE')
    const current = BigInt(
      (await client.query<{ upper: string }>('SELECT upper FROM floor_register WHERE id = $1 FOR UPDATE', [1])).rows[0]!.upper,
    )
    if (current !== upper) throw new Error(`floor register moved: ${current}, expected ${upper}`)
    await client.query('UPDATE floor_register SET upper = $1 WHERE id = $2', [String(upper + 1n), 1])
    await client.query('INSERT INTO floor_rows (k, v) VALUES ($1, $2)', [String(upper), `floor-${commits}`])
    await client.query('COMMIT')
    upper += 1n
    commits++
  }
  await client.end()
  process.stdout.write(`${commits}\n`)
}
