/**
 * The facts of every item (`item-facts.ts`), held in the scratch database (`scratch-index.ts`)
 * instead of the heap, and the questions the checks ask of them, answered by SQL or by ordered
 * scans that hand out one item at a time. Items are most of a large catalog: with them on disk,
 * what `verify` holds does not grow with the catalog.
 *
 * Where the checks once kept items in a map by some id, the last item read with an id stood for
 * it, in the place where the id first appeared; the scans here keep that order exactly.
 */

import { CatalogDebugError } from '../../errors.js'
import type { ScratchDatabase, ScratchStatement } from '../../store/sqlite/scratch-database.js'
import type { ItemSqlEntry } from '../sql/index.js'
import type { CreateKind } from '../sql/statement-head.js'
import type { ItemFacts, NewItemFacts } from './item-facts.js'

/** Ids are u64; SQLite integers are i64: stored less 2^63, which keeps their order. */
const BIAS = 1n << 63n

export function toStored(id: bigint): bigint {
  const stored = id - BIAS
  if (stored < -BIAS || stored >= BIAS) throw new CatalogDebugError('verify-id', 'internal', `id ${id} is not a u64`)
  return stored
}

export const fromStored = (v: unknown): bigint => (v as bigint) + BIAS

/** What the `item-sql` check asks of an item another one refers to: its name, schema and statement kind. */
export interface ItemSqlTarget {
  readonly name: string
  readonly schemaId: string
  readonly statement: { readonly kind: CreateKind } | undefined
}

const COLUMNS = 'i.seq, i.text, i.gid, i.lookup, i.len, i.hash, i.roles, i.schema, i.uniq, i.user_id'

export class ItemTable {
  readonly #db: ScratchDatabase
  readonly #insert: ScratchStatement
  readonly #insertSql: ScratchStatement
  readonly #cached = new Map<string, ScratchStatement>()
  #size = 0

  constructor(db: ScratchDatabase) {
    this.#db = db
    db.exec(`CREATE TABLE item (seq INTEGER PRIMARY KEY, text TEXT, gid TEXT NOT NULL, lookup TEXT, len INTEGER NOT NULL,
      hash INTEGER NOT NULL, roles TEXT, schema TEXT, uniq TEXT, user_id INTEGER);
      CREATE TABLE item_sql (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, name TEXT NOT NULL, schema_id TEXT NOT NULL, kind TEXT,
      entry TEXT NOT NULL)`)
    this.#insert = db.prepare('INSERT INTO item VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
    this.#insertSql = db.prepare('INSERT INTO item_sql VALUES (?, ?, ?, ?, ?, ?)')
  }

  get size(): number {
    return this.#size
  }

  add(f: NewItemFacts): void {
    const seq = ++this.#size
    const roles = f.roles === undefined ? null : f.roles.join('\n')
    const userId = f.userId === undefined ? null : toStored(f.userId)
    const lookup = f.lookup === `{"gid":${f.gid}}` ? null : f.lookup
    this.#insert.run(seq, f.text ?? null, f.gid, lookup, f.length, f.hash, roles, f.schema ?? null, f.uniqueness, userId)
    const sql = f.sql
    if (sql !== undefined) this.#insertSql.run(seq, sql.id, sql.name, sql.schemaId, sql.statement?.kind ?? null, JSON.stringify(sql))
  }

