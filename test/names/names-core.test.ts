/** The names module's pure parts: splitting qualified names, reading create_sql, closest names, building objects. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { JsonValue } from '../../src/json/lossless-json.js'
import { CatalogObjectsBuilder } from '../../src/catalog/names/objects-builder.js'
import { closestMatches } from '../../src/catalog/names/closest.js'
import { splitName } from '../../src/catalog/names/resolve.js'
import { readCreateSql } from '../../src/catalog/names/sql-references.js'

test('qualified names split on dots outside double quotes; "" is a quote', () => {
  assert.deepEqual(splitName('analytics.marts.daily_revenue'), ['analytics', 'marts', 'daily_revenue'])
  assert.deepEqual(splitName('"my.db".public."say ""hi"""'), ['my.db', 'public', 'say "hi"'])
  assert.throws(() => splitName('"open.end'), /unterminated quote/)
  assert.throws(() => splitName('a..b'), /empty part/)
})

test('create_sql: the head gives the type; resolved ids outside literals are references', () => {
  const f = readCreateSql(
    `CREATE INDEX "i" IN CLUSTER [u3] ON [u8 AS "analytics"."marts"."daily_revenue"] ("day") WITH (NOTE = 'not [u1 AS "a"."b"]')`,
  )
  assert.equal(f.itemType, 'Index')
  assert.equal(f.clusterId, 'u3')
  assert.equal(f.indexedId, 'u8')
  assert.deepEqual(f.references, [{ id: 'u8', path: ['analytics', 'marts', 'daily_revenue'] }])
  assert.equal(readCreateSql('CREATE MATERIALIZED VIEW "v" AS SELECT 1').itemType, 'MaterializedView')
  assert.equal(readCreateSql('CREATE SUBSOURCE "p" (x int)').itemType, 'Source')
  assert.equal(readCreateSql('garbage').itemType, null)
  // SQL the parser refuses (an unclosed parenthesis) is still scanned for its references.
  const damaged = readCreateSql('CREATE VIEW "v" AS SELECT ((1 FROM [u1 AS "a"."b"."c"]')
  assert.deepEqual([damaged.itemType, damaged.references], ['View', [{ id: 'u1', path: ['a', 'b', 'c'] }]])
})

test('closest matches: typos and truncations, nothing for far-off words', () => {
  assert.deepEqual(closestMatches('sttings', ['setting', 'schema', 'system_privileges']), ['setting'])
  assert.deepEqual(closestMatches('consolidat', ['consolidate', 'ignore', 'strict']), ['consolidate'])
  assert.deepEqual(closestMatches('xyzzy', ['dump', 'epoch']), [])
})

test('objects built from rows in any order are the same: comments by object then column, grants by grantee then grantor', () => {
  const rows: [Parameters<CatalogObjectsBuilder['add']>[0], { key: JsonValue; value: JsonValue }][] = [
    ['database', { key: { id: { value: { User: 1n } } }, value: { name: 'shop', owner_id: { value: { User: 1n } }, privileges: [] } }],
    [
      'comments',
      { key: { object: { Table: { value: { User: 5n } } }, sub_component: { ColumnPos: 2n } }, value: { comment: 'second column' } },
    ],
    ['comments', { key: { object: { Table: { value: { User: 5n } } }, sub_component: null }, value: { comment: 'the table' } }],
    ['comments', { key: { object: { Database: { value: { User: 1n } } }, sub_component: null }, value: { comment: 'the database' } }],
    [
      'comments',
      { key: { object: { Table: { value: { User: 5n } } }, sub_component: { ColumnPos: 1n } }, value: { comment: 'first column' } },
    ],
    [
      'system_privileges',
      { key: { grantee: { value: { User: 2n } }, grantor: { value: { System: 1n } } }, value: { acl_mode: { bitflags: 1n } } },
    ],
    [
      'system_privileges',
      { key: { grantee: { value: { User: 1n } }, grantor: { value: { User: 3n } } }, value: { acl_mode: { bitflags: 2n } } },
    ],
    [
      'system_privileges',
      { key: { grantee: { value: { User: 1n } }, grantor: { value: { System: 1n } } }, value: { acl_mode: { bitflags: 4n } } },
    ],
  ]
  const build = (order: typeof rows) => {
    const b = new CatalogObjectsBuilder()
    for (const [collection, row] of order) b.add(collection, row)
    return b.finish()
  }
  const forward = build(rows)
  const backward = build([...rows].reverse())
  try {
    const comments = (o: typeof forward) => [
      ...o.index.commentsOf('database', 'u1').map((c) => `database:u1:${c.column}:${c.text}`),
      ...o.index.commentsOf('item', 'u5').map((c) => `item:u5:${c.column}:${c.text}`),
    ]
    assert.deepEqual(comments(forward), [
      'database:u1:null:the database',
      'item:u5:null:the table',
      'item:u5:1:first column',
      'item:u5:2:second column',
    ])
    assert.deepEqual(comments(backward), comments(forward))
    assert.deepEqual(
      forward.systemPrivileges.map((g) => `${g.grantee}<${g.grantor}`),
      ['u1<s1', 'u1<u3', 'u2<s1'],
    )
    assert.deepEqual(backward.systemPrivileges, forward.systemPrivileges)
    assert.deepEqual([...backward.scan({ all: true })], [...forward.scan({ all: true })])
    assert.equal(forward.get('database', 'u1')?.name, 'shop')
  } finally {
    forward.close()
    backward.close()
  }
})
