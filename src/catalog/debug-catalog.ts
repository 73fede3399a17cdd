/**
 * The debug mode (Materialize's `DebugCatalogState`): edit or delete one key of one collection,
 * bypassing every rule of the catalog but the schemas, and list a key's history.
 *
 * An edit or delete is one attempt: read the upper, the epoch and the key's current value(s)
 * through the lookup index (so its cost does not depend on the catalog's size), then append, in
 * ONE compare-and-append at the upper just read: the retraction of every current value (with its
 * stored text, so it cancels exactly), the new value, and the epoch bump (retract `Epoch(e)`,
 * insert `Epoch(e + 1)`), which fences out any running writer. If the upper moved meanwhile the
 * attempt throws {@link UpperMismatchError}, a transient error: the retry policy runs the whole
 * attempt again, re-reading everything, so concurrent edits all land and none is lost.
 */

import { AmbiguousKeyError, SinceError, UninitializedError, UpperMismatchError, UsageError } from '../errors.js'
import type { ShardStore, Update } from '../store/shard-store.js'
import { canonicalJson, displayJson, isJsonObject, parseJson, type JsonValue } from './codec/json.js'
import { encodeEpochRow, encodeRow, keyLookup, parseUserKey, parseUserValue } from './codec/row-codec.js'
import { COLLECTION_KINDS, parseCollectionName, type CollectionName } from './kinds/collections.js'
import type { CatalogShardIds } from './catalog-shards.js'
import { atConsistentPoint, currentReadPoint, readConfigs, readEpoch, readRows, type ReadPoint } from './catalog-reads.js'
import { USER_VERSION_KEY } from './constants.js'
import { downgradeCriticalSince, openCriticalSince } from './critical-since.js'
import { debugUpperMismatch } from './fencing.js'
import { decodeVersions, traceEntry } from './trace.js'

export interface DebugWriteOptions {
  /** Compute the result but write nothing. */
  readonly dryRun?: boolean
}

/** The outcome of {@link DebugCatalog.edit}. Keys and values in proto declaration order. */
export interface EditResult {
  readonly collection: CollectionName
  readonly key: JsonValue
  /** The value the key had (`null`: it was absent). */
  readonly previous: JsonValue | null
  readonly value: JsonValue
  /** Whether the new value differs from the current one (identical: nothing is written). */
  readonly changed: boolean
  /** Whether the change was appended (false for a dry run or no change). */
  readonly committed: boolean
  /** The epoch bump that goes with the change (planned, for a dry run). Absent when nothing changes. */
  readonly epoch?: { readonly from: bigint; readonly to: bigint }
}

/** The outcome of {@link DebugCatalog.delete}. */
export interface DeleteResult {
  readonly collection: CollectionName
  readonly key: JsonValue
  /** The values retracted (normally one; several when the catalog held several for the key). */
  readonly deleted: JsonValue[]
  /** Whether the key was present (absent: nothing is written). */
  readonly found: boolean
  readonly committed: boolean
  readonly epoch?: { readonly from: bigint; readonly to: bigint }
}

/** One version of a key: the value, when it was written, and when retracted (`null`: current). */
export interface HistoryEntry {
  /** The decoded value (`null` for key-only collections or an undecodable row). */
  readonly value: JsonValue | null
  readonly writtenAt: bigint
  readonly retractedAt: bigint | null
  /** The stored text. */
  readonly raw: string
  /** Why the row does not decode, when it does not. */
  readonly undecodable?: string
}

/** The current rows of one key at a read point. */
interface KeyState {
  readonly point: ReadPoint
  readonly epoch: bigint
  readonly epochTexts: readonly string[]
  /** Stored texts of the current values, one per copy (normally zero or one). */
  readonly current: readonly string[]
  /** Rows whose consolidated diff is negative (an inconsistency). */
  readonly negative: readonly Update[]
  readonly versions: number[]
}

export class DebugCatalog {
  readonly #store: ShardStore
  readonly shards: CatalogShardIds
  #criticalReaderOpen = false

  /** @internal Use `UnopenedCatalog.openDebug()`. */
  constructor(store: ShardStore, shards: CatalogShardIds) {
    this.#store = store
    this.shards = shards
  }

