/**
 * Through the command line: a catalog whose item holds `THIS IS NOT SQL` fails `upgrade-check`
 * (exit 6, the item named) and `verify` (an `item-sql` error), as Materialize would fail to open
 * it; the demo catalog it is made from passes both.
 */
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { spawnCli } from '../helpers/cli-process.js'
import { makeTempDir, type TempDir } from '../helpers/tmp.js'

const DEMO = 'fixtures/demo-v47.ndjson'
/** The demo's secret u1 "pg_password", as stored (a JSON string inside the fixture line). */
const SECRET_SQL = `CREATE SECRET \\"analytics\\".\\"staging\\".\\"pg_password\\" AS '********'`

describe('item SQL checks through the CLI', () => {
  let tmp: TempDir
  let broken: string
  before(() => {
    tmp = makeTempDir('catalog-debug-item-sql-')
    const text = readFileSync(DEMO, 'utf8')
    assert.equal(text.split(SECRET_SQL).length, 2, 'the demo stores the secret once')
    broken = tmp.path('not-sql.ndjson')
    writeFileSync(broken, text.replace(SECRET_SQL, 'THIS IS NOT SQL'))
  })
  after(() => tmp.cleanup())

  it('upgrade-check exits 6 and names the item', async () => {
    const r = await spawnCli(['--store', broken, 'upgrade-check'])
    assert.equal(r.code, 6, r.stderr)
    assert.match(
      r.stdout,
      /would fail:\n {2}- item u1 "pg_password": create_sql is not a CREATE statement: it starts with identifier "this"\n/,
    )
    assert.match(r.stderr, /upgrade check failed: 1 problem/)
  })

  it('verify reports it as an item-sql error', async () => {
    const r = await spawnCli(['--store', broken, 'verify', '-o', 'json'])
    assert.equal(r.code, 1, r.stderr)
    const report = JSON.parse(r.stdout) as { findings: { check: string; severity: string; message: string }[] }
    assert.deepEqual(
      report.findings.map((f) => [f.check, f.severity, f.message]),
      [['item-sql', 'error', 'item u1 "pg_password": create_sql is not a CREATE statement: it starts with identifier "this"']],
    )
  })

  it('the demo catalog itself passes', async () => {
    const r = await spawnCli(['--store', DEMO, 'upgrade-check'])
    assert.equal(r.code, 0, r.stdout + r.stderr)
  })
})
