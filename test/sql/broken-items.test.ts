/**
 * Each kind of broken `create_sql` is caught, with a finding naming the item and the problem:
 * text that does not lex or parse (messages as Materialize's parser gives them, from
 * `src/sql-parser/tests/testdata/{ddl,id}`), statements that are not CREATE or create no item,
 * wrong names, references to missing, renamed or wrongly typed items, unknown clusters and ids,
 * and a comment that disagrees with the statement's item type.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checkItemSql, type ItemSqlProblem } from '../../src/catalog/sql/check-items.js'
import { parseCreateStatement } from '../../src/catalog/sql/statement.js'
import { SqlCatalog } from './sql-catalog.js'

const T = ['materialize', 'public', 't']

/** A catalog with table u1 `materialize.public.t`, secret u2, and item u5 `materialize.public.x` holding `sql`. */
function catalogWith(sql: string | null, name: readonly string[] = ['materialize', 'public', 'x']): SqlCatalog {
  return new SqlCatalog()
    .table('u1', T)
    .item('u2', ['materialize', 'public', 'pw'], `CREATE SECRET "materialize"."public"."pw" AS '********'`)
    .item('u5', name, sql)
}

function problems(cat: SqlCatalog): { problem: ItemSqlProblem; message: string }[] {
  return checkItemSql(cat).map(({ problem, message }) => ({ problem, message }))
}

function assertOne(cat: SqlCatalog, problem: ItemSqlProblem, message: RegExp): void {
  const found = problems(cat)
  assert.equal(found.length, 1, JSON.stringify(found, null, 1))
  assert.equal(found[0]?.problem, problem)
  assert.match(found[0]?.message ?? '', message)
  assert.match(found[0]?.message ?? '', /^item u5 "x": /)
}

const VIEW = 'CREATE VIEW "materialize"."public"."x" AS SELECT * FROM [u1 AS "materialize"."public"."t"]'