  /**
   * Sets `key` of `collection` to `value` (JSON text or parsed values; field order and spacing do
   * not matter). Returns the previous value. Throws `UsageError`/`ValidationError` for a bad
   * collection, key or value, {@link UninitializedError} for a catalog without an epoch,
   * {@link AmbiguousKeyError} when the key holds several values (delete it first), and
   * {@link UpperMismatchError} (transient) when another writer got in between.
   */
  async edit(collectionName: string, keyInput: string | JsonValue, valueInput: string | JsonValue, opts: DebugWriteOptions = {}): Promise<EditResult> {
    const collection = parseDebugCollection(collectionName)
    const kind = COLLECTION_KINDS[collection]
    const key = parseUserKey(collection, keyInput)
    const value = parseUserValue(collection, valueInput)
    const newText = encodeRow(kind, key, value)
    const s = await this.#readKey(collection, key)
    if (s.current.length > 1 || s.negative.length > 0) throw ambiguous(collection, key, s)

    const previousText = s.current[0]
    const previous = previousText === undefined ? null : this.#decodeValue(previousText, collection, s.versions)
    const base = { collection, key, previous, value }
    if (previousText !== undefined && canonicalOrSelf(previousText) === newText) {
      return { ...base, changed: false, committed: false }
    }
    const epoch = { from: s.epoch, to: s.epoch + 1n }
    if (opts.dryRun === true) return { ...base, changed: true, committed: false, epoch }
    await this.#append(s, [...s.current.map((data) => ({ data, diff: -1n })), { data: newText, diff: 1n }])
    return { ...base, changed: true, committed: true, epoch }
  }

