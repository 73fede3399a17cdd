/**
 * Traces: a collection's updates as the operator sees them (Materialize's `Trace`), decoded into
 * proto-ordered keys and values, from the store's lookup index (one collection never reads
 * another's rows).
 *
 * - Unconsolidated: every update still stored, at the timestamp it was written, streamed in
 *   bounded memory in timestamp order (updates of one timestamp by stored text, then diff: the
 *   store's total order, so a trace does not depend on the order rows were appended in).
 * - Consolidated: the current contents at the read point (every diff summed per row, zeros
 *   dropped), sorted by the key's proto order as Materialize's dump lists them. As entries this
 *   loads the collection (it must sort it); for printing it consolidates and sorts in bounded
 *   memory, spilling sorted runs to a temporary file past a budget ({@link traceDisplayConsolidated});
 *   unordered, it holds only a batch ({@link traceCurrentUnordered}).
 *
 * A row that does not decode is reported as an `undecodable` entry with its stored text and the
 * reason; it never stops a trace (Materialize's tool panics there, issue #26109). Rows are decoded
 * with the schema of the catalog's own version first, then with the other supported versions, so
 * that retractions written by an older build still read as rows.
 */

import type { ShardStore, Update } from '../store/shard-store.js'
import { canonicalJson, compareCodePoints, displayJson, type JsonValue } from '../json/lossless-json.js'
import { decodeRow, rowLookup, sortKeyOrder, sortValueOrder, type CollectionRow } from './codec/row-codec.js'
import { rowDisplay } from './codec/row-display.js'
import { COLLECTION_KINDS, isLargeCollection, type CollectionName } from './kinds/collections.js'
import { isKindName, KIND_NAMES } from './kinds/kind-names.js'
import { CATALOG_VERSIONS } from './kinds/versions.js'
import { CATALOG_VERSION } from './constants.js'
import { consolidateRuns } from '../store/consolidate-runs.js'

/** One entry of a trace. Keys and values are the codec's decoded values (proto declaration order). */
export type TraceEntry =
  | {
      readonly type: 'row'
      readonly collection: CollectionName
      readonly key: JsonValue
      /** `null` for the key-only collections (`audit_log`, `storage_usage`). */
      readonly value: JsonValue | null
      readonly ts: bigint
      readonly diff: bigint
      /** Set when the row decoded only with an older catalog version's schema than the catalog's. */
      readonly decodedWith?: number
    }
  | {
      readonly type: 'undecodable'
      /** The collection whose lookup the row was found under (absent for rows of no known kind). */
      readonly collection?: CollectionName
      /** The stored text, exactly. */
      readonly raw: string
      /** Why it does not decode (one line, naming the field). */
      readonly reason: string
      readonly ts: bigint
      readonly diff: bigint
    }

/**
 * A trace entry for printing: a row's key and value as their display JSON (what `displayJson`
 * prints for the decoded key and value: proto declaration order, exact integers, `null` for the
 * value of the key-only collections), or an undecodable row as in {@link TraceEntry}.
 */
export type DisplayTraceEntry =
  | {
      readonly type: 'row'
      readonly key: string
      readonly value: string
      readonly ts: bigint
      readonly diff: bigint
    }
  | Extract<TraceEntry, { type: 'undecodable' }>

/** Entries per batch of a consolidated display trace (an unconsolidated one has the store's batches).
 * @public Loaded lazily: `unopened-catalog.ts` calls it through the module object.
 */
export const DISPLAY_BATCH_ROWS = 256

/** Counts of a trace (Materialize's dump statistics). */
export interface TraceStats {
  readonly total: bigint
  readonly additions: bigint
  readonly retractions: bigint
}

export interface TraceOptions {
  /** Sum diffs per row and drop zeros (the current contents) instead of listing every update. */
  readonly consolidated: boolean
  /**
   * Report every update at the read point, as a persist snapshot does (and so Materialize's
   * trace), instead of at the timestamp it was written at. Consolidated traces always do.
   */
  readonly atReadPoint?: boolean
  /**
   * With `consolidated`: hand the current rows out in no particular order, in bounded memory
   * (for readers that index what they read).
   */
  readonly unordered?: boolean
  /** With `unordered`: called with the number of stored updates each read step took in. */
  readonly onRead?: (updates: number) => void
}

/** The versions to try, the catalog's own first, then newest to oldest. */
export function decodeVersions(catalogVersion: bigint | null): number[] {
  const own =
    catalogVersion !== null && CATALOG_VERSIONS.some((v) => BigInt(v) === catalogVersion) ? Number(catalogVersion) : CATALOG_VERSION
  return [own, ...[...CATALOG_VERSIONS].reverse().filter((v) => v !== own)]
}

