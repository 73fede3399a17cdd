/**
 * Checks of every item's `create_sql`, as Materialize would meet them when it opens the catalog
 * and plans each item (`Catalog::initialize_state` parses every statement, then resolves the ids
 * it names): the text lexes and parses as one CREATE statement of a catalog item type; it names
 * the item's own `database.schema.name` (ambient schemas have no database; an index names itself
 * alone and lives in the schema of what it is on); every `[uN AS name]` names an existing user
 * item by its current name (a builtin `sN` id is accepted: builtins live in the binary); an item
 * named where a connection or secret belongs is one; every `IN CLUSTER [id]` names a cluster;
 * and a comment's object type agrees with the statement.
 *
 * Pure: it takes the rows of five collections and returns findings; callers decide severity.
 */

import { isJsonObject, type JsonValue } from '../../json/lossless-json.js'
import { SqlLexError } from './lexer.js'
import { NotCreateStatementError, parseCreateStatement, type ItemReference, type ParsedStatement } from './statement.js'
import { ITEM_TYPE_OF, type CreateKind, type ItemTypeName } from './statement-head.js'
import type { RawName } from './token-stream.js'
import { COMMENT_ITEM_OBJECTS } from '../kinds/item.js'
import { flatString } from '../flat-string.js'

/** What is wrong with an item's SQL. */
export const ITEM_SQL_PROBLEMS = [
  'does-not-lex',
  'does-not-parse',
  'not-create',
  'not-an-item',
  'temporary',
  'wrong-type',
  'wrong-name',
  'bad-id',
  'unknown-item',
  'renamed-reference',
  'wrong-reference-type',
  'unknown-cluster',
] as const
export type ItemSqlProblem = (typeof ITEM_SQL_PROBLEMS)[number]

export interface ItemSqlFinding {
  /** The item's id (`u5`). */
  readonly itemId: string
  readonly itemName: string
  readonly problem: ItemSqlProblem
  /** One line: the item and what is wrong (`item u5 "orders": create_sql …`). */
  readonly message: string
  /** The item's stored row, when the caller supplied it. */
  readonly raw?: string
}

/** A current row of a collection: decoded key and value, and optionally its stored text. */
export interface CatalogRow {
  readonly key: JsonValue
  readonly value: JsonValue
  readonly raw?: string
}

/** The rows the checks read, by collection. */
export interface ItemSqlInput {
  readonly items: Iterable<CatalogRow>
  readonly schemas: Iterable<CatalogRow>
  readonly databases: Iterable<CatalogRow>
  readonly clusters: Iterable<CatalogRow>
  readonly comments: Iterable<CatalogRow>
}

const RELATION_TYPES: ReadonlySet<ItemTypeName> = new Set(['Table', 'Source', 'View', 'MaterializedView'])
const ID_PREFIX: Record<string, string> = { User: 'u', System: 's', Transient: 't' }

function field(v: JsonValue | undefined, ...path: string[]): JsonValue | undefined {
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
interface StatementFacts {
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

class Item {
  constructor(
    readonly entry: ItemSqlEntry,
    /** Its schema's qualifiers (database and schema, or the schema alone); null or absent if unknown. */
    readonly qualifiers: readonly string[] | null | undefined,
  ) {}

  /**
   * Full name: database, schema, name (no database in an ambient schema); null if the schema is
   * unknown. Made when asked for: a catalog has hundreds of thousands of items.
   */
  get fullName(): readonly string[] | null {
    return this.qualifiers === undefined || this.qualifiers === null ? null : [...this.qualifiers, this.entry.name]
  }
}

const quote = (parts: readonly string[]): string => parts.map((p) => JSON.stringify(p)).join('.')
const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i])
const BUILTIN_ID = /^s[0-9]+$/

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

/** Runs every check over `input`; one finding per problem, in item order. */
export function checkItemSql(input: ItemSqlInput): ItemSqlFinding[] {
  return checkItemSqlEntries(entriesOf(input.items), input)
}

function* entriesOf(rows: Iterable<CatalogRow>): Iterable<ItemSqlEntry> {
  for (const r of rows) {
    const e = itemSqlEntry(r)
    if (e !== undefined) yield e
  }
}