  /**
   * Retracts every current value of `key`. An absent key writes nothing (`found: false`). Same
   * errors as {@link edit}, except that several values are all deleted (this is how an ambiguous
   * key is repaired).
   */
  async delete(collectionName: string, keyInput: string | JsonValue, opts: DebugWriteOptions = {}): Promise<DeleteResult> {
    const collection = parseDebugCollection(collectionName)
    const key = parseUserKey(collection, keyInput)
    const s = await this.#readKey(collection, key)
    const deleted = s.current.map((t) => this.#decodeValue(t, collection, s.versions))
    const base = { collection, key, deleted }
    if (s.current.length === 0) return { ...base, found: false, committed: false }
    const epoch = { from: s.epoch, to: s.epoch + 1n }
    if (opts.dryRun === true) return { ...base, found: true, committed: false, epoch }
    await this.#append(s, s.current.map((data) => ({ data, diff: -1n })))
    return { ...base, found: true, committed: true, epoch }
  }

  /**
   * Every version of one key, oldest first: the value, the timestamp that wrote it and the one
   * that retracted it (`null` while current). Read through the lookup index. Never writes.
   */
  async history(collectionName: string, keyInput: string | JsonValue): Promise<HistoryEntry[]> {
    const collection = parseDebugCollection(collectionName)
    const kind = COLLECTION_KINDS[collection]
    const key = parseUserKey(collection, keyInput)
    const { versions, rows } = await atConsistentPoint(this.#store, this.shards.catalog, async (point) => {
      if (point === null) throw new UninitializedError()
      const versions = await this.#versions(point.asOf)
      const rows = await readRows(this.#store, this.shards.catalog, point.asOf, kind, keyLookup(kind, key)[1], { keepTimestamps: true })
      return { versions, rows }
    })
    rows.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.diff < b.diff ? -1 : a.diff > b.diff ? 1 : 0))
    const out: { entry: Omit<HistoryEntry, 'retractedAt'>; retractedAt: bigint | null }[] = []
    const open = new Map<string, number[]>() // text → indexes in `out` still current, oldest first
    for (const u of rows) {
      if (u.diff > 0n) {
        for (let i = 0n; i < u.diff; i++) {
          const e = traceEntry(u, collection, versions)
          const entry = e.type === 'row' ? { value: e.value, writtenAt: u.ts, raw: u.data } : { value: null, writtenAt: u.ts, raw: u.data, undecodable: e.reason }
          const list = open.get(u.data) ?? []
          list.push(out.length)
          open.set(u.data, list)
          out.push({ entry, retractedAt: null })
        }
      } else {
        for (let i = 0n; i < -u.diff; i++) {
          const idx = open.get(u.data)?.shift()
          if (idx !== undefined) (out[idx] as { retractedAt: bigint | null }).retractedAt = u.ts
        }
      }
    }
    return out.map(({ entry, retractedAt }) => ({ ...entry, retractedAt }))
  }

  async #versions(asOf: bigint): Promise<number[]> {
    const configs = await readConfigs(this.#store, this.shards.catalog, asOf)
    return decodeVersions(configs.get(USER_VERSION_KEY)?.value ?? null)
  }

  /** Reads the upper, the epoch and the key's current rows at one point. */
  async #readKey(collection: CollectionName, key: JsonValue): Promise<KeyState> {
    const kind = COLLECTION_KINDS[collection]
    try {
      const point = await currentReadPoint(this.#store, this.shards.catalog)
      if (point === null) throw new UninitializedError()
      const { epoch, texts } = await readEpoch(this.#store, this.shards.catalog, point.asOf)
      if (epoch === null) throw new UninitializedError()
      const current: string[] = []
      const negative: Update[] = []
      for (const u of await readRows(this.#store, this.shards.catalog, point.asOf, kind, keyLookup(kind, key)[1])) {
        if (u.diff < 0n) negative.push(u)
        else for (let i = 0n; i < u.diff; i++) current.push(u.data)
      }
      return { point, epoch, epochTexts: texts, current, negative, versions: await this.#versions(point.asOf) }
    } catch (err) {
      // Compaction passed our read point: the upper moved, so this attempt lost a race.
      if (err instanceof SinceError) {
        throw new UpperMismatchError(`the catalog moved on while it was being read (its since is now ${err.since ?? '[]'}); the edit must be re-read and retried`)
      }
      throw err
    }
  }

  /** Appends `changes` plus the epoch bump at the upper read in this attempt. */
  async #append(s: KeyState, changes: readonly { data: string; diff: bigint }[]): Promise<void> {
    const ts = s.point.upper
    const updates = [
      ...changes,
      ...s.epochTexts.map((data) => ({ data, diff: -1n })),
      { data: encodeEpochRow(s.epoch + 1n), diff: 1n },
    ].map((u) => ({ ...u, ts }))
    const res = await this.#store.compareAndAppend(this.shards.catalog, updates, ts, ts + 1n)
    if (!res.ok) throw debugUpperMismatch(res.expected, res.current)
    await this.#holdSince(ts + 1n)
  }

  /**
   * Registers the catalog's critical since handle and moves it to one behind the new upper, as
   * every catalog write does. It runs only after the append committed, so a write that fails
   * changes nothing at all; and it is bookkeeping for compaction, not part of the edit: if it
   * fails, the edit stands (reporting it as failed would make a retry misreport the previous
   * value) and the hold catches up with the next catalog write.
   */
  async #holdSince(upper: bigint): Promise<void> {
    try {
      if (!this.#criticalReaderOpen) {
        await openCriticalSince(this.#store, this.shards.catalog)
        this.#criticalReaderOpen = true
      }
      await downgradeCriticalSince(this.#store, this.shards.catalog, upper)
    } catch {
      // See above: the committed edit is the result; the since hold is best effort.
    }
  }

  #decodeValue(text: string, collection: CollectionName, versions: readonly number[]): JsonValue {
    const e = traceEntry({ data: text, ts: 0n, diff: 1n }, collection, versions)
    if (e.type === 'row') return e.value
    // Undecodable: show what is stored, parsed if it parses.
    try {
      const doc = parseJson(text)
      return isJsonObject(doc) ? (doc['value'] ?? null) : doc
    } catch {
      return text
    }
  }
}

/** Parses a collection name for edit/delete/history: the 18 collections, never `Epoch`. */
function parseDebugCollection(name: string): CollectionName {
  if (name.toLowerCase() === 'epoch') {
    throw new UsageError('the epoch is not a collection and cannot be edited or deleted (it changes with every catalog write)', {
      code: 'unknown-collection',
    })
  }
  return parseCollectionName(name)
}

function ambiguous(collection: CollectionName, key: JsonValue, s: KeyState): AmbiguousKeyError {
  const listed = [...s.current.map((t) => `${t} (diff 1)`), ...s.negative.map((u) => `${u.data} (diff ${u.diff})`)]
  return new AmbiguousKeyError(`multiple values found for key ${displayJson(key)} in ${collection}: ${listed.join(', ')}`, {
    details: { collection, key: canonicalJson(key), values: listed },
    hint: `delete the key (which retracts every value) and edit it again`,
  })
}

/** The canonical form of a stored text, or the text itself when it is not JSON. */
function canonicalOrSelf(text: string): string {
  try {
    return canonicalJson(parseJson(text))
  } catch {
    return text
  }
}
