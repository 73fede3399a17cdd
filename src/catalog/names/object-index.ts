/**
 * The named objects on disk: one row per object (every kind) in a scratch database
 * (`src/store/sqlite/scratch-database.ts`), with the columns that find, describe and graph query
 * (name, owner, container, cluster, indexed relation, item type) and the rest of it (privileges,
 * an item's SQL, a cluster's configuration …) as lossless JSON; item references and role
 * memberships as links; comments. Loaded row by row in one transaction, indexed after loading,
 * then read by queries, so the heap holds what one query returns, never the catalog's items.
 *
 * Every ordered read is paged (a keyset on the id order, a few hundred rows at a time), so no
 * cursor stays open between pages and a caller may write (a result table) while it reads.
 */
import { displayJson, parseJson, type JsonValue } from '../../json/lossless-json.js'
import { openScratchDatabase, type ScratchDatabase, type ScratchStatement } from '../../store/sqlite/scratch-database.js'
import { idOrder, OBJECT_KINDS, type CatalogObject, type ObjectComment, type ObjectHead, type ObjectKind } from './catalog-objects.js'

/** The page cache of the scratch database: the most of it held in memory. */
const CACHE_KIB = 8 * 1024
/** Rows read per page of an ordered scan. */
const PAGE = 500

const ITEM = OBJECT_KINDS.indexOf('item')
const ROLE = OBJECT_KINDS.indexOf('role')

/** Which objects an ordered scan reads; each has an index that serves it in id order. */
export type Scan =
  | { readonly all: true }
  | { readonly kind: ObjectKind }
  | { readonly kind: ObjectKind; readonly parent: string }
  | { readonly clusterOfItems: string }
  | { readonly owner: string }
  | { readonly referencing: string }
  | { readonly membersOf: string }
  | { readonly reached: true }

type Row = Record<string, unknown>

const HEAD_COLUMNS = 'rank, id, id_prefix, id_number, name, owner, parent, cluster, indexed, item_type'
const ORDER = 'rank, id_prefix, id_number, id'

/**
 * A scan's condition and parameters, and whether it fixes the kind: then its pages follow each
 * other on (id_prefix, id_number, id) alone, which SQLite reads as a range of the scan's index
 * after the equalities (a key that also held the fixed rank would be read as a filter, re-reading
 * the kind from its start for every page).
 */
function scanCondition(scan: Scan): [condition: string, params: unknown[], fixedKind: boolean] {
  if ('all' in scan) return ['1', [], false]
  if ('reached' in scan) return ['EXISTS (SELECT 1 FROM reached r WHERE r.rank = o.rank AND r.id = o.id)', [], false]
  if ('owner' in scan) return ['owner = ?', [scan.owner], false]
  if ('clusterOfItems' in scan) return ['cluster = ? AND rank = ?', [scan.clusterOfItems, ITEM], true]
  const linked = 'rank = ? AND EXISTS (SELECT 1 FROM links l WHERE l.rank = o.rank AND l.source = o.id AND l.target = ?)'
  if ('referencing' in scan) return [linked, [ITEM, scan.referencing], true]
  if ('membersOf' in scan) return [linked, [ROLE, scan.membersOf], true]
  const rank = OBJECT_KINDS.indexOf(scan.kind)
  return 'parent' in scan ? ['parent = ? AND rank = ?', [scan.parent, rank], true] : ['rank = ?', [rank], true]
}

function headOf(r: Row): ObjectHead {
  const kind = OBJECT_KINDS[r.rank as number] as ObjectKind
  const base = { id: r.id as string, name: r.name as string, owner: (r.owner as string | null) ?? null }
  const parent = (r.parent as string | null) ?? null
  switch (kind) {
    case 'schema':
      return { kind, ...base, database: parent }
    case 'item':
      return {
        kind,
        ...base,
        schema: parent,
        cluster: (r.cluster as string | null) ?? null,
        indexed: (r.indexed as string | null) ?? null,
        itemType: (r.item_type as string | null) ?? null,
      }
    case 'replica':
      return { kind, ...base, cluster: parent }
    default:
      return { kind, ...base }
  }
}

/** The container column of an object: a schema's database, an item's schema, a replica's cluster. */
function parentOf(o: CatalogObject): string | null {
  if (o.kind === 'schema') return o.database
  if (o.kind === 'item') return o.schema
  if (o.kind === 'replica') return o.cluster
  return null
}

