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
import { BatchedInsert } from './batched-insert.js'
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
  readonly #insert: BatchedInsert
  readonly #insertSql: BatchedInsert
  readonly #doubles = new Map<string, boolean>()
  #size = 0

  constructor(db: ScratchDatabase) {
    this.#db = db
    db.exec(`CREATE TABLE item (seq INTEGER PRIMARY KEY, text TEXT, gid TEXT NOT NULL, lookup TEXT, len INTEGER NOT NULL,
      hash INTEGER NOT NULL, roles TEXT, schema TEXT, uniq TEXT, user_id INTEGER);
      CREATE TABLE item_sql (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, name TEXT NOT NULL, schema_id TEXT NOT NULL, kind TEXT,
      entry TEXT NOT NULL)`)
    this.#insert = new BatchedInsert(db, 'item', 10)
    this.#insertSql = new BatchedInsert(db, 'item_sql', 6)
  }

  get size(): number {
    return this.#size
  }

  add(f: NewItemFacts): void {
    const seq = ++this.#size
    const roles = f.roles === undefined ? null : f.roles.join('\n')
    const userId = f.userId === undefined ? null : toStored(f.userId)
    const lookup = f.lookup === `{"gid":${f.gid}}` ? null : f.lookup
    this.#insert.add(seq, f.text ?? null, f.gid, lookup, f.length, f.hash, roles, f.schema ?? null, f.uniqueness, userId)
    const sql = f.sql
    if (sql !== undefined) this.#insertSql.add(seq, sql.id, sql.name, sql.schemaId, sql.statement?.kind ?? null, JSON.stringify(sql))
  }

  /** Writes the facts still waiting (before the loading transaction ends). */
  flush(): void {
    this.#insert.flush()
    this.#insertSql.flush()
  }

  /** Indexes the loaded facts (faster than keeping indexes up to date while loading). */
  finish(): void {
    this.#db.exec(`CREATE INDEX item_gid ON item (gid, seq); CREATE INDEX item_uniq ON item (uniq, seq);
      CREATE INDEX item_user ON item (user_id, seq); CREATE INDEX item_sql_id ON item_sql (id, seq)`)
  }

  #statement(sql: string): ScratchStatement {
    return this.#db.statement(sql)
  }

  /** Whether some key of the item table (gid, or SQL id) is held by more than one item: asked once. */
  #doubled(column: 'gid' | 'id'): boolean {
    let d = this.#doubles.get(column)
    if (d === undefined) {
      const table = column === 'gid' ? 'item' : 'item_sql'
      d = this.#statement(`SELECT 1 AS x FROM ${table} GROUP BY ${column} HAVING count(*) > 1 LIMIT 1`).get() !== undefined
      this.#doubles.set(column, d)
    }
    return d
  }

  /**
   * The items the reference check must look at: one per gid (the last read), in the order the
   * gids first appear, of those whose schema or one of whose roles is not known (`schemaKnown`,
   * `rolesKnown`), or null. Each distinct schema and role list is judged once; the items are
   * picked by SQL, so a catalog whose items are all fine hands out none.
   */
  *suspects(schemaKnown: (schema: string) => boolean, rolesKnown: (roles: readonly string[]) => boolean): IterableIterator<ItemFacts> {
    this.#db.exec('CREATE TABLE IF NOT EXISTS bad_schema (v TEXT PRIMARY KEY); DELETE FROM bad_schema')
    this.#db.exec('CREATE TABLE IF NOT EXISTS bad_roles (v TEXT PRIMARY KEY); DELETE FROM bad_roles')
    let any = false
    for (const [column, table, known] of [
      ['schema', 'bad_schema', (v: string) => schemaKnown(v)],
      ['roles', 'bad_roles', (v: string) => rolesKnown(rolesOf(v) ?? [])],
    ] as const) {
      const insert = this.#statement(`INSERT INTO ${table} VALUES (?)`)
      for (const r of this.#statement(`SELECT DISTINCT ${column} AS v FROM item`).all()) {
        if (r.v !== null && known(r.v as string)) continue
        any = true
        if (r.v !== null) insert.run(r.v)
      }
    }
    if (!any) return
    const bad = `(i.schema IS NULL OR i.roles IS NULL OR i.schema IN (SELECT v FROM bad_schema) OR i.roles IN (SELECT v FROM bad_roles))`
    const query = this.#doubled('gid')
      ? `SELECT ${COLUMNS} FROM (SELECT min(seq) AS f, max(seq) AS l FROM item GROUP BY gid) g JOIN item i ON i.seq = g.l
         WHERE ${bad} ORDER BY g.f`
      : `SELECT ${COLUMNS} FROM item i WHERE ${bad} ORDER BY i.seq`
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

  /**
   * The SQL entries of the items, one per item id (the last read), in the order the ids first
   * appear: those whose statement parsed (`parsed`), or those whose did not.
   */
  *sqlEntries(parsed: boolean): IterableIterator<ItemSqlEntry> {
    const which = parsed ? 's.kind IS NOT NULL' : 's.kind IS NULL'
    const query = this.#doubled('id')
      ? `SELECT s.entry FROM (SELECT min(seq) AS f, max(seq) AS l FROM item_sql GROUP BY id) g JOIN item_sql s ON s.seq = g.l
         WHERE ${which} ORDER BY g.f`
      : `SELECT s.entry FROM item_sql s WHERE ${which} ORDER BY s.seq`
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

const rolesOf = (text: string | null): string[] | undefined => (text === null ? undefined : text === '' ? [] : text.split('\n'))

function factsOf(r: Record<string, unknown>): ItemFacts {
  const userId = r.user_id as bigint | null
  const gid = r.gid as string
  return {
    seq: Number(r.seq),
    text: (r.text as string | null) ?? undefined,
    gid,
    lookup: (r.lookup as string | null) ?? `{"gid":${gid}}`,
    length: Number(r.len),
    hash: Number(r.hash),
    roles: rolesOf(r.roles as string | null),
    schema: (r.schema as string | null) ?? undefined,
    uniqueness: r.uniq as string | null,
    userId: userId === null ? undefined : fromStored(userId),
  }
}