/** {@link checkItemSql} with the items given as entries (see {@link itemSqlEntry}). */
export function checkItemSqlEntries(entries: Iterable<ItemSqlEntry>, input: Omit<ItemSqlInput, 'items'>): ItemSqlFinding[] {
  const databases = new Map<string, string>()
  for (const r of input.databases) {
    const id = idText(field(r.key, 'id'))
    const name = field(r.value, 'name')
    if (id !== undefined && typeof name === 'string') databases.set(id, name)
  }
  const schemas = new Map<string, readonly string[] | null>()
  for (const r of input.schemas) {
    const id = idText(field(r.key, 'id'))
    const name = field(r.value, 'name')
    if (id === undefined || typeof name !== 'string') continue
    const dbId = field(r.value, 'database_id')
    if (dbId === undefined) schemas.set(id, [name])
    else {
      const db = databases.get(idText(dbId) ?? '')
      schemas.set(id, db === undefined ? null : [db, name])
    }
  }
  const clusters = new Set<string>()
  for (const r of input.clusters) {
    const id = idText(field(r.key, 'id'))
    if (id !== undefined) clusters.add(id)
  }
  const items = new Map<string, Item>()
  for (const entry of entries) items.set(entry.id, new Item(entry, schemas.get(entry.schemaId)))

  const out: ItemSqlFinding[] = []
  const report = (item: Item, problem: ItemSqlProblem, what: string): void => {
    const { id, name, raw } = item.entry
    const f = { itemId: id, itemName: name, problem, message: `item ${id} ${JSON.stringify(name)}: ${what}` }
    out.push(raw === undefined ? f : { ...f, raw })
  }
  // Statements that do not parse first, then the checks that need the types of the items referred to.
  for (const item of items.values()) {
    const p = item.entry.problem
    if (p !== undefined) report(item, p.problem, p.what)
  }
  const typeOf = (item: Item | undefined): ItemTypeName | undefined =>
    item?.entry.statement === undefined ? undefined : ITEM_TYPE_OF[item.entry.statement.kind]

  for (const item of items.values()) {
    const st = item.entry.statement
    if (st === undefined) continue
    if (typeOf(item) === undefined) {
      report(item, 'not-an-item', `create_sql is a ${st.kind} statement, which does not create a catalog item`)
      continue
    }
    if (st.temporary) {
      // Temporary items live in a session's memory, never in the durable catalog, and Materialize
      // refuses to plan one outside the temporary schema.
      report(item, 'temporary', 'create_sql creates a TEMPORARY item, which the durable catalog cannot hold')
    }
    checkName(item, st, items, report)
    for (const ref of st.items) checkReference(item, ref, items, typeOf, report)
    for (const c of st.clusters) {
      if (!/^[us][0-9]+$/.test(c)) report(item, 'bad-id', `create_sql names cluster [${c}], which is not a cluster id`)
      else if (!clusters.has(c)) report(item, 'unknown-cluster', `create_sql runs IN CLUSTER [${c}], which does not exist`)
    }
    const target = st.target
    if ((st.kind === 'CreateIndex' || st.kind === 'CreateSink') && target?.resolved === true) {
      const t = typeOf(items.get(target.id))
      if (t !== undefined && !RELATION_TYPES.has(t)) {
        const role = st.kind === 'CreateIndex' ? 'is an index on' : 'sinks from'
        report(
          item,
          'wrong-reference-type',
          `create_sql ${role} ${target.id}, a ${t}; it must be a table, source, view or materialized view`,
        )
      }
    }
  }

  for (const r of input.comments) {
    const object = field(r.key, 'object')
    if (!isJsonObject(object ?? null)) continue
    const [tag] = Object.keys(object as object)
    // Only comments on items name an item id (a cluster's or role's id can look the same).
    if (tag === undefined || !COMMENT_ITEM_OBJECTS.has(tag) || field(r.key, 'sub_component') !== undefined) continue
    const item = items.get(idText((object as Record<string, JsonValue>)[tag]) ?? '')
    const t = typeOf(item)
    if (item !== undefined && t !== undefined && t !== tag) {
      report(item, 'wrong-type', `a comment is on it as a ${tag}, but its create_sql creates a ${t}`)
    }
  }
  return out
}

type Report = (item: Item, problem: ItemSqlProblem, what: string) => void

function checkName(item: Item, head: StatementFacts, items: ReadonlyMap<string, Item>, report: Report): void {
  if (head.name === null) {
    report(
      item,
      'wrong-name',
      `create_sql creates an unnamed ${head.kind === 'CreateIndex' ? 'index' : 'sink'}; it must name ${JSON.stringify(item.entry.name)}`,
    )
    return
  }
  if (item.fullName === null) return // its schema (or the schema's database) is missing: the referential checks report that
  if (head.kind !== 'CreateIndex') {
    if (!same(head.name, item.fullName))
      report(item, 'wrong-name', `create_sql creates ${quote(head.name)}, but the item is ${quote(item.fullName)}`)
    return
  }
  // An index names itself alone; it lives in the schema of the object it is on.
  if (head.name[0] !== item.entry.name)
    report(item, 'wrong-name', `create_sql creates index ${quote(head.name)}, but the item is ${JSON.stringify(item.entry.name)}`)
  const on = head.target
  if (on?.resolved === true && on.id.startsWith('u') && items.has(on.id)) {
    const onSchema = on.name.slice(0, -1)
    const mine = item.fullName.slice(0, -1)
    if (!same(onSchema, mine)) {
      report(item, 'wrong-name', `the index is in ${quote(mine)}, but it is on ${quote(on.name)}, which is in ${quote(onSchema)}`)
    }
  }
}

function checkReference(
  item: Item,
  ref: ItemReference,
  items: ReadonlyMap<string, Item>,
  typeOf: (i: Item | undefined) => ItemTypeName | undefined,
  report: Report,
): void {
  const written = `[${ref.id} AS ${quote(ref.name)}]`
  if (!/^[us][0-9]+$/.test(ref.id)) {
    report(item, 'bad-id', `create_sql refers to ${written}, whose id is not a user (u…) or builtin (s…) item id`)
    return
  }
  if (ref.id.startsWith('s')) return // builtin: defined by the binary, not by the item collection
  const target = items.get(ref.id)
  if (target === undefined) {
    report(item, 'unknown-item', `create_sql refers to ${written}, but no item ${ref.id} exists`)
    return
  }
  if (target.fullName !== null && !same(ref.name, target.fullName)) {
    report(item, 'renamed-reference', `create_sql refers to ${written}, but ${ref.id} is named ${quote(target.fullName)}`)
  }
  const want = ref.context === 'connection' ? 'Connection' : ref.context === 'secret' ? 'Secret' : undefined
  const got = typeOf(target)
  if (want !== undefined && got !== undefined && got !== want) {
    report(item, 'wrong-reference-type', `create_sql uses ${written} as a ${want}, but it is a ${got}`)
  }
}
