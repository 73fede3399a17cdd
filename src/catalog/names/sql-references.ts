/**
 * What an item's `create_sql` says about other objects. environmentd stores every name it resolved
 * as its id with the name it had (`[u5 AS "analytics"."staging"."orders_raw"]`) and a cluster as
 * `IN CLUSTER [u2]`, so references are read from those forms; the item's type is the statement's
 * head (`CREATE MATERIALIZED VIEW` → `MaterializedView`).
 *
 * The statement is read with the catalog's SQL lexer and CREATE heads (`src/catalog/sql/`). SQL
 * that does not parse (a damaged row: `verify` reports it) is still described, from a small
 * scanner: it blanks out single-quoted literals, so a bracketed id inside a string is not taken for
 * a reference, and reads the resolved forms with patterns.
 */
import { ITEM_TYPE_OF, parseCreateStatement } from '../sql/index.js'

/** An id resolved in `create_sql`, with the qualified name it was written with. */
export interface SqlReference {
  /** `u5`, `s20`. */
  readonly id: string
  /** The name parts as written (`["analytics", "staging", "orders_raw"]`). */
  readonly path: readonly string[]
}

export interface SqlFacts {
  /** The item type named by the statement's head (`Table`, `MaterializedView`, …), or `null`. */
  readonly itemType: string | null
  /** Every distinct resolved reference, in order of first appearance. */
  readonly references: readonly SqlReference[]
  /** The cluster of `IN CLUSTER [id]`, or `null`. */
  readonly clusterId: string | null
  /** For an index: the id after `ON` (the relation it indexes), or `null`. */
  readonly indexedId: string | null
}

const HEADS: readonly (readonly [RegExp, string])[] = [
  [/^CREATE\s+(?:TEMP(?:ORARY)?\s+)?MATERIALIZED\s+VIEW\b/i, 'MaterializedView'],
  [/^CREATE\s+(?:TEMP(?:ORARY)?\s+)?VIEW\b/i, 'View'],
  [/^CREATE\s+(?:TEMP(?:ORARY)?\s+)?TABLE\b/i, 'Table'],
  [/^CREATE\s+(?:SUB)?SOURCE\b/i, 'Source'],
  [/^CREATE\s+(?:DEFAULT\s+)?INDEX\b/i, 'Index'],
  [/^CREATE\s+SINK\b/i, 'Sink'],
  [/^CREATE\s+SECRET\b/i, 'Secret'],
  [/^CREATE\s+CONNECTION\b/i, 'Connection'],
  [/^CREATE\s+TYPE\b/i, 'Type'],
  [/^CREATE\s+FUNCTION\b/i, 'Func'],
  [/^CREATE\s+CONTINUAL\s+TASK\b/i, 'ContinualTask'],
]

const IDENT = '"(?:[^"]|"")*"'
const REFERENCE = new RegExp(`\\[([a-z]\\d+) AS (${IDENT}(?:\\.${IDENT})*)\\]`, 'g')
const IN_CLUSTER = /\bIN\s+CLUSTER\s+\[([a-z]\d+)\]/i
const INDEX_ON = /\bON\s+\[([a-z]\d+) AS /i

/** Replaces each single-quoted literal's contents by spaces (same length, so offsets hold). */
function blankLiterals(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'/g, (lit) => `'${' '.repeat(lit.length - 2)}'`)
}

function identifiers(text: string): string[] {
  return [...text.matchAll(new RegExp(IDENT, 'g'))].map((m) => m[0].slice(1, -1).replace(/""/g, '"'))
}

/** Reads the facts of one `create_sql`. Never throws: text it cannot read yields nulls and no references. */
export function readCreateSql(sql: string): SqlFacts {
  let parsed: ReturnType<typeof parseCreateStatement>
  try {
    parsed = parseCreateStatement(sql)
  } catch {
    return scanCreateSql(sql)
  }
  const { head } = parsed
  const seen = new Set<string>()
  const references: SqlReference[] = []
  for (const r of parsed.items) {
    if (seen.has(r.id)) continue
    seen.add(r.id)
    references.push({ id: r.id, path: r.name })
  }
  return {
    itemType: ITEM_TYPE_OF[head.kind] ?? (head.kind === 'CreateContinualTask' ? 'ContinualTask' : null),
    references,
    clusterId: head.inCluster?.id ?? null,
    indexedId: head.kind === 'CreateIndex' && head.target?.resolved === true ? head.target.id : null,
  }
}

/** {@link readCreateSql} for SQL the lexer or the head parser refuses: patterns over the text. */
function scanCreateSql(sql: string): SqlFacts {
  const text = blankLiterals(sql.trimStart())
  const itemType = HEADS.find(([re]) => re.test(text))?.[1] ?? null
  const seen = new Set<string>()
  const references: SqlReference[] = []
  for (const m of text.matchAll(REFERENCE)) {
    const id = m[1]!
    if (seen.has(id)) continue
    seen.add(id)
    references.push({ id, path: identifiers(m[2]!) })
  }
  const clusterId = IN_CLUSTER.exec(text)?.[1] ?? null
  const indexedId = itemType === 'Index' ? (INDEX_ON.exec(text)?.[1] ?? null) : null
  return { itemType, references, clusterId, indexedId }
}