describe('broken create_sql', () => {
  it('a healthy catalog has no findings', () => {
    assert.deepEqual(problems(catalogWith(VIEW)), [])
  })

  it('does not lex', () => {
    assertOne(
      catalogWith(`CREATE VIEW "materialize"."public"."x" AS SELECT 'open`),
      'does-not-lex',
      /unterminated quoted string at offset 49/,
    )
    assertOne(
      catalogWith(`CREATE VIEW "materialize"."public"."x" AS SELECT E'\\x41'`),
      'does-not-lex',
      /hexadecimal escapes are not supported/,
    )
    assertOne(catalogWith('CREATE VIEW "materialize"."public"."x" AS SELECT {}'), 'does-not-lex', /unexpected character in input: \{/)
  })

  it('is not a CREATE statement', () => {
    assertOne(catalogWith('THIS IS NOT SQL'), 'not-create', /create_sql is not a CREATE statement: it starts with identifier "this"/)
    assertOne(catalogWith('SELECT 1'), 'not-create', /not a CREATE statement/)
    assertOne(catalogWith('   '), 'does-not-parse', /empty statement/)
    assertOne(catalogWith(null), 'does-not-parse', /has no definition/)
  })

  it('does not parse, with the messages of Materialize’s parser tests', () => {
    const message = (sql: string): string => {
      try {
        parseCreateStatement(sql)
      } catch (err) {
        return (err as Error).message
      }
      assert.fail(`${sql} parsed`)
    }
    // src/sql-parser/tests/testdata/ddl
    assert.equal(message('CREATE TABLE t'), 'Expected a list of columns in parentheses, found EOF')
    assert.equal(message('CREATE INDEX IF NOT EXISTS ON tab (a, b)'), 'Expected index name, found ON')
    assert.equal(message('CREATE INDEX myschema.ind ON foo(b)'), 'Expected ON, found dot')
    assert.equal(message('CREATE INDEX ON tab;'), 'Expected left parenthesis, found semicolon')
    assert.equal(message('CREATE OR REPLACE VIEW IF NOT EXISTS v AS SELECT 1'), 'Expected AS, found NOT')
    assert.equal(message('CREATE SINK IF EXISTS foo FROM bar INTO KAFKA'), 'Expected NOT, found EXISTS')
    // src/sql-parser/tests/testdata/id
    assert.equal(message('CREATE VIEW v AS SELECT * FROM [u123 AS foo]'), 'table name in square brackets must be fully qualified')
    assert.equal(message('CREATE VIEW v AS SELECT * FROM [u123 AS materialize.public.foo'), 'Expected right square bracket, found EOF')
    assert.equal(message('CREATE DEFAULT INDEX ON tab (a, b)'), 'Expected end of statement, found left parenthesis')
    // What follows the head, where it is short.
    assert.equal(message('CREATE TABLE t (a int4) extra'), 'Expected end of statement, found identifier "extra"')
    assert.equal(
      message("CREATE TABLE t (a int4) WITH (RETAIN HISTORY = FOR '1s') (b)"),
      'Expected end of statement, found left parenthesis',
    )
    assert.equal(message('CREATE TYPE t AS LIST (ELEMENT TYPE = int4) junk'), 'Expected end of statement, found identifier "junk"')
    assert.equal(message('CREATE INDEX i ON t (a) USING x'), 'Expected end of statement, found USING')
    assert.equal(
      message('CREATE VIEW v AS garbage'),
      'Expected SELECT, VALUES, or a subquery in the query body, found identifier "garbage"',
    )
    assert.equal(
      message('CREATE MATERIALIZED VIEW v IN CLUSTER [u1] AS'),
      'Expected SELECT, VALUES, or a subquery in the query body, found EOF',
    )
    // The heads of parse_create_table_from_source and parse_create_type.
    assert.equal(message('CREATE TEMP TABLE t FROM SOURCE s (REFERENCE r)'), 'Expected TABLE, found TEMP')
    assert.equal(message('CREATE TABLE t FROM SOURCE'), 'Expected identifier, found EOF')
    assert.equal(message('CREATE TYPE t AS 5'), 'Expected left parenthesis, found number "5"')
    // Materialize reads exactly one statement from each create_sql.
    assert.match(message('CREATE VIEW v AS SELECT 1; DROP TABLE t'), /more than one statement/)
    assert.equal(message('CREATE VIEW v AS SELECT (1'), 'Expected right parenthesis, found EOF')

    assertOne(
      catalogWith('CREATE TABLE "materialize"."public"."x"'),
      'does-not-parse',
      /Expected a list of columns in parentheses, found EOF at offset 39/,
    )
  })

  it('creates no catalog item', () => {
    assertOne(catalogWith('CREATE DATABASE x'), 'not-an-item', /CreateDatabase statement, which does not create a catalog item/)
    assertOne(catalogWith("CREATE CLUSTER x SIZE '1'"), 'not-an-item', /CreateCluster/)
    assertOne(catalogWith('CREATE ROLE x'), 'not-an-item', /CreateRole/)
  })

  it('creates a temporary item', () => {
    assertOne(catalogWith('CREATE TEMPORARY VIEW "materialize"."public"."x" AS SELECT 1'), 'temporary', /TEMPORARY item/)
    assertOne(catalogWith('CREATE TEMP TABLE "materialize"."public"."x" ()'), 'temporary', /TEMPORARY item/)
  })

  it('names another item', () => {
    assertOne(
      catalogWith('CREATE VIEW "materialize"."public"."y" AS SELECT 1'),
      'wrong-name',
      /creates "materialize"."public"."y", but the item is "materialize"."public"."x"/,
    )
    assertOne(catalogWith('CREATE VIEW "x" AS SELECT 1'), 'wrong-name', /creates "x", but the item is "materialize"."public"."x"/)
    assertOne(
      catalogWith('CREATE VIEW "other"."public"."x" AS SELECT 1'),
      'wrong-name',
      /creates "other"."public"."x", but the item is "materialize"."public"."x"/,
    )
    // An ambient (system) schema has no database: the name has two parts.
    assert.deepEqual(problems(catalogWith('CREATE VIEW "mz_internal"."x" AS SELECT 1', ['mz_internal', 'x'])), [])
  })

  it('names an index wrongly, or puts it in another schema than what it is on', () => {
    assert.deepEqual(problems(catalogWith('CREATE INDEX "x" IN CLUSTER [u1] ON [u1 AS "materialize"."public"."t"] ("a")')), [])
    assertOne(
      catalogWith('CREATE INDEX "y" IN CLUSTER [u1] ON [u1 AS "materialize"."public"."t"] ("a")'),
      'wrong-name',
      /creates index "y"/,
    )
    assertOne(catalogWith('CREATE DEFAULT INDEX IN CLUSTER [u1] ON [u1 AS "materialize"."public"."t"]'), 'wrong-name', /unnamed index/)
    const elsewhere = catalogWith('CREATE INDEX "x" IN CLUSTER [u1] ON [u9 AS "materialize"."other"."t"] ("a")').table('u9', [
      'materialize',
      'other',
      't',
    ])
    assertOne(elsewhere, 'wrong-name', /the index is in "materialize"."public", but it is on "materialize"."other"."t"/)
  })

  it('refers to an item that does not exist', () => {
    assertOne(
      catalogWith('CREATE VIEW "materialize"."public"."x" AS SELECT * FROM [u99 AS "materialize"."public"."gone"]'),
      'unknown-item',
      /refers to \[u99 AS "materialize"."public"."gone"\], but no item u99 exists/,
    )
  })

  it('refers to an item by a name it no longer has', () => {
    assertOne(
      catalogWith('CREATE VIEW "materialize"."public"."x" AS SELECT * FROM [u1 AS "materialize"."public"."old"]'),
      'renamed-reference',
      /refers to \[u1 AS "materialize"."public"."old"\], but u1 is named "materialize"."public"."t"/,
    )
  })

  it('uses an item as something it is not', () => {
    assertOne(
      catalogWith(
        `CREATE SOURCE "materialize"."public"."x" IN CLUSTER [u1] FROM KAFKA CONNECTION [u1 AS "materialize"."public"."t"] (TOPIC = 'a')`,
      ),
      'wrong-reference-type',
      /uses \[u1 AS "materialize"."public"."t"\] as a Connection, but it is a Table/,
    )
    assertOne(
      catalogWith('CREATE INDEX "x" IN CLUSTER [u1] ON [u2 AS "materialize"."public"."pw"] ("a")'),
      'wrong-reference-type',
      /is an index on u2, a Secret/,
    )
    assertOne(
      catalogWith(
        `CREATE SINK "materialize"."public"."x" IN CLUSTER [u1] FROM [u2 AS "materialize"."public"."pw"] INTO KAFKA CONNECTION [u3 AS "materialize"."public"."kc"] (TOPIC = 'a')`,
      )
        .item('u3', ['materialize', 'public', 'kc'], `CREATE CONNECTION "materialize"."public"."kc" TO KAFKA (BROKER 'b:9092')`)
        .comment('Sink', 'u5'),
      'wrong-reference-type',
      /sinks from u2, a Secret/,
    )
  })

  it('runs in a cluster that does not exist', () => {
    assertOne(
      catalogWith('CREATE MATERIALIZED VIEW "materialize"."public"."x" IN CLUSTER [u7] AS SELECT 1'),
      'unknown-cluster',
      /IN CLUSTER \[u7\], which does not exist/,
    )
  })

  it('uses an id that is no item id', () => {
    assertOne(
      catalogWith('CREATE VIEW "materialize"."public"."x" AS SELECT * FROM [x1 AS "materialize"."public"."t"]'),
      'bad-id',
      /whose id is not/,
    )
  })

  it('disagrees with a comment about its type', () => {
    assertOne(catalogWith(VIEW).comment('Table', 'u5'), 'wrong-type', /a comment is on it as a Table, but its create_sql creates a View/)
    // Comments on other objects may carry the same number without meaning this item.
    assert.deepEqual(problems(catalogWith(VIEW).comment('Cluster', 'u5').comment('View', 'u5')), [])
  })

  it('accepts builtin ids and refers to them by any name', () => {
    assert.deepEqual(
      problems(
        catalogWith('CREATE TABLE "materialize"."public"."x" ("a" [s20 AS "pg_catalog"."int4"], "b" [s1234 AS "mz_catalog"."anything"])'),
      ),
      [],
    )
  })
})
