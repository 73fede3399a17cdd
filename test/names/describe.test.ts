/**
 * `describe` and `find` through real processes on the demo catalog (fixtures/demo-v47.ndjson, built by
 * scripts/fixtures/demo-catalog.ts) used as `--store`, and on a PostgreSQL store it was imported into.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { parseJson } from '../../src/json/lossless-json.js'
import { repoRoot } from '../helpers/cli-golden.js'
import { spawnCli, type ProcessResult } from '../helpers/cli-process.js'
import { describePostgres } from '../helpers/postgres-server.js'

const DEMO = join(repoRoot(), 'fixtures', 'demo-v47.ndjson')

// biome-ignore lint/suspicious/noExplicitAny: a parsed JSON document, walked by field names the assertions check
type Doc = { [k: string]: any }

function json(r: ProcessResult): Doc {
  assert.equal(r.code, 0, r.stderr)
  return parseJson(r.stdout) as Doc
}

const demo = (...args: string[]) => spawnCli(['--store', DEMO, ...args])

/** The checks every store must pass: the same demo objects, whatever holds them. */
async function checkClusterServing(run: (...args: string[]) => Promise<ProcessResult>): Promise<Doc> {
  const d = json(await run('describe', 'cluster', 'serving', '-o', 'json'))
  assert.equal(d.id, 'u3')
  assert.deepEqual(d.owner, { id: 'u1', name: 'ada@acme.com' })
  assert.deepEqual(
    d.replicas.map((r: Doc) => [r.name, r.size, r.availability_zone]),
    [
      ['r1', '50cc', 'use1-az1'],
      ['r2', '50cc', 'use1-az2'],
    ],
  )
  assert.equal(d.config.replication_factor, 2n)
  assert.deepEqual(
    d.contents.map((c: Doc) => c.name),
    ['analytics.marts.daily_revenue', 'analytics.marts.daily_revenue_day_idx'],
  )
  const analysts = d.privileges.find((p: Doc) => p.grantee.name === 'analysts')
  assert.deepEqual([analysts.privileges, analysts.acl, analysts.acl_mode], [['USAGE'], 'analysts=U/ada@acme.com', 256n])
  assert.deepEqual(d.comments, [{ column: null, comment: 'Serves the revenue dashboards; two replicas across zones' }])
  return d
}