/** Decodes one stored update into a trace entry (never throws). */
export function traceEntry(u: Update, collection: CollectionName, versions: readonly number[]): TraceEntry {
  let loose: { row: CollectionRow; version: number } | undefined
  let firstFailure: string | undefined
  for (const version of versions) {
    const r = decodeRow(u.data, version)
    if (!r.ok) {
      firstFailure ??= r.reason
      continue
    }
    if (r.row.kind === 'Epoch' || r.row.collection !== collection) {
      firstFailure ??= `a ${r.row.kind} row listed under ${collection}`
      continue
    }
    if (r.row.exact) return rowEntry(r.row, u, version, versions[0] as number)
    loose ??= { row: r.row, version }
  }
  if (loose !== undefined) return rowEntry(loose.row, u, loose.version, versions[0] as number)
  return { type: 'undecodable', collection, raw: u.data, reason: firstFailure ?? 'does not decode', ts: u.ts, diff: u.diff }
}

function rowEntry(row: CollectionRow, u: Update, version: number, preferred: number): TraceEntry {
  const base = { type: 'row' as const, collection: row.collection, key: row.key, value: row.value, ts: u.ts, diff: u.diff }
  return version === preferred ? base : { ...base, decodedWith: version }
}

/** The display form of a decoded trace entry. */
export function displayEntry(e: TraceEntry): DisplayTraceEntry {
  if (e.type === 'undecodable') return e
  return { type: 'row', key: displayJson(e.key), value: displayJson(e.value), ts: e.ts, diff: e.diff }
}

/**
 * The unconsolidated trace of one collection at `asOf` for printing, in the store's batches, in
 * its stream order (timestamp order, ties by stored
 * text). The same entries as {@link traceUnconsolidated} through {@link displayEntry}, but rows the
 * catalog's own version decodes exactly skip building the decoded values (`codec/row-display.ts`).

 * @public Loaded lazily: `unopened-catalog.ts` calls it through the module object.
 */
export async function* traceDisplayUnconsolidated(
  store: ShardStore,
  shard: string,
  asOf: bigint,
  collection: CollectionName,
  versions: readonly number[],
): AsyncGenerator<DisplayTraceEntry[]> {
  const kind = COLLECTION_KINDS[collection]
  const fast = rowDisplay(collection, versions[0] as number)
  for await (const updates of store.snapshotBatches(shard, asOf, { where: { a: kind }, keepTimestamps: true })) {
    const batch: DisplayTraceEntry[] = new Array<DisplayTraceEntry>(updates.length)
    for (let i = 0; i < updates.length; i++) {
      const u = updates[i] as Update
      const kv = fast(u.data)
      batch[i] =
        kv !== undefined
          ? { type: 'row', key: kv[0], value: kv[1], ts: u.ts, diff: u.diff }
          : displayEntry(traceEntry(u, collection, versions))
    }
    yield batch
  }
}

/** Streams the unconsolidated trace of one collection at `asOf`, in timestamp order.
 * @public Loaded lazily: `unopened-catalog.ts` calls it through the module object.
 */
export async function* traceUnconsolidated(
  store: ShardStore,
  shard: string,
  asOf: bigint,
  collection: CollectionName,
  versions: readonly number[],
): AsyncGenerator<TraceEntry> {
  const kind = COLLECTION_KINDS[collection]
  for await (const u of store.snapshotStream(shard, asOf, { where: { a: kind }, keepTimestamps: true })) {
    yield traceEntry(u, collection, versions)
  }
}

/**
 * The consolidated trace of one collection at `asOf` in no particular order, for readers that
 * index what they read (by id, by name) rather than print it: the store streams the collection in
 * lookup order, where the updates of one row are adjacent, so each run is summed as it passes and
 * each current row is decoded as it is handed out and let go; nothing is held but a batch.
 * @public Loaded lazily: `unopened-catalog.ts` calls it through the module object.
 */
export async function* traceCurrentUnordered(
  store: ShardStore,
  shard: string,
  asOf: bigint,
  collection: CollectionName,
  versions: readonly number[],
  onRead?: (updates: number) => void,
): AsyncGenerator<TraceEntry> {
  const batches = store.snapshotBatches(shard, asOf, { where: { a: COLLECTION_KINDS[collection] }, order: 'lookup' })
  for await (const batch of consolidateRuns(onRead === undefined ? batches : counted(batches, onRead))) {
    for (const u of batch) yield traceEntry(u, collection, versions)
  }
}

