/** The names module's pure parts: splitting qualified names, reading create_sql, closest names. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
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
