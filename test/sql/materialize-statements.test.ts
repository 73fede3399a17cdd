/**
 * Real Materialize statements (`materialize-statements.ts`, each with its source in Materialize's
 * repository) parse as the statement and name Materialize's parser gives them, and pass every
 * item check when the catalog holds what they name.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checkItemSql } from '../../src/catalog/sql/index.js'
import { ITEM_TYPE_OF } from '../../src/catalog/sql/statement-head.js'
import { parseCreateStatement } from '../../src/catalog/sql/statement.js'
import { MATERIALIZE_STATEMENTS } from './materialize-statements.js'
import { quoted, SqlCatalog } from './sql-catalog.js'

const STATEMENT_FOR: Record<string, (name: readonly string[]) => string> = {
  connection: (n) => `CREATE CONNECTION ${quoted(n)} TO KAFKA (BROKER = 'b:9092')`,
  secret: (n) => `CREATE SECRET ${quoted(n)} AS '********'`,
}

describe('real Materialize statements', () => {
  it('cover every item type but functions (which SQL cannot create)', () => {
    const types = new Set(MATERIALIZE_STATEMENTS.map((s) => ITEM_TYPE_OF[s.kind]))
    assert.deepEqual([...types].sort(), ['Connection', 'Index', 'MaterializedView', 'Secret', 'Sink', 'Source', 'Table', 'Type', 'View'])
    assert.ok(MATERIALIZE_STATEMENTS.length >= 40, `${MATERIALIZE_STATEMENTS.length} statements`)
  })

  for (const s of MATERIALIZE_STATEMENTS) {
    it(`${s.kind} ${s.name?.join('.') ?? '(unnamed)'} from ${s.from}: parses`, () => {
      const parsed = parseCreateStatement(s.sql)
      assert.equal(parsed.head.kind, s.kind)
      assert.deepEqual(parsed.head.name, s.name)
    })
  }

  it('a table fed by a source names the source it reads', () => {
    const parsed = parseCreateStatement(
      'CREATE TABLE "materialize"."public"."accounts" FROM SOURCE [u1 AS "materialize"."public"."auction_house"] (REFERENCE "accounts")',
    )
    assert.equal(parsed.head.kind, 'CreateTableFromSource')
    assert.deepEqual(parsed.head.target, {
      resolved: true,
      id: 'u1',
      name: ['materialize', 'public', 'auction_house'],
      version: null,
      pos: 59,
    })
  })

  // Fully qualified statements (and indexes, which live in the schema of what they are on) can
  // be placed in a catalog under their own name; they must then raise no finding.
  const placeable = MATERIALIZE_STATEMENTS.filter((s) => s.name !== null && (s.name.length === 3 || s.kind === 'CreateIndex'))
  for (const s of placeable) {
    it(`${s.kind} ${(s.name as string[]).join('.')} from ${s.from}: passes the item checks`, () => {
      const parsed = parseCreateStatement(s.sql)
      const cat = new SqlCatalog()
      for (const ref of parsed.items) {
        if (ref.id.startsWith('s')) continue
        const make = ref.context === null ? undefined : STATEMENT_FOR[ref.context]
        if (make === undefined) cat.table(ref.id, ref.name)
        else cat.item(ref.id, ref.name, make(ref.name))
      }
      const on = parsed.head.target
      const qualifiers = s.kind === 'CreateIndex' ? (on?.name.slice(0, -1) ?? []) : (s.name as string[]).slice(0, -1)
      cat.item(
        'u1000',
        [...(qualifiers.length === 2 ? qualifiers : ['materialize', 'public']), (s.name as string[]).at(-1) as string],
        s.sql,
      )
      assert.deepEqual(checkItemSql(cat), [])
    })
  }
})