async function* counted<T>(batches: AsyncIterable<readonly T[]>, onRead: (n: number) => void): AsyncGenerator<readonly T[]> {
  for await (const batch of batches) {
    onRead(batch.length)
    yield batch
  }
}

/** The consolidated trace of one collection at `asOf`, sorted by key (then value).
 * @public Loaded lazily: `unopened-catalog.ts` calls it through the module object.
 */
export async function traceConsolidated(
  store: ShardStore,
  shard: string,
  asOf: bigint,
  collection: CollectionName,
  versions: readonly number[],
): Promise<TraceEntry[]> {
  const kind = COLLECTION_KINDS[collection]
  const rows = await store.snapshot(shard, asOf, { where: { a: kind } })
  return rows.map((u) => traceEntry(u, collection, versions)).sort(entryComparator(kind))
}

/** The order of a consolidated trace: rows by key, then value, then diff (unless not `withDiff`); undecodable rows last, by text. */
export function entryComparator(
  kind: (typeof COLLECTION_KINDS)[CollectionName],
  withDiff = true,
): (a: TraceEntry, b: TraceEntry) => number {
  const byKey = safeComparator(sortKeyOrder(kind))
  const byValue = safeComparator(sortValueOrder(kind))
  return (a, b) => {
    if (a.type === 'row' && b.type === 'row')
      return byKey(a.key, b.key) || byValue(a.value, b.value) || (withDiff ? cmpBig(a.diff, b.diff) : 0)
    if (a.type === 'row') return -1
    if (b.type === 'row') return 1
    return compareCodePoints(a.raw, b.raw)
  }
}

/** Counts a collection's updates at `asOf` without decoding them. */
export async function traceStats(
  store: ShardStore,
  shard: string,
  asOf: bigint,
  collection: CollectionName,
  opts: TraceOptions,
): Promise<TraceStats> {
  const kind = COLLECTION_KINDS[collection]
  if (!opts.consolidated) return store.countUpdates(shard, asOf, { a: kind })
  let additions = 0n
  let retractions = 0n
  let total = 0n
  for (const u of await store.snapshot(shard, asOf, { where: { a: kind } })) {
    total++
    if (u.diff > 0n) additions++
    else retractions++
  }
  return { total, additions, retractions }
}

/**
 * {@link traceStats} of several collections at `asOf`. Unconsolidated, when a large collection is
 * among them, one count over the shard grouped by kind: the shard is mostly the large collections,
 * and one pass in time order costs less than a count per collection.

 * @public Loaded lazily: `unopened-catalog.ts` calls it through the module object.
 */
export async function traceStatsMany(
  store: ShardStore,
  shard: string,
  asOf: bigint,
  collections: readonly CollectionName[],
  opts: TraceOptions,
): Promise<Map<CollectionName, TraceStats>> {
  const out = new Map<CollectionName, TraceStats>()
  if (opts.consolidated || !collections.some(isLargeCollection)) {
    for (const c of collections) out.set(c, await traceStats(store, shard, asOf, c, opts))
    return out
  }
  const byKind = await store.countUpdatesByLookupA(shard, asOf)
  for (const c of collections) out.set(c, byKind.get(COLLECTION_KINDS[c]) ?? { total: 0n, additions: 0n, retractions: 0n })
  return out
}

/**
 * Streams the updates that belong to no collection: rows that are not JSON objects, have no or
 * an unknown `kind`. They are not under any kind's lookup value, so only the rows whose lookup
 * value is none of the kinds are read (the store skips the others in its index).

 * @public Loaded lazily: `unopened-catalog.ts` calls it through the module object.
 */
export async function* traceUnattributed(store: ShardStore, shard: string, asOf: bigint): AsyncGenerator<TraceEntry> {
  for await (const u of store.snapshotStream(shard, asOf, { exceptA: KIND_NAMES, keepTimestamps: true })) {
    const [kind] = rowLookup(u.data)
    if (kind !== null && isKindName(kind)) continue
    const r = decodeRow(u.data)
    yield { type: 'undecodable', raw: u.data, reason: r.ok ? 'not a collection row' : r.reason, ts: u.ts, diff: u.diff }
  }
}

function safeComparator(cmp: (a: JsonValue, b: JsonValue) => number): (a: JsonValue, b: JsonValue) => number {
  return (a, b) => {
    try {
      return cmp(a, b)
    } catch {
      // Values decoded with another version's schema may hold a variant this one lacks: order
      // them by their stored form instead, which is still a total order.
      return compareCodePoints(canonicalJson(a), canonicalJson(b))
    }
  }
}

function cmpBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0
}
