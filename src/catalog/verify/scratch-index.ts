/**
 * Where `verify` keeps what grows with a catalog while it checks it: a scratch database
 * (`store/sqlite/scratch-database.ts`: private, temporary, a bounded page cache, spilling to an
 * unlinked file in TMPDIR). It holds the facts of every item (`item-table.ts`), the ids of the
 * large collections, and the rows of the collections that grow with the items (comments, gid
 * mappings, introspection indexes, privileges), as stored text decoded again when a check reads
 * them. The small collections (databases, schemas, roles, clusters, replicas, allocators …) stay
 * decoded in memory: the checks look them up by id at every item.
 *
 * Everything is written in one transaction while the rows stream by; indexes are made after.
 */

import { openScratchDatabase, type ScratchDatabase } from '../../store/sqlite/scratch-database.js'
import { decodeRow, type CollectionRow } from '../codec/row-codec.js'
import { LARGE_COLLECTIONS, type CollectionName } from '../kinds/collections.js'
import { BatchedInsert } from './batched-insert.js'
import { ItemTable, fromStored, toStored } from './item-table.js'

/** A large collection's code in the id table: its place among the large collections. */
const LARGE = LARGE_COLLECTIONS

/** The page cache of a check's scratch database: the most of it held in memory. */
const CACHE_KIB = 8 * 1024

/** Collections whose rows grow with the items: held as stored text on disk, not decoded in memory. */
const SPILLED: ReadonlySet<CollectionName> = new Set([
  'comments',
  'system_gid_mapping',
  'compute_introspection_source_index',
  'default_privileges',
  'system_privileges',
])

export const isSpilled = (c: CollectionName): boolean => SPILLED.has(c)

/** The ids in use of a large collection, and the stored text of the row of the highest. */
export interface LargeIds {
  readonly count: number
  readonly max: bigint | undefined
  /** The text of the row the highest id was first read in. */
  readonly maxText: string | undefined
  /** The ids at or above `next`: how many, and the highest. */
  above(next: bigint): { count: number; worst: bigint } | undefined
}

export class ScratchIndex {
  readonly #db: ScratchDatabase
  readonly items: ItemTable
  readonly #insertRow: BatchedInsert
  readonly #insertId: BatchedInsert
  readonly #max = new Map<CollectionName, { id: bigint; text: string }>()
  #rows = 0
  #open = true

  constructor() {
    this.#db = openScratchDatabase({ cacheKiB: CACHE_KIB })
    try {
      this.#db.exec(`CREATE TABLE spilled (seq INTEGER PRIMARY KEY, collection TEXT NOT NULL, raw TEXT NOT NULL);
        CREATE TABLE large_id (collection INTEGER NOT NULL, id INTEGER NOT NULL)`)
      this.items = new ItemTable(this.#db)
      this.#insertRow = new BatchedInsert(this.#db, 'spilled', 3)
      this.#insertId = new BatchedInsert(this.#db, 'large_id', 2)
      this.#db.exec('BEGIN')
    } catch (e) {
      this.#db.close()
      throw e
    }
  }

  /** Keeps a row of a {@link isSpilled} collection. */
  addRow(row: CollectionRow): void {
    this.#insertRow.add(++this.#rows, row.collection, row.raw)
  }

  /** Keeps an id of a large collection, read in the row whose text is `raw`. */
  addLargeId(collection: CollectionName, id: bigint, raw: string): void {
    this.#insertId.add(LARGE.indexOf(collection), toStored(id))
    const max = this.#max.get(collection)
    if (max === undefined || id > max.id) this.#max.set(collection, { id, text: raw })
  }

  /** Ends loading: commits and makes the indexes the checks read by. */
  finish(): void {
    this.#insertRow.flush()
    this.#insertId.flush()
    this.items.flush()
    this.#db.exec('COMMIT')
    this.#db.exec('CREATE INDEX spilled_collection ON spilled (collection, seq)')
    this.items.finish()
  }

  /** The rows of a spilled collection, decoded again from their text, in the order read. */
  *rows(collection: CollectionName, version: number): IterableIterator<CollectionRow> {
    const query = this.#db.prepare('SELECT raw FROM spilled WHERE collection = ? ORDER BY seq')
    for (const r of query.iterate(collection)) {
      const d = decodeRow(r.raw as string, version)
      if (d.ok && d.row.kind !== 'Epoch') yield d.row
    }
  }

  /** The ids of a large collection; `undefined` when no row of it held one. */
  largeIds(collection: CollectionName): LargeIds | undefined {
    const max = this.#max.get(collection)
    if (max === undefined) return undefined
    const code = LARGE.indexOf(collection)
    const n = this.#db.prepare('SELECT count(*) AS n FROM large_id WHERE collection = ?').get(code) as { n: bigint }
    const above = this.#db.prepare('SELECT count(*) AS n, max(id) AS m FROM large_id WHERE collection = ? AND id >= ?')
    return {
      count: Number(n.n),
      max: max.id,
      maxText: max.text,
      above: (next) => {
        if (next > max.id) return undefined
        const r = above.get(code, next < 0n ? -(1n << 63n) : toStored(next)) as { n: bigint; m: bigint | null }
        return r.m === null ? undefined : { count: Number(r.n), worst: fromStored(r.m) }
      },
    }
  }

  /** Drops the database (its file is already unlinked). Safe to call twice. */
  close(): void {
    if (!this.#open) return
    this.#open = false
    this.#db.close()
  }
}
