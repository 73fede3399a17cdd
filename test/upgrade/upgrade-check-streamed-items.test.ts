/**
 * `upgrade-check` reads the items from the store key by key instead of holding them in the
 * savepoint; its report must be the one loading them gave, error for error and in order: the
 * items' inconsistencies between those of the kinds loaded before and after them, undecodable
 * items and the items' SQL in the order the loaded table held them. The expected arrays were
 * taken from the build that loaded the items (8d5b6f5), on the same stores.
 *
 * One store takes the streamed path (its items in canonical JSON, each current once); the other
 * makes it read the items again, held whole (an item current twice, one spelled with a space), and
 * must report what loading reported too. `upgrade`'s write holds only the kinds the migrations
 * read, and commits what a write holding everything commits. Through the command line, on SQLite
 * files.
 */

import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileLines, importFixture } from '../../src/catalog/fixture/index.js'
import { spawnCli } from '../helpers/cli-process.js'
import { makeTempDir } from '../helpers/tmp.js'
import { DEMO_ORG, findRow, openTestStore, rawAppend } from '../repair/corpus.js'

const DEMO_V42 = join(process.cwd(), 'fixtures', 'demo-v42.ndjson')

/** An item row of schema u8 (the demo's `analytics.staging`) named `name`. */
const item = (id: number, name: string, sql: string): string =>
  `{"key":{"gid":{"value":{"User":${id}}}},"kind":"Item","value":{"definition":{"value":{"V1":{"create_sql":${JSON.stringify(sql)}}}},"name":"${name}","owner_id":{"value":{"User":1}},"privileges":[],"schema_id":{"value":{"User":8}}}}`
const view = (id: number, name: string): string => item(id, name, `CREATE VIEW "analytics"."staging"."${name}" AS SELECT 1`)

async function reportOf(appends: (store: Awaited<ReturnType<typeof openTestStore>>) => Promise<void>): Promise<string[]> {
  const dir = makeTempDir('upgrade-check-streamed-')
  try {
    const location = dir.path('c.db')
    const store = await openTestStore(location)
    try {
      await importFixture(store, DEMO_ORG, fileLines(DEMO_V42))
      await appends(store)
    } finally {
      await store.close()
    }
    const r = await spawnCli(['--store', location, 'upgrade-check', '-o', 'json'])
    assert.equal(r.code, 6, r.stderr)
    return (JSON.parse(r.stdout) as { errors: string[] }).errors
  } finally {
    dir.cleanup()
  }
}

test('upgrade-check streams the items and reports what loading them reported, in order', async () => {
  const errors = await reportOf(async (store) => {
    await rawAppend(store, [
      // Two values for u950: an inconsistency, and the later one (by stored text) is its value.
      { data: view(950, 'twin_a'), diff: 1n },
      { data: view(950, 'twin_b'), diff: 1n },
      // A retraction of an item that is not there.
      { data: view(952, 'ghost'), diff: -1n },
      { data: item(953, 'broken_sql', 'CREATE VIEW oops'), diff: 1n },
      { data: '{"key":{"gid":{"value":{"User":954}}},"kind":"Item","value":{"name":"no_schema"}}', diff: 1n },
      { data: item(955, 'refers', 'CREATE VIEW "analytics"."staging"."refers" AS SELECT * FROM [u999 AS "a"."b"."c"]'), diff: 1n },
      // Inconsistencies of kinds loaded before (config) and after (role) the items.
      { data: await findRow(store, 'Config', 'deploy_generation'), diff: 1n },
      { data: '{"key":{"id":{"value":{"User":77}}},"kind":"Role","value":{}}', diff: 2n },
    ])
  })
  assert.deepEqual(errors, EXPECTED_STREAMED)
})

test('upgrade-check reads the items again, held whole, when their order is not the stream order', async () => {
  const errors = await reportOf(async (store) => {
    await rawAppend(store, [
      // Current twice: loading puts it after every item current once.
      { data: item(951, 'doubled', 'CREATE VIEW oops'), diff: 2n },
      { data: '{"key":{"gid":{"value":{"User":958}}},"kind":"Item","value":{"name":"doubled_no_schema"}}', diff: 2n },
      // Spelled with a space: its text sorts before every other item's, its key among them.
      { data: item(956, 'spaced', 'SELECT 2').replace('{"key":{', '{"key": {'), diff: 1n },
      { data: item(957, 'broken_too', 'SELECT 1'), diff: 1n },
      { data: '{"key":{"gid":{"value":{"User":959}}},"kind":"Item","value":{"name":"no_schema"}}', diff: 1n },
      { data: view(950, 'twin_a'), diff: 1n },
      { data: view(950, 'twin_b'), diff: 1n },
    ])
  })
  assert.deepEqual(errors, EXPECTED_HELD)
})

