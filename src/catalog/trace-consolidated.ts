/**
 * The consolidated trace of one collection for printing (`dump --consolidate`), in bounded memory:
 * summed and sorted by `spilling-sort.ts`, ordered as `traceConsolidated` (`trace.ts`) orders it.
 */
import type { ShardStore } from '../store/shard-store.js'
import { exactRowKeyEnd, rowDisplay } from './codec/row-display.js'
import { sortPrefixer, textSortPrefixer } from './codec/sort-prefix.js'
import { CATALOG_VERSION } from './constants.js'
import { COLLECTION_KINDS, type CollectionName } from './kinds/collections.js'
import { kindsForVersion } from './kinds/schema-sets.js'
import { ConsolidatingSort, type SortRow } from './spilling-sort.js'
import {
  DISPLAY_BATCH_ROWS,
  displayEntry,
  entryComparator,
  traceEntry,
  type DisplayTraceEntry,
  type TraceEntry,
  type TraceStats,
} from './trace.js'

/** A consolidated trace ready to print: its statistics, then its entries in batches, each once. */
export interface ConsolidatedDisplay {
  readonly stats: TraceStats
  /** The entries in `traceConsolidated` (`trace.ts`)'s order, as {@link displayEntry} shows them; iterate once. */
  batches(): Generator<DisplayTraceEntry[]>
}

/** Options of {@link traceDisplayConsolidated}. */
export interface ConsolidatedDisplayOptions {
  /**
   * Memory for sorting one collection's current rows (their stored text plus a fixed cost per
   * row); past it, sorted runs go to a temporary file and are merged (`spilling-sort.ts`).
   */
  readonly sortMemoryBytes?: number
}

/** What precedes a row's key in its canonical text. */
const KEY_PREFIX = '{"key":'

/** The default of {@link ConsolidatedDisplayOptions.sortMemoryBytes}: 4 MiB (the heap it takes is a few times that). */
const DEFAULT_SORT_MEMORY_BYTES = 4 << 20

/**
 * `traceConsolidated` (`trace.ts`) for printing, in memory bounded whatever the collection's size: the
 * collection's updates stream by in time order and are summed per row in a buffer of
 * `sortMemoryBytes`; a full buffer's rows are decoded once each to take their key's sort prefix
 * (`codec/sort-prefix.ts`; of a row the catalog's version decodes exactly, read from the key's
 * text after a scan checks the row, nothing parsed), sorted, and written to a temporary file as a sorted run, and the runs
 * are merged, adding up the partial sums of each row (`spilling-sort.ts`). The sort keeps stored
 * text and a short prefix per row; rows whose prefixes are equal are decoded again and compared as
 * `traceConsolidated` (`trace.ts`) compares them, which gives the same order. Display forms are made
 * batch by batch as they are printed.

 * @public Loaded lazily: `unopened-catalog.ts` calls it through the module object.
 */
export async function traceDisplayConsolidated(
  store: ShardStore,
  shard: string,
  asOf: bigint,
  collection: CollectionName,
  versions: readonly number[],
  opts: ConsolidatedDisplayOptions = {},
): Promise<ConsolidatedDisplay> {
  const kind = COLLECTION_KINDS[collection]
  const byEntry = entryComparator(kind, false)
  const entryOf = (data: string) => traceEntry({ data, ts: asOf, diff: 1n }, collection, versions)
  const keySchema = kindsForVersion(CATALOG_VERSION).kind(kind).key
  const keyPrefix = sortPrefixer(keySchema)
  // A row the catalog's version decodes exactly (nearly every row) is that decode in `traceEntry`:
  // its key's prefix is read from the key's text, nothing parsed or decoded.
  const keyEnd = versions[0] === CATALOG_VERSION ? exactRowKeyEnd(collection, CATALOG_VERSION) : () => -1
  const textPrefix = textSortPrefixer(keySchema)
  // Rows whose prefixes tie are compared decoded; a row meets several others while a run is sorted
  // or merged (a heap's head, each comparison of a sort), so each is decoded once and remembered
  // for as long as the row object lives.
  const entries = new WeakMap<SortRow, TraceEntry>()
  const decoded = (r: SortRow): TraceEntry => {
    let e = entries.get(r)
    if (e === undefined) {
      e = entryOf(r.data)
      entries.set(r, e)
    }
    return e
  }
  const sort = new ConsolidatingSort({
    prefixOf: (data) => {
      if (keyEnd(data) >= 0) return textPrefix(data, KEY_PREFIX.length)
      const e = entryOf(data)
      return e.type === 'row' ? keyPrefix(e.key) : undefined
    },
    compareRows: (a, b) => byEntry(decoded(a), decoded(b)),
    memoryBytes: opts.sortMemoryBytes ?? DEFAULT_SORT_MEMORY_BYTES,
  })
  let counts: { rows: number; additions: number }
  try {
    // Time order: the stream reads the table about in the order it was written.
    for await (const batch of store.snapshotBatches(shard, asOf, { where: { a: kind } })) for (const u of batch) sort.add(u.data, u.diff)
    counts = sort.finish()
  } catch (err) {
    sort.close()
    throw err
  }
  const stats = { total: BigInt(counts.rows), additions: BigInt(counts.additions), retractions: BigInt(counts.rows - counts.additions) }
  const fast = rowDisplay(collection, versions[0] as number)
  return {
    stats,
    *batches() {
      let batch: DisplayTraceEntry[] = []
      for (const r of sort.rows()) {
        const kv = fast(r.data)
        batch.push(
          kv !== undefined
            ? { type: 'row', key: kv[0], value: kv[1], ts: asOf, diff: r.diff }
            : displayEntry(traceEntry({ data: r.data, ts: asOf, diff: r.diff }, collection, versions)),
        )
        if (batch.length === DISPLAY_BATCH_ROWS) {
          yield batch
          batch = []
        }
      }
      if (batch.length > 0) yield batch
    },
  }
}