describe('describe on the demo fixture', () => {
  test('a cluster: owner by name, replicas and sizes, its items, privileges, comment', async () => {
    await checkClusterServing(demo)
  })

  test('the text form answers "who owns cluster serving, and what are its replicas?"', async () => {
    const r = await demo('describe', 'cluster', 'u3')
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /^Owner: +ada@acme\.com \(u1\)$/m)
    assert.match(r.stdout, /^r1 +u3 +50cc +use1-az1 /m)
    assert.match(r.stdout, /^r2 +u4 +50cc +use1-az2 /m)
    assert.match(r.stdout, /^analysts \(u4\) +ada@acme\.com \(u1\) +USAGE +analysts=U\/ada@acme\.com$/m)
  })

  test('an item: container, cluster, references (resolved or builtin) and dependents', async () => {
    const d = json(await demo('describe', 'mv', 'marts.daily_revenue', '-o', 'json'))
    assert.equal(d.full_name, 'analytics.marts.daily_revenue')
    assert.equal(d.item_type, 'MaterializedView')
    assert.deepEqual([d.database.name, d.schema.name, d.cluster.name], ['analytics', 'analytics.marts', 'serving'])
    const refs = Object.fromEntries(d.references.map((r: Doc) => [r.id, [r.name, r.in_catalog]]))
    assert.deepEqual(refs.u5, ['analytics.staging.orders_raw', true])
    assert.deepEqual(refs.s34, ['pg_catalog.timestamptz', false])
    assert.deepEqual(
      d.dependents.map((x: Doc) => [x.id, x.item_type]),
      [
        ['u9', 'Index'],
        ['u10', 'Sink'],
      ],
    )
  })

  test('a table: column comments and a grant by its owner', async () => {
    const d = json(await demo('describe', 'table', 'customers', '-o', 'json'))
    assert.deepEqual(d.owner, { id: 'u2', name: 'grace@acme.com' })
    assert.deepEqual(
      d.comments.map((c: Doc) => [c.column, c.comment]),
      [
        [null, 'Customers mirrored nightly from the shop database'],
        [1n, 'shop customer id'],
      ],
    )
    const analysts = d.privileges.find((p: Doc) => p.grantee.name === 'analysts')
    assert.deepEqual([analysts.grantor.name, analysts.privileges], ['grace@acme.com', ['SELECT']])
  })

  test('roles: members and memberships both ways, comments, what a role owns', async () => {
    const analysts = json(await demo('describe', 'role', 'analysts', '-o', 'json'))
    assert.deepEqual(
      analysts.members.map((m: Doc) => [m.role.name, m.grantor.name]),
      [['grace@acme.com', 'ada@acme.com']],
    )
    const loader = json(await demo('describe', 'role', 'svc_loader', '-o', 'ndjson'))
    assert.deepEqual(
      loader.member_of.map((m: Doc) => m.role.name),
      ['mz_monitor'],
    )
    assert.equal(loader.comments[0].comment, 'Service account of the nightly loader')
    const ada = json(await demo('describe', 'role', 'ada@acme.com', '-o', 'json'))
    assert.ok(ada.owns.some((o: Doc) => o.kind === 'cluster' && o.name === 'serving'))
    assert.deepEqual(ada.system_privileges[0].privileges, ['CREATEROLE', 'CREATEDB', 'CREATECLUSTER'])
  })

  test('names follow renames and drops: the view is customer_totals now, scratch is gone', async () => {
    assert.equal(json(await demo('describe', 'view', 'customer_totals', '-o', 'json')).id, 'u7')
    const old = await demo('describe', 'view', 'order_totals')
    assert.equal(old.code, 3, old.stderr)
    const dropped = await demo('describe', 'table', 'materialize.public.scratch')
    assert.equal(dropped.code, 3, dropped.stderr)
  })

  test('--as-of reads the names as they were: before the rename (ts 37) and the drop (ts 38)', async () => {
    assert.equal(json(await demo('describe', 'view', 'order_totals', '--as-of', '30', '-o', 'json')).id, 'u7')
    const found = json(await demo('find', 'scratch', '--as-of', '36', '-o', 'json'))
    assert.deepEqual(
      found.map((o: Doc) => o.name),
      ['materialize.public.scratch'],
    )
  })

  test('ambiguous names exit 2 listing every match; unknown names exit 3 with suggestions; stdout stays empty', async () => {
    const ambiguous = await demo('describe', 'schema', 'public')
    assert.equal(ambiguous.code, 2)
    assert.equal(ambiguous.stdout, '')
    assert.match(ambiguous.stderr, /materialize\.public \(u3\), analytics\.public \(u7\), ops\.public \(u10\)/)
    const missing = await demo('describe', 'cluster', 'servin')
    assert.equal(missing.code, 3)
    assert.match(missing.stderr, /no cluster named "servin"\nhint: did you mean serving\?/)
    const kind = await demo('describe', 'clustr', 'serving')
    assert.equal(kind.code, 2)
    assert.match(kind.stderr, /unknown kind "clustr".*\nhint: did you mean cluster\?/)
  })
})

describe('find on the demo fixture', () => {
  test('substring of names and ids across kinds; NDJSON is one object per line; nothing found exits 3', async () => {
    const r = await demo('find', 'REVENUE', '-o', 'ndjson')
    assert.equal(r.code, 0, r.stderr)
    const lines = r.stdout.trimEnd().split('\n')
    assert.deepEqual(
      lines.map((l) => (parseJson(l) as Doc).name),
      ['analytics.marts.daily_revenue', 'analytics.marts.daily_revenue_day_idx', 'analytics.marts.revenue_sink'],
    )
    const byId = json(await demo('find', 'u3', '-k', 'cluster', '-k', 'role', '-o', 'json'))
    assert.deepEqual(
      byId.map((o: Doc) => [o.kind, o.name]),
      [
        ['cluster', 'serving'],
        ['role', 'svc_loader'],
      ],
    )
    const none = await demo('find', 'no-such-thing')
    assert.equal(none.code, 3)
    assert.equal(none.stdout, '')
  })
})

describePostgres('describe, find and graph on a PostgreSQL store', (server) => {
  test('the demo catalog imported into PostgreSQL describes and draws as the fixture does', async () => {
    const url = server().createDatabase()
    const imported = await spawnCli(['--store', url, 'import', DEMO])
    assert.equal(imported.code, 0, imported.stderr)
    const pg = (...args: string[]) => spawnCli(['--store', url, ...args])
    const fromPg = await checkClusterServing(pg)
    assert.deepEqual(fromPg, json(await demo('describe', 'cluster', 'serving', '-o', 'json')))
    const graph = await pg('graph', '--root', 'cluster:serving', '--depth', '1', '--no-roles', '-o', 'json')
    assert.equal(graph.code, 0, graph.stderr)
    assert.deepEqual((parseJson(graph.stdout) as Doc).nodes.map((n: Doc) => n.key).sort(), [
      'cluster:u3',
      'database:u2',
      'item:u8',
      'item:u9',
      'replica:u3',
      'replica:u4',
      'schema:u9',
    ])
    const found = await pg('find', 'orders_raw', '-o', 'json')
    assert.deepEqual(
      json(found).map((o: Doc) => o.id),
      ['u4', 'u5'],
    )
  })
})