test('upgrade commits, holding only what the migrations read, what upgrading with everything held commits', async () => {
  const dir = makeTempDir('upgrade-held-')
  try {
    const store = dir.path('c.db')
    const upgraded = dir.path('up.ndjson')
    const run = async (args: string[]): Promise<void> => {
      const r = await spawnCli(args)
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`)
    }
    await run(['--store', store, 'import', DEMO_V42])
    await run(['--store', store, 'upgrade', '--yes'])
    // On a fixture, upgrade opens its in-memory copy holding every collection.
    await run(['--store', DEMO_V42, 'upgrade', upgraded])
    await run(['diff', store, upgraded])
  } finally {
    dir.cleanup()
  }
})

const EXPECTED_STREAMED = [
  'item: row does not decode at catalog version 47: value.schema_id: missing required field (expected a SchemaId object): {"key":{"gid":{"value":{"User":954}}},"kind":"Item","value":{"name":"no_schema"}}',
  'role: row does not decode at catalog version 47: value.name: missing required field (expected a string): {"key":{"id":{"value":{"User":77}}},"kind":"Role","value":{}}',
  'inconsistent catalog: Config key {"key":"deploy_generation"} holds the same row 2 times (diff 2): {"key":{"key":"deploy_generation"},"kind":"Config","value":{"value":1}}',
  'inconsistent catalog: retraction of a Item row that is not there: {"key":{"gid":{"value":{"User":952}}},"kind":"Item","value":{"definition":{"value":{"V1":{"create_sql":"CREATE VIEW \\"analytics\\".\\"staging\\".\\"ghost\\" AS SELECT 1"}}},"name":"ghost","owner_id":{"valu',
  'inconsistent catalog: Item key {"gid":{"value":{"User":950}}} has several values (values must be retracted before a new one is inserted)',
  'inconsistent catalog: Role key {"id":{"value":{"User":77}}} holds the same row 2 times (diff 2): {"key":{"id":{"value":{"User":77}}},"kind":"Role","value":{}}',
  'item u953 "broken_sql": create_sql does not parse: Expected AS, found EOF at offset 16',
  'item u954 "no_schema": has no definition (create_sql): there is nothing to plan',
  'item u955 "refers": create_sql refers to [u999 AS "a"."b"."c"], but no item u999 exists',
]
const EXPECTED_HELD = [
  'item: row does not decode at catalog version 47: value.schema_id: missing required field (expected a SchemaId object): {"key":{"gid":{"value":{"User":959}}},"kind":"Item","value":{"name":"no_schema"}}',
  'item: row does not decode at catalog version 47: value.schema_id: missing required field (expected a SchemaId object): {"key":{"gid":{"value":{"User":958}}},"kind":"Item","value":{"name":"doubled_no_schema"}}',
  'inconsistent catalog: Item key {"gid":{"value":{"User":950}}} has several values (values must be retracted before a new one is inserted)',
  'inconsistent catalog: Item key {"gid":{"value":{"User":951}}} holds the same row 2 times (diff 2): {"key":{"gid":{"value":{"User":951}}},"kind":"Item","value":{"definition":{"value":{"V1":{"create_sql":"CREATE VIEW oops"}}},"name":"doubled","owner_id":{"value":{"User":1}},"privileges":[],"schema_id',
  'inconsistent catalog: Item key {"gid":{"value":{"User":958}}} holds the same row 2 times (diff 2): {"key":{"gid":{"value":{"User":958}}},"kind":"Item","value":{"name":"doubled_no_schema"}}',
  'item u956 "spaced": create_sql is not a CREATE statement: it starts with SELECT',
  'item u957 "broken_too": create_sql is not a CREATE statement: it starts with SELECT',
  'item u959 "no_schema": has no definition (create_sql): there is nothing to plan',
  'item u951 "doubled": create_sql does not parse: Expected AS, found EOF at offset 16',
  'item u958 "doubled_no_schema": has no definition (create_sql): there is nothing to plan',
]
