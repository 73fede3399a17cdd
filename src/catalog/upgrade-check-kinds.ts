/**
 * The upgrade check's pass over the small collections (`upgrade-check.ts` runs it between the
 * migrations and the large collections): every current row must decode at catalog version 47,
 * the state must be consistent, and every item's SQL must plan. The savepoint holds the kinds the
 * migrations touch; the items ({@link STREAMED_KINDS}) are read from the store key by key
 * (`streamed-kind.ts`), and their SQL entries kept on disk (`scratch-items.ts`) for the checks
 * that look items up by id, so the pass holds no catalog's worth of anything.
 */

import { decodeRow, type DecodeRowResult } from './codec/row-codec.js'
import { isLargeKind, KIND_COLLECTIONS, type CollectionName } from './kinds/collections.js'
import { KIND_NAMES, type CollectionKindName, type KindName } from './kinds/kind-names.js'
import { CATALOG_VERSION, USER_VERSION_KEY } from './constants.js'
import { checkItemSqlOf, itemSqlEntry } from './sql/index.js'
import { ScratchItems } from './scratch-items.js'
import { decodeCommittedEntry, type DurableCatalog } from './durable-catalog.js'
import type { UnopenedCatalog } from './unopened-catalog.js'
import type { StoredRow } from './catalog-reads.js'
import type { CommittedEntry } from './table-transaction.js'
import { replayStreamedKind } from './streamed-kind.js'
import { decodeVersions } from './trace.js'
import type { Counter } from './upgrade-check.js'

/**
 * The cached kinds the check reads from the store key by key instead of holding them in the
 * savepoint (`streamed-kind.ts`): the items, most of a catalog's memory. The migrations never read
 * them, and the check reads each once.
 */
export const STREAMED_KINDS: readonly CollectionKindName[] = ['Item']

const keep = (text: string): string => text

export function strictDecode(text: string): DecodeRowResult {
  return decodeRow(text, CATALOG_VERSION, { strict: true })
}

export function decodeMessage(r: DecodeRowResult, text: string, collection: CollectionName): string | undefined {
  return r.ok ? undefined : `${collection}: row does not decode at catalog version ${CATALOG_VERSION}: ${r.reason}: ${text.slice(0, 300)}`
}

/** What {@link smallKindProblems} finds. */
export interface SmallKindProblems {
  /** Per small kind, its rows that would not decode at version 47 after the migrations. */
  readonly undecodable: Map<KindName, string[]>
  /** The inconsistencies of the migrated contents (anomalies, a wrong `user_version`). */
  readonly inconsistent: string[]
  /** Items whose SQL would not plan (see {@link itemSqlProblems}). */
  readonly itemSql: string[]
}

/**
 * The problems of the small collections, from the migrated in-memory state and, for the kinds it
 * leaves out ({@link STREAMED_KINDS}: never migrated), from the store key by key: rows that would
 * not decode at version 47, inconsistencies, and the items' SQL. (The large collections are
 * streamed from the store: they are never migrated.)
 *
 * Each item's SQL entry is taken from the decode of its latest row, so that an item is decoded
 * once: a row that decodes strictly at the catalog's version is exactly what the collection's rows
 * yield for it; any other row is decoded as they decode it.
 */
export async function smallKindProblems(unopened: UnopenedCatalog, catalog: DurableCatalog, counter: Counter): Promise<SmallKindProblems> {
  const items = new ScratchItems()
  try {
    return await kindProblems(unopened, catalog, counter, items)
  } finally {
    items.close()
  }
}

async function kindProblems(
  unopened: UnopenedCatalog,
  catalog: DurableCatalog,
  counter: Counter,
  items: ScratchItems,
): Promise<SmallKindProblems> {
  const undecodable = new Map<KindName, string[]>()
  const streamedAnomalies = new Map<CollectionKindName, readonly string[]>()
  const versions = decodeVersions(catalog.userVersion ?? null)
  for (const kind of KIND_NAMES) {
    if (kind === 'Epoch' || isLargeKind(kind)) continue
    const collection = KIND_COLLECTIONS[kind as CollectionKindName]
    /** Checks one key's rows: each must decode; an item's latest row gives its SQL entry. */
    const check = (e: CommittedEntry, errors: string[]): void => {
      const rows = e.rows
      for (let i = 0; i < rows.length; i++) {
        const text = (rows[i] as StoredRow).data
        const r = strictDecode(text)
        const error = decodeMessage(r, text, collection)
        if (error !== undefined) errors.push(error)
        if (kind === 'Item' && i === rows.length - 1) {
          const own =
            r.ok && versions[0] === CATALOG_VERSION && r.row.kind === 'Item' ? r.row : decodeCommittedEntry(e, collection, versions)
          // Written out at once (`scratch-items.ts`): its texts need no copies of their own.
          const entry = itemSqlEntry({ key: own.key, value: own.value }, keep)
          if (entry !== undefined) items.add(entry)
        }
      }
    }
    if (catalog.state.holds(kind as CollectionKindName)) {
      const errors: string[] = []
      for (const e of catalog.state.table(kind as CollectionKindName).values()) {
        check(e, errors)
        counter.tick(e.rows.length)
      }
      undecodable.set(kind, errors)
      continue
    }
    const streamed = await replayStreamedKind(
      unopened.store,
      unopened.shards.catalog,
      catalog.upper - 1n,
      kind as CollectionKindName,
      () => {
        const errors: string[] = []
        if (kind === 'Item') items.clear()
        return { key: (k) => check(k.entry, errors), finish: () => errors }
      },
      (n) => counter.tick(n),
    )
    undecodable.set(kind, streamed.result)
    streamedAnomalies.set(kind as CollectionKindName, streamed.anomalies)
  }
  const inconsistent = catalog.state.anomaliesWith(streamedAnomalies).map((a) => `inconsistent catalog: ${a}`)
  if (catalog.state.config(USER_VERSION_KEY) !== BigInt(CATALOG_VERSION))
    inconsistent.push(`user_version is not ${CATALOG_VERSION} after the migrations`)
  return { undecodable, inconsistent, itemSql: itemSqlProblems(catalog, items) }
}

/**
 * Items whose `create_sql` Materialize could not parse or resolve when it opens the catalog, from
 * the items' entries (taken by {@link smallKindProblems}: only what the checks need of each item).
 */
function itemSqlProblems(catalog: DurableCatalog, items: ScratchItems): string[] {
  return checkItemSqlOf(items, {
    schemas: catalog.collection('schema'),
    databases: catalog.collection('database'),
    clusters: catalog.collection('compute_instance'),
    comments: catalog.collectionRows('comments'),
  }).map((f) => f.message)
}
