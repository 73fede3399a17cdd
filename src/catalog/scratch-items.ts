/**
 * The items' SQL entries of a whole catalog, kept on disk for the SQL checks (`sql/check-items.ts`)
 * instead of in the heap: a catalog of a million updates has a hundred thousand items, and their
 * entries alone took about 30 MiB of live heap, which the runtime grows by several times before it
 * collects. They live in a scratch database (`store/sqlite/scratch-database.ts`: private,
 * temporary, a bounded page cache, gone when closed or when the process dies), one row per item
 * id in the order the ids came, each entry as JSON (its texts exact, lone surrogates included).
 */

import { openScratchDatabase, type ScratchDatabase, type ScratchStatement } from '../store/sqlite/scratch-database.js'
import type { ItemSqlSource } from './sql/check-items.js'
import type { ItemSqlEntry } from './sql/index.js'

/** What the checks read of an item another one names (`ItemSqlSource.get`). */
type Target = NonNullable<ReturnType<ItemSqlSource['get']>>

/** The page cache of the scratch database, in KiB. */
const CACHE_KIB = 4096
/**
 * Entries written per transaction, and read per page of {@link ScratchItems.entries}: few, so that
 * they are gone before the runtime's young generation is collected (what outlives two of its
 * collections is moved to the old generation, which is collected late).
 */
const BATCH = 64

export class ScratchItems implements ItemSqlSource {
  readonly #db: ScratchDatabase
  readonly #upsert: ScratchStatement
  readonly #find: ScratchStatement
  readonly #entry: ScratchStatement
  readonly #page: ScratchStatement
  #pending: ItemSqlEntry[] = []

  constructor() {
    this.#db = openScratchDatabase({ cacheKiB: CACHE_KIB })
    try {
      this.#db.exec('CREATE TABLE items (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, found TEXT NOT NULL, entry TEXT NOT NULL)')
      // A later entry of an id replaces the earlier one where the id first came (a map's `set`).
      this.#upsert = this.#db.prepare(
        'INSERT INTO items (id, found, entry) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET found = excluded.found, entry = excluded.entry',
      )
      this.#find = this.#db.prepare('SELECT found FROM items WHERE id = ?')
      this.#entry = this.#db.prepare('SELECT entry FROM items WHERE id = ?')
      this.#page = this.#db.prepare('SELECT seq, entry FROM items WHERE seq > ? ORDER BY seq LIMIT ?', { numbers: true })
    } catch (err) {
      this.#db.close()
      throw err
    }
  }

  /** Keeps `entry` (after every entry kept before it). */
  add(entry: ItemSqlEntry): void {
    this.#pending.push(entry)
    if (this.#pending.length >= BATCH) this.#flush()
  }

  /** Forgets every entry (a kind read again from its start). */
  clear(): void {
    this.#pending = []
    this.#db.exec('DELETE FROM items')
  }

  *entries(): Generator<ItemSqlEntry> {
    this.#flush()
    let after = 0
    for (;;) {
      // A page at a time: the connection answers `find` between two pages.
      const rows = this.#page.all(after, BATCH) as { seq: number; entry: string }[]
      for (const r of rows) yield JSON.parse(r.entry) as ItemSqlEntry
      if (rows.length < BATCH) return
      after = (rows[rows.length - 1] as { seq: number }).seq
    }
  }

  get(id: string): Target | undefined {
    this.#flush()
    const row = this.#find.get(id) as { found: string } | undefined
    return row === undefined ? undefined : (JSON.parse(row.found) as Target)
  }

  entry(id: string): ItemSqlEntry | undefined {
    this.#flush()
    const row = this.#entry.get(id) as { entry: string } | undefined
    return row === undefined ? undefined : (JSON.parse(row.entry) as ItemSqlEntry)
  }

  close(): void {
    this.#pending = []
    this.#db.close()
  }

  #flush(): void {
    if (this.#pending.length === 0) return
    const batch = this.#pending
    this.#pending = []
    this.#db.transaction(() => {
      for (const e of batch) {
        const found: Target = { name: e.name, schemaId: e.schemaId, statement: e.statement && { kind: e.statement.kind } }
        this.#upsert.run(e.id, JSON.stringify(found), JSON.stringify(e))
      }
    })
  }
}
