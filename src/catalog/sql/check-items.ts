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
import { field, idText, itemSqlEntry, type ItemSqlEntry, type StatementFacts } from './item-sql-entry.js'
import type { ItemReference } from './statement.js'
import { ITEM_TYPE_OF, type CreateKind, type ItemTypeName } from './statement-head.js'
import { COMMENT_ITEM_OBJECTS } from '../kinds/item.js'

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

/** What the checks read of an item another one names: its name, schema and statement kind. */
type Target = Pick<ItemSqlEntry, 'name' | 'schemaId'> & { readonly statement?: { readonly kind: CreateKind } | undefined }

class Item<E extends Target = ItemSqlEntry> {
  constructor(
    readonly entry: E,
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
  const items = new Map<string, ItemSqlEntry>()
  for (const entry of entries) items.set(entry.id, entry)
  const get = (id: string) => items.get(id)
  const some = function* (parsed: boolean): Iterable<ItemSqlEntry> {
    for (const e of items.values()) if ((e.statement !== undefined) === parsed) yield e
  }
  return checkItemSqlOf({ entries: some, get, entry: get }, input)
}

/**
 * The items as {@link checkItemSqlOf} reads them: every entry once per id (the last given for an
 * id, in the order the ids first appear), as often as asked; and what it asks of an item another
 * names: its name, schema and statement kind.
 */
export interface ItemSqlSource {
  /** The entries whose statement parsed (`parsed`), or those whose did not (they have a `problem`). */
  entries(parsed: boolean): Iterable<ItemSqlEntry>
  get(id: string): Target | undefined
  /** The whole entry of the item with this id (the last given). */
  entry(id: string): ItemSqlEntry | undefined
}

/** {@link checkItemSqlEntries} on items held elsewhere (on disk, for a large catalog), one at a time. */
export function checkItemSqlOf(source: ItemSqlSource, input: Omit<ItemSqlInput, 'items'>): ItemSqlFinding[] {
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
  const items: ItemLookup = {
    get(id) {
      const entry = source.get(id)
      return entry === undefined ? undefined : new Item(entry, schemas.get(entry.schemaId))
    },
    has: (id) => source.get(id) !== undefined,
  }
  const each = function* (parsed: boolean): Iterable<Item> {
    for (const entry of source.entries(parsed)) yield new Item(entry, schemas.get(entry.schemaId))
  }
  const out: ItemSqlFinding[] = []
  const report = (item: Item, problem: ItemSqlProblem, what: string): void => {
    const { id, name, raw } = item.entry
    const f = { itemId: id, itemName: name, problem, message: `item ${id} ${JSON.stringify(name)}: ${what}` }
    out.push(raw === undefined ? f : { ...f, raw })
  }
  // Statements that do not parse first, then the checks that need the types of the items referred to.
  for (const item of each(false)) {
    const p = item.entry.problem
    if (p !== undefined) report(item, p.problem, p.what)
  }
  const typeOf = (item: Item<Target> | undefined): ItemTypeName | undefined =>
    item?.entry.statement === undefined ? undefined : ITEM_TYPE_OF[item.entry.statement.kind]

  for (const item of each(true)) {
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
    const id = idText((object as Record<string, JsonValue>)[tag]) ?? ''
    const t = typeOf(items.get(id))
    const entry = t !== undefined && t !== tag ? source.entry(id) : undefined
    if (entry !== undefined) {
      report(
        new Item(entry, schemas.get(entry.schemaId)),
        'wrong-type',
        `a comment is on it as a ${tag}, but its create_sql creates a ${t}`,
      )
    }
  }
  return out
}

type Report = (item: Item, problem: ItemSqlProblem, what: string) => void

/** The items by id, as the checks look up one another names. */
interface ItemLookup {
  get(id: string): Item<Target> | undefined
  has(id: string): boolean
}

function checkName(item: Item, head: StatementFacts, items: ItemLookup, report: Report): void {
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
  items: ItemLookup,
  typeOf: (i: Item<Target> | undefined) => ItemTypeName | undefined,
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