/** The fields of an object its row holds in columns (the rest is its detail). */
const HEAD_FIELDS: ReadonlySet<string> = new Set(['kind', 'id', 'name', 'owner', 'database', 'schema', 'cluster', 'indexed', 'itemType'])

/** What a row's columns leave out (privileges, an item's SQL, a cluster's configuration, …), as lossless JSON. */
function detailOf(o: CatalogObject): string {
  const rest: Record<string, JsonValue> = {}
  for (const [k, v] of Object.entries(o)) if (!HEAD_FIELDS.has(k)) rest[k] = v as JsonValue
  return displayJson(rest)
}

/** A sortable text for a comment's column (`null` sorts first in SQLite): by number, negatives first. */
function columnKey(column: bigint | null): string | null {
  if (column === null) return null
  const digits = (column < 0n ? -column : column).toString()
  if (column >= 0n) return `p${String(digits.length).padStart(6, '0')}${digits}`
  const flipped = [...digits].map((d) => String(9 - Number(d))).join('')
  return `n${String(999_999 - digits.length).padStart(6, '0')}${flipped}`
}

export class ObjectIndex {
  readonly #db: ScratchDatabase

  constructor() {
    this.#db = openScratchDatabase({ cacheKiB: CACHE_KIB })
    try {
      this.#db.exec(`
        CREATE TABLE objects (
          rank INTEGER NOT NULL, id TEXT NOT NULL, id_prefix TEXT NOT NULL, id_number TEXT NOT NULL,
          name TEXT NOT NULL, owner TEXT, parent TEXT, cluster TEXT, indexed TEXT, item_type TEXT, detail TEXT);
        CREATE UNIQUE INDEX objects_by_id ON objects (rank, id);
        CREATE TABLE links (rank INTEGER NOT NULL, source TEXT NOT NULL, position INTEGER NOT NULL, target TEXT NOT NULL,
          PRIMARY KEY (rank, source, position)) WITHOUT ROWID;
        CREATE TABLE comments (rank INTEGER NOT NULL, id TEXT NOT NULL, column_key TEXT, column_number TEXT, text TEXT NOT NULL);
        BEGIN;`)
    } catch (e) {
      this.#db.close()
      throw e
    }
  }

  #statement(sql: string): ScratchStatement {
    return this.#db.statement(sql, { numbers: true })
  }

  /** Adds (or replaces: the last row of a kind and id wins) one object. */
  add(o: CatalogObject): void {
    const rank = OBJECT_KINDS.indexOf(o.kind)
    const [prefix, number] = idOrder(o.id)
    const item = o.kind === 'item' ? o : undefined
    this.#statement(`INSERT OR REPLACE INTO objects VALUES (${Array(11).fill('?').join(', ')})`).run(
      rank,
      o.id,
      prefix,
      number,
      o.name,
      o.owner,
      parentOf(o),
      item?.cluster ?? null,
      item?.indexed ?? null,
      item?.itemType ?? null,
      detailOf(o),
    )
    const targets = item !== undefined ? item.references.map((r) => r.id) : o.kind === 'role' ? o.memberOf.map((m) => m.role) : []
    if (item === undefined && o.kind !== 'role') return
    this.#statement('DELETE FROM links WHERE rank = ? AND source = ?').run(rank, o.id)
    const link = this.#statement('INSERT OR IGNORE INTO links VALUES (?, ?, ?, ?)')
    for (const [i, target] of targets.entries()) link.run(rank, o.id, i, target)
  }

  addComment(c: ObjectComment): void {
    this.#statement('INSERT INTO comments VALUES (?, ?, ?, ?, ?)').run(
      OBJECT_KINDS.indexOf(c.kind),
      c.id,
      columnKey(c.column),
      c.column === null ? null : c.column.toString(),
      c.text,
    )
  }

  /** Ends loading: commits and builds the indexes the queries use. */
  finishLoading(): void {
    this.#db.exec(`
      COMMIT;
      CREATE INDEX objects_in_order ON objects (${ORDER});
      CREATE INDEX objects_by_parent ON objects (parent, ${ORDER}) WHERE parent IS NOT NULL;
      CREATE INDEX objects_by_cluster ON objects (cluster, ${ORDER}) WHERE cluster IS NOT NULL;
      CREATE INDEX objects_by_indexed ON objects (indexed) WHERE indexed IS NOT NULL;
      CREATE INDEX objects_by_owner ON objects (owner, ${ORDER}) WHERE owner IS NOT NULL;
      CREATE INDEX objects_by_name ON objects (rank, name);
      CREATE INDEX links_by_target ON links (rank, target, source);
      CREATE INDEX comments_by_object ON comments (rank, id, column_key);`)
  }

  /** The objects a scan selects, in id order (kind by kind, then by id), read a page at a time. */
  *scan(scan: Scan): Generator<ObjectHead> {
    const [condition, params, fixedKind] = scanCondition(scan)
    const key = fixedKind ? 'id_prefix, id_number, id' : ORDER
    const page = this.#statement(
      `SELECT ${HEAD_COLUMNS} FROM objects o WHERE ${condition} AND (${key}) > (${fixedKind ? '?, ?, ?' : '?, ?, ?, ?'})
         ORDER BY ${ORDER} LIMIT ${PAGE}`,
    )
    let after: unknown[] = fixedKind ? ['', '', ''] : [-1, '', '', '']
    for (;;) {
      const rows = page.all(...params, ...after)
      for (const r of rows) yield headOf(r)
      const last = rows.at(-1)
      if (rows.length < PAGE || last === undefined) return
      after = [...(fixedKind ? [] : [last.rank]), last.id_prefix, last.id_number, last.id]
    }
  }

  /** The objects of a kind named `name` or with the id `id`, in id order. */
  named(kind: ObjectKind, name: string, id: string): ObjectHead[] {
    return this.#statement(`SELECT ${HEAD_COLUMNS} FROM objects WHERE rank = ? AND (name = ? OR id = ?) ORDER BY ${ORDER}`)
      .all(OBJECT_KINDS.indexOf(kind), name, id)
      .map(headOf)
  }

  head(kind: ObjectKind, id: string): ObjectHead | undefined {
    const r = this.#statement(`SELECT ${HEAD_COLUMNS} FROM objects WHERE rank = ? AND id = ?`).get(OBJECT_KINDS.indexOf(kind), id)
    return r === undefined ? undefined : headOf(r)
  }

  /** One object with every field. */
  object(kind: ObjectKind, id: string): CatalogObject | undefined {
    const r = this.#statement(`SELECT ${HEAD_COLUMNS}, detail FROM objects WHERE rank = ? AND id = ?`).get(OBJECT_KINDS.indexOf(kind), id)
    return r === undefined ? undefined : ({ ...headOf(r), ...(parseJson(r.detail as string) as object) } as CatalogObject)
  }

  /** The roles a role is a member of (whether the catalog holds them or not), in its order. */
  memberships(id: string): string[] {
    return this.#statement('SELECT target FROM links WHERE rank = ? AND source = ? ORDER BY position')
      .all(ROLE, id)
      .map((r) => r.target as string)
  }

  /** An item's references to items the catalog holds, in the order the SQL names them. */
  referencedItems(id: string): string[] {
    return this.#statement(
      `SELECT target FROM links l WHERE rank = ? AND source = ?
         AND EXISTS (SELECT 1 FROM objects t WHERE t.rank = l.rank AND t.id = l.target) ORDER BY position`,
    )
      .all(ITEM, id)
      .map((r) => r.target as string)
  }

  /** The comments on one object: its own first, then its columns' by position. */
  commentsOf(kind: ObjectKind, id: string): { column: bigint | null; text: string }[] {
    return this.#statement('SELECT column_number, text FROM comments WHERE rank = ? AND id = ? ORDER BY column_key, rowid')
      .all(OBJECT_KINDS.indexOf(kind), id)
      .map((r) => ({ column: r.column_number === null ? null : BigInt(r.column_number as string), text: r.text as string }))
  }

  /** Runs statements that write scratch tables of a query's own (the `reached` set of a graph's root). */
  exec(sql: string): void {
    this.#db.exec(sql)
  }

  /** Runs one statement that writes; parameters positional. */
  run(sql: string, ...params: unknown[]): void {
    this.#statement(sql).run(...params)
  }

  /** One number a statement returns (a count). */
  count(sql: string, ...params: unknown[]): number {
    return Number(Object.values(this.#statement(sql).get(...params) ?? { n: 0 })[0])
  }

  /** Rows of a statement, all at once (for small results and pages of a result table). */
  rows(sql: string, ...params: unknown[]): Row[] {
    return this.#statement(sql).all(...params)
  }

  close(): void {
    this.#db.close()
  }
}