  /** Indexes the loaded facts (faster than keeping indexes up to date while loading). */
  finish(): void {
    this.#db.exec(`CREATE INDEX item_gid ON item (gid, seq); CREATE INDEX item_uniq ON item (uniq, seq);
      CREATE INDEX item_user ON item (user_id, seq); CREATE INDEX item_sql_id ON item_sql (id, seq)`)
  }

  #statement(sql: string): ScratchStatement {
    let s = this.#cached.get(sql)
    if (s === undefined) {
      s = this.#db.prepare(sql)
      this.#cached.set(sql, s)
    }
    return s
  }

  /** One item per gid, the last read, in the order the gids first appear. */
  *lastPerGid(): IterableIterator<ItemFacts> {
    const doubled = this.#statement('SELECT 1 AS x FROM item GROUP BY gid HAVING count(*) > 1 LIMIT 1').get() !== undefined
    const query = doubled
      ? `SELECT ${COLUMNS} FROM (SELECT min(seq) AS f, max(seq) AS l FROM item GROUP BY gid) g JOIN item i ON i.seq = g.l ORDER BY g.f`
      : `SELECT ${COLUMNS} FROM item i ORDER BY i.seq`
    for (const r of this.#statement(query).iterate()) yield factsOf(r)
  }

  /** Whether an item has this gid (canonical JSON). */
  hasGid(gid: string): boolean {
    return this.#statement('SELECT 1 AS x FROM item WHERE gid = ? LIMIT 1').get(gid) !== undefined
  }

  /** Whether an item is in this schema (its `schema_id` as canonical JSON, `null` for none). */
  inSchema(schema: string): boolean {
    const s = this.#statement("SELECT 1 AS x FROM item WHERE coalesce(schema, 'null') = ? LIMIT 1")
    return s.get(schema) !== undefined
  }

  /** The items that share their uniqueness text with another, by text in order of first appearance. */
  clashes(): ItemFacts[][] {
    const query = `SELECT g.uniq AS g, ${COLUMNS} FROM (SELECT uniq, min(seq) AS f FROM item WHERE uniq IS NOT NULL GROUP BY uniq
      HAVING count(*) > 1) g JOIN item i ON i.uniq = g.uniq ORDER BY g.f, i.seq`
    const out: ItemFacts[][] = []
    let last: unknown
    for (const r of this.#statement(query).iterate()) {
      if (out.length === 0 || r.g !== last) out.push([])
      last = r.g
      out[out.length - 1]?.push(factsOf(r))
    }
    return out
  }

  /** How many items hold a `User` id, and the highest. */
  userIds(): { count: number; max: bigint | undefined } {
    const r = this.#statement('SELECT count(user_id) AS n, max(user_id) AS m FROM item').get() as { n: bigint; m: bigint | null }
    return { count: Number(r.n), max: r.m === null ? undefined : fromStored(r.m) }
  }

  /** The `User` ids at or above `next`: how many, and the item of the highest (the first read, if held twice). */
  userIdsAbove(next: bigint): { count: number; worst: ItemFacts } | undefined {
    if (next >= BIAS * 2n) return undefined
    const from = next < 0n ? -BIAS : toStored(next)
    const n = this.#statement('SELECT count(*) AS n FROM item WHERE user_id >= ?').get(from) as { n: bigint }
    if (n.n === 0n) return undefined
    const worst = this.#statement(`SELECT ${COLUMNS} FROM item i WHERE i.user_id >= ? ORDER BY i.user_id DESC, i.seq LIMIT 1`).get(from)
    return { count: Number(n.n), worst: factsOf(worst as Record<string, unknown>) }
  }

  /** The SQL entries of the items, one per item id (the last read), in the order the ids first appear. */
  *sqlEntries(): IterableIterator<ItemSqlEntry> {
    const doubled = this.#statement('SELECT 1 AS x FROM item_sql GROUP BY id HAVING count(*) > 1 LIMIT 1').get() !== undefined
    const query = doubled
      ? 'SELECT s.entry FROM (SELECT min(seq) AS f, max(seq) AS l FROM item_sql GROUP BY id) g JOIN item_sql s ON s.seq = g.l ORDER BY g.f'
      : 'SELECT entry FROM item_sql ORDER BY seq'
    for (const r of this.#statement(query).iterate()) yield JSON.parse(r.entry as string) as ItemSqlEntry
  }

  /** The item (the last read) with this SQL id (`u5`), as the `item-sql` check sees it. */
  sqlTarget(id: string): ItemSqlTarget | undefined {
    const r = this.#statement('SELECT name, schema_id, kind FROM item_sql WHERE id = ? ORDER BY seq DESC LIMIT 1').get(id)
    if (r === undefined) return undefined
    const kind = r.kind as CreateKind | null
    return { name: r.name as string, schemaId: r.schema_id as string, statement: kind === null ? undefined : { kind } }
  }

  /** The facts of the item (the last read) with this SQL id. */
  bySqlId(id: string): ItemFacts | undefined {
    const query = `SELECT ${COLUMNS} FROM item i WHERE i.seq = (SELECT max(seq) FROM item_sql WHERE id = ?)`
    const r = this.#statement(query).get(id)
    return r === undefined ? undefined : factsOf(r)
  }

  /** The SQL entry of the item (the last read) with this SQL id. */
  sqlEntry(id: string): ItemSqlEntry | undefined {
    const r = this.#statement('SELECT entry FROM item_sql WHERE id = ? ORDER BY seq DESC LIMIT 1').get(id)
    return r === undefined ? undefined : (JSON.parse(r.entry as string) as ItemSqlEntry)
  }
}

function factsOf(r: Record<string, unknown>): ItemFacts {
  const roles = r.roles as string | null
  const userId = r.user_id as bigint | null
  const gid = r.gid as string
  return {
    seq: Number(r.seq),
    text: (r.text as string | null) ?? undefined,
    gid,
    lookup: (r.lookup as string | null) ?? `{"gid":${gid}}`,
    length: Number(r.len),
    hash: Number(r.hash),
    roles: roles === null ? undefined : roles === '' ? [] : roles.split('\n'),
    schema: (r.schema as string | null) ?? undefined,
    uniqueness: r.uniq as string | null,
    userId: userId === null ? undefined : fromStored(userId),
  }
}
