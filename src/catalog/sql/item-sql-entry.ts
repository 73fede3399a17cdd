/**
 * What the `create_sql` checks (`check-items.ts`) need of one item row, taken when the row is
 * read: its id, name and schema, and the facts of its parsed statement (or why it does not parse).
 * A caller streaming a large catalog keeps these instead of the decoded rows.
 */

import { isJsonObject, type JsonValue } from '../../json/lossless-json.js'
import { flatString } from '../flat-string.js'
import type { CatalogRow, ItemSqlProblem } from './check-items.js'
import { SqlLexError } from './lexer.js'
import { NotCreateStatementError, parseCreateStatement, type ItemReference, type ParsedStatement } from './statement.js'
import type { CreateKind } from './statement-head.js'
import type { RawName } from './token-stream.js'

const BUILTIN_ID = /^s[0-9]+$/
const ID_PREFIX: Record<string, string> = { User: 'u', System: 's', Transient: 't' }

export function field(v: JsonValue | undefined, ...path: string[]): JsonValue | undefined {
  let cur = v
  for (const p of path) cur = isJsonObject(cur ?? null) ? (cur as Record<string, JsonValue>)[p] : undefined
  return cur ?? undefined
}

/** `{"value":{"User":5}}` → `u5`; anything else → undefined. */
export function idText(id: JsonValue | undefined): string | undefined {
  const inner = field(id, 'value')
  if (!isJsonObject(inner ?? null)) return undefined
  const [tag] = Object.keys(inner as object)
  const n = tag === undefined ? undefined : (inner as Record<string, JsonValue>)[tag]
  const prefix = tag === undefined ? undefined : ID_PREFIX[tag]
  return prefix !== undefined && typeof n === 'bigint' ? `${prefix}${n}` : undefined
}

/**
 * What the checks need of a parsed `create_sql`: its statement type and name, what it is on, and
 * the ids it names. Builtin item references (`[s20 AS …]`) are left out: they are always accepted.
 */
export interface StatementFacts {
  readonly kind: CreateKind
  readonly temporary: boolean
  readonly name: readonly string[] | null
  readonly target: RawName | null
  readonly items: readonly ItemReference[]
  readonly clusters: readonly string[]
}

/**
 * What the checks need of one item row, taken from the row when it is read, so that a caller
 * streaming a large catalog keeps this instead of the decoded row.
 */
export interface ItemSqlEntry {
  /** The item's id (`u5`). */
  readonly id: string
  readonly name: string
  /** The id of its schema (`u3`), or `''` when the row has none. */
  readonly schemaId: string
  readonly raw: string | undefined
  /** The statement, or `undefined` when it does not parse (then {@link problem} says why). */
  readonly statement: StatementFacts | undefined
  readonly problem: { readonly problem: ItemSqlProblem; readonly what: string } | undefined
}

/** Keeps one copy of a text many entries repeat (database and schema names). */
type Intern = (text: string) => string

/**
 * A name's parts as standalone strings: its qualifiers (all parts but the last) through `intern`,
 * the last one `own` when it is the same text (the item's own name, held once).
 */
function flatNameOf(name: readonly string[], intern: Intern, own?: string): readonly string[] {
  return name.map((part, i) => (i < name.length - 1 ? intern(part) : part === own ? own : flatString(part)))
}

/** One empty list for every statement without references (most of them). */
const NONE: readonly never[] = Object.freeze([])
const orNone = <T>(list: readonly T[]): readonly T[] => (list.length === 0 ? NONE : list)

/** The facts of a statement, as standalone strings (the parser's are cut from the statement). */
function statementFacts(parsed: ParsedStatement, intern: Intern, own: string): StatementFacts {
  const flatName = (name: readonly string[]) => flatNameOf(name, intern, own)
  const { head } = parsed
  const t = head.target
  return {
    kind: head.kind,
    temporary: head.temporary,
    name: head.name === null ? null : flatName(head.name),
    target:
      t === null
        ? null
        : t.resolved
          ? { ...t, id: flatString(t.id), name: flatName(t.name), version: t.version === null ? null : flatString(t.version) }
          : { ...t, name: flatName(t.name) },
    items: orNone(
      parsed.items
        .filter((r) => !BUILTIN_ID.test(r.id))
        .map((r) => ({ id: flatString(r.id), name: flatName(r.name), pos: r.pos, context: r.context })),
    ),
    clusters: orNone(parsed.clusters.map((c) => intern(c.id))),
  }
}

/**
 * An item row's entry for {@link checkItemSqlEntries}: parses its `create_sql`. `undefined` for a
 * row without a usable id or name (the checks skip it). A caller holding many entries passes
 * `intern` to share the texts they repeat (schema ids, database and schema names).
 */
export function itemSqlEntry(r: CatalogRow, intern: Intern = flatString): ItemSqlEntry | undefined {
  const id = idText(field(r.key, 'gid'))
  const name = field(r.value, 'name')
  if (id === undefined || typeof name !== 'string') return undefined
  const schemaId = idText(field(r.value, 'schema_id')) ?? ''
  const sql = field(r.value, 'definition', 'value', 'V1', 'create_sql')
  const own = flatString(name)
  const entry = (statement: StatementFacts | undefined, problem?: ItemSqlProblem, what?: string): ItemSqlEntry => ({
    id: flatString(id),
    name: own,
    schemaId: intern(schemaId),
    raw: r.raw,
    statement,
    problem: problem === undefined ? undefined : { problem, what: what as string },
  })
  if (typeof sql !== 'string') return entry(undefined, 'does-not-parse', 'has no definition (create_sql): there is nothing to plan')
  try {
    return entry(statementFacts(parseCreateStatement(sql), intern, own))
  } catch (err) {
    const at = (pos: number): string => `at offset ${pos}`
    if (err instanceof SqlLexError) return entry(undefined, 'does-not-lex', `create_sql does not lex: ${err.message} ${at(err.pos)}`)
    if (err instanceof NotCreateStatementError) return entry(undefined, 'not-create', `create_sql is ${err.message}`)
    if (err instanceof Error && 'pos' in err)
      return entry(undefined, 'does-not-parse', `create_sql does not parse: ${err.message} ${at(err.pos as number)}`)
    throw err
  }
}
