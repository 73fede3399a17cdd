/**
 * Write records: every write command records who, where, which tool, the command line (secrets
 * redacted) and `--reason`, beside the shard and never in the catalog's rows; `log` lists them and
 * `history` shows them per version. Real processes, SQLite and PostgreSQL; and a store from before
 * records existed.
 */
import assert from 'node:assert/strict'
import { hostname } from 'node:os'
import { dirname, join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { redactCommandLine } from '../../src/cli/write-record.js'
import { parseJson } from '../../src/json/lossless-json.js'
import { describePostgres } from '../helpers/postgres-server.js'
import { DEMO_FIXTURE, cliOn, importDemo, okOn } from '../helpers/operator-cli.js'
import { makeTempDir, sha256File } from '../helpers/tmp.js'

const GREETING = '{"name":"greeting"}'
const V46_FIXTURE = join(dirname(DEMO_FIXTURE), 'demo-v46.ndjson')

interface LogEntry {
  command: string
  reason: string | null
  user: string
  host: string
  tool_version: string
  command_line: string
  from_upper: bigint
  to_upper: bigint
}

async function log(store: string): Promise<LogEntry[]> {
  return parseJson(await okOn(store, ['log', '-o', 'json'])) as unknown as LogEntry[]
}

/** The newest write is `command` with `reason`, made here by this tool. */
async function assertNewest(store: string, command: string, reason: string | null): Promise<LogEntry> {
  const [newest] = await log(store)
  assert.ok(newest !== undefined, `no write records after ${command}`)
  assert.equal(newest.command, command)
  assert.equal(newest.reason, reason)
  assert.equal(newest.host, hostname())
  assert.match(newest.tool_version, /^v\d+\.\d+\.\d+/)
  assert.ok(newest.user.length > 0)
  assert.match(newest.command_line, new RegExp(`^catalog-debug .*\\b${command}\\b`))
  return newest
}

function writeCommands(store: () => string, copyTarget: () => string): void {
  it('import, edit, delete, upgrade and copy each record, newest first; history shows them per version', async () => {
    await okOn(store(), ['import', V46_FIXTURE, '--reason', 'seed'])
    await assertNewest(store(), 'import', 'seed')
    await okOn(store(), ['upgrade', '--yes', '--reason', 'to v47'])
    await assertNewest(store(), 'upgrade', 'to v47')
    await okOn(store(), ['edit', 'setting', GREETING, '{"value":"hello"}', '--yes', '--reason', 'INC-1 say hi'])
    const edit = await assertNewest(store(), 'edit', 'INC-1 say hi')
    assert.equal(edit.to_upper - edit.from_upper, 1n)
    await okOn(store(), ['delete', 'setting', GREETING, '--yes'])
    await assertNewest(store(), 'delete', null)
    // A dry run and a refused write record nothing.
    await okOn(store(), ['edit', 'setting', GREETING, '{"value":"x"}', '--dry-run', '--reason', 'no'])
    assert.equal((await cliOn(store(), ['edit', 'setting', GREETING, '{"value":"x"}', '--reason', 'no'])).code, 4)
    const all = await log(store())
    assert.deepEqual(
      all.map((e) => e.command),
      ['delete', 'edit', 'upgrade', 'import'],
    )
    assert.equal((await okOn(store(), ['log', '-n', '1'])).trim().split('\n').length, 1)
    assert.equal((await okOn(store(), ['log', '--since', '2000-01-01'])).trim().split('\n').length, 4)
    const history = parseJson(await okOn(store(), ['history', 'setting', GREETING, '-o', 'json'])) as unknown as {
      written_by: { reason: string; command: string }
      retracted_by: { command: string }
    }[]
    assert.equal(history[0]?.written_by.reason, 'INC-1 say hi')
    assert.equal(history[0]?.retracted_by.command, 'delete')
    assert.match(await okOn(store(), ['history', 'setting', GREETING]), /INC-1 say hi/)

    await okOn(store(), ['copy', '--from', store(), '--to', copyTarget(), '--reason', 'move'])
    await assertNewest(copyTarget(), 'copy', 'move')
  })

  it('the catalog rows never hold a record: export is the same with and without --reason', async () => {
    const lines = (await okOn(store(), ['export'])).split('\n')
    assert.ok(!lines.some((l) => l.includes('INC-1') || l.includes('seed')))
  })
}

describe('write records on SQLite stores', () => {
  const tmp = makeTempDir('catalog-debug-records-')
  after(() => tmp.cleanup())
  writeCommands(
    () => tmp.path('main.db'),
    () => tmp.path('copy.db'),
  )

  it('init records; restore records after putting the backup back', async () => {
    const store = tmp.path('init.db')
    await okOn(store, ['init', '--organization-id', '00000000-0000-4000-8000-0000000000aa', '--reason', 'new env'])
    await assertNewest(store, 'init', 'new env')
    await okOn(store, ['backup', tmp.path('init.bak')])
    await okOn(store, ['edit', 'setting', GREETING, '{"value":"later"}', '--yes'])
    await okOn(store, ['restore', tmp.path('init.bak'), '--yes', '--force', '--reason', 'roll back'])
    await assertNewest(store, 'restore', 'roll back')
  })

  it('with --reason or without, the same edit leaves the same catalog', async () => {
    const a = tmp.path('a.db')
    const b = tmp.path('b.db')
    for (const s of [a, b]) await importDemo(s)
    await okOn(a, ['edit', 'setting', GREETING, '{"value":"hello"}', '--yes', '--reason', 'because'])
    await okOn(b, ['edit', 'setting', GREETING, '{"value":"hello"}', '--yes'])
    assert.equal(await okOn(a, ['export']), await okOn(b, ['export']))
  })

  it('a store from before write records: reads show none and change nothing; the first write adds them', async () => {
    const store = tmp.path('old.db')
    await importDemo(store)
    const db = new Database(store)
    db.exec('DROP TABLE write_records')
    db.close()
    const hash = sha256File(store)
    assert.equal(await okOn(store, ['log']), '')
    assert.match(await okOn(store, ['history', 'config', '{"key":"user_version"}']), /written_by/)
    assert.equal(sha256File(store), hash)
    await okOn(store, ['edit', 'setting', GREETING, '{"value":"hello"}', '--yes', '--reason', 'first'])
    assert.deepEqual(
      (await log(store)).map((e) => e.reason),
      ['first'],
    )
  })

  it('the recorded command line hides passwords', () => {
    assert.equal(
      redactCommandLine(['--store', 'postgres://ops:s3cret@db:5432/cat?sslmode=require&password=other', 'edit']),
      "catalog-debug --store 'postgres://ops:***@db:5432/cat?sslmode=require&password=***' edit",
    )
    assert.equal(redactCommandLine(['--store=postgresql://u:p@h/d']), "catalog-debug '--store=postgresql://u:***@h/d'")
  })
})

describePostgres('write records on PostgreSQL stores', (server) => {
  const urls: string[] = []
  before(() => {
    urls.push(server().createDatabase('records'), server().createDatabase('recordscopy'))
  })
  writeCommands(
    () => urls[0] as string,
    () => urls[1] as string,
  )

  it('a store from before write records: reads show none and change nothing; the first write adds them', async () => {
    const url = server().createDatabase('oldrecords')
    await importDemo(url)
    const db = decodeURIComponent(new URL(url).pathname.slice(1))
    server().psql('DROP TABLE catalog_debug.write_records', db)
    assert.equal(await okOn(url, ['log']), '')
    assert.equal(server().psql("SELECT count(*) FROM pg_tables WHERE tablename = 'write_records'", db).trim(), '0')
    await okOn(url, ['edit', 'setting', GREETING, '{"value":"hello"}', '--yes', '--reason', 'first'])
    assert.deepEqual(
      (await log(url)).map((e) => e.reason),
      ['first'],
    )
  })

  it('records the PostgreSQL URL without its password', async () => {
    const [newest] = await log(urls[0] as string)
    assert.ok(newest !== undefined)
    assert.ok(!newest.command_line.includes('catalog-debug-test-password'), newest.command_line)
    assert.match(newest.command_line, /:\*\*\*@/)
  })
})
