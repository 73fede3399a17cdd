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
import { newIdempotencyToken } from '../store/ids.js'
import type { ShardStore, Update } from '../store/shard-store.js'
import { canonicalJson, displayJson, isJsonObject, parseJson, type JsonValue } from '../json/lossless-json.js'
import { encodeEpochRow, encodeRow, keyLookup, parseUserKey, parseUserValue } from './codec/row-codec.js'
import { COLLECTION_KINDS, parseCollectionName, type CollectionName } from './kinds/collections.js'
import type { CatalogShardIds } from './catalog-shards.js'
import { atConsistentPoint, currentReadPoint, readConfigs, readEpoch, readRows, type ReadPoint, type StoredRow } from './catalog-reads.js'
import { USER_VERSION_KEY } from './constants.js'
import { downgradeCriticalSince, openCriticalSince } from './critical-since.js'
import { debugUpperMismatch } from './fencing.js'
import { decodeVersions, traceEntry } from './trace.js'
import { undoPlan } from './undo.js'
import { KeyHistory, type HistoryEntry } from './key-history.js'

export type { HistoryEntry } from './key-history.js'
import { DebugWriteSession, type DebugWriteOptions, type DeleteResult, type EditResult, type UndoResult } from './debug-write-session.js'

/** The current rows of one key at a read point. */
interface KeyState {
  readonly point: ReadPoint
  readonly epoch: bigint
  readonly epochRows: readonly StoredRow[]
  /** The current rows of the key with their consolidated diff (normally none, or one with count 1). */
  readonly current: readonly StoredRow[]
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
  async edit(
    collectionName: string,
    keyInput: string | JsonValue,
    valueInput: string | JsonValue,
    opts: DebugWriteOptions = {},
  ): Promise<EditResult> {
    const collection = parseDebugCollection(collectionName)
    const kind = COLLECTION_KINDS[collection]
    const key = parseUserKey(collection, keyInput)
    const value = parseUserValue(collection, valueInput)
    const newText = encodeRow(kind, key, value)
    const request = `edit ${collection} ${canonicalJson(key)} ${newText}`
    if (opts.dryRun !== true) {
      const replayed = await this.#resendPending(opts.session, request)
      if (replayed !== undefined) return replayed as EditResult
    }
    const s = await this.#readKey(collection, key)
    // Exactly one current row, current once, is a value; anything else but absence is ambiguous.
    if (s.current.length > 1 || s.negative.length > 0 || (s.current[0] !== undefined && s.current[0].count !== 1n)) {
      throw ambiguous(collection, key, s)
    }

    const previousText = s.current[0]?.data
    const previous = previousText === undefined ? null : this.#decodeValue(previousText, collection, s.versions)
    const base = { collection, key, previous, value }
    if (previousText !== undefined && canonicalOrSelf(previousText) === newText) {
      return { ...base, changed: false, committed: false }
    }
    const epoch = { from: s.epoch, to: s.epoch + 1n }
    if (opts.dryRun === true) return { ...base, changed: true, committed: false, epoch }
    const result: EditResult = { ...base, changed: true, committed: true, epoch }
    await this.#append(s, [...retractAll(s), { data: newText, diff: 1n }], opts.session, request, result)
    return result
  }

  /**
   * Retracts every row of `key`, each with the opposite of its consolidated diff, so the key ends
   * with nothing (this is how an ambiguous key is repaired: several values, a value current
   * several times, or a negative count). An absent key writes nothing (`found: false`). Same
   * errors as {@link edit}, except {@link AmbiguousKeyError}.
   */
  async delete(collectionName: string, keyInput: string | JsonValue, opts: DebugWriteOptions = {}): Promise<DeleteResult> {
    const collection = parseDebugCollection(collectionName)
    const key = parseUserKey(collection, keyInput)
    const request = `delete ${collection} ${canonicalJson(key)}`
    if (opts.dryRun !== true) {
      const replayed = await this.#resendPending(opts.session, request)
      if (replayed !== undefined) return replayed as DeleteResult
    }
    const s = await this.#readKey(collection, key)
    const deleted = s.current.map((r) => this.#decodeValue(r.data, collection, s.versions))
    const base = { collection, key, deleted }
    if (s.current.length === 0 && s.negative.length === 0) return { ...base, found: false, committed: false }
    const epoch = { from: s.epoch, to: s.epoch + 1n }
    if (opts.dryRun === true) return { ...base, found: true, committed: false, epoch }
    const result: DeleteResult = { ...base, found: true, committed: true, epoch }
    await this.#append(s, retractAll(s), opts.session, request, result)
    return result
  }

  /**
   * Puts back what `key` held before its last change: its previous value (an {@link edit}), or
   * nothing when it was absent before (a {@link delete}), with their epoch bump and checks. A key
   * never written returns `found: false` and writes nothing. With a session, the plan is decided
   * once (see {@link DebugWriteSession.undo}). Same errors as {@link edit}; `AmbiguousKeyError`
   * also when the key held several values before the change.
   */
  async undo(collectionName: string, keyInput: string | JsonValue, opts: DebugWriteOptions = {}): Promise<UndoResult> {
    const collection = parseDebugCollection(collectionName)
    const key = parseUserKey(collection, keyInput)
    let plan = opts.dryRun === true ? undefined : opts.session?.undo
    if (plan === undefined) {
      plan = undoPlan(await this.history(collection, key), `${collection} ${displayJson(key)}`)
      if (plan === undefined) return { found: false, collection, key }
      if (opts.dryRun !== true && opts.session !== undefined) opts.session.undo = plan
    }
    if (plan.kind === 'delete')
      return { found: true, undoneAt: plan.undoneAt, write: { kind: 'delete', result: await this.delete(collection, key, opts) } }
    return { found: true, undoneAt: plan.undoneAt, write: { kind: 'edit', result: await this.edit(collection, key, plan.value, opts) } }
  }

  /**
   * Every version of one key, oldest first: the value, the timestamp that wrote it and the one
   * that retracted it (`null` while current). Read through the lookup index. Never writes.
   * `progress` hears of the stored updates read so far, of all the key's updates.
   */
  async history(
    collectionName: string,
    keyInput: string | JsonValue,
    progress?: (done: number, total: number) => void,
  ): Promise<HistoryEntry[]> {
    return [...(await this.keyHistory(collectionName, keyInput, progress)).entries()]
  }

  /**
   * {@link history}, held compactly: the key's updates are streamed from the store and each
   * version kept as its stored text, decoded only when {@link KeyHistory.entries} reaches it.
   */
  async keyHistory(
    collectionName: string,
    keyInput: string | JsonValue,
    progress?: (done: number, total: number) => void,
  ): Promise<KeyHistory> {
    const collection = parseDebugCollection(collectionName)
    const kind = COLLECTION_KINDS[collection]
    const key = parseUserKey(collection, keyInput)
    const where = { a: kind, b: keyLookup(kind, key)[1] }
    return atConsistentPoint(this.#store, this.shards.catalog, async (point) => {
      if (point === null) throw new UninitializedError()
      const versions = await this.#versions(point.asOf)
      // Counted only for progress (a count reads the key's rows once more).
      const total = progress === undefined ? 0 : Number((await this.#store.countUpdates(this.shards.catalog, point.asOf, where)).total)
      const rows = this.#store.snapshotBatches(this.shards.catalog, point.asOf, { where, keepTimestamps: true })
      return KeyHistory.read(rows, collection, versions, progress === undefined ? undefined : (done) => progress(done, total))
    })
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
      const { epoch, rows } = await readEpoch(this.#store, this.shards.catalog, point.asOf)
      if (epoch === null) throw new UninitializedError()
      const current: StoredRow[] = []
      const negative: Update[] = []
      for (const u of await readRows(this.#store, this.shards.catalog, point.asOf, kind, keyLookup(kind, key)[1])) {
        if (u.diff < 0n) negative.push(u)
        else if (u.diff > 0n) current.push({ data: u.data, count: u.diff })
      }
      return { point, epoch, epochRows: rows, current, negative, versions: await this.#versions(point.asOf) }
    } catch (err) {
      // Compaction passed our read point: the upper moved, so this attempt lost a race.
      if (err instanceof SinceError) {
        throw new UpperMismatchError(
          `the catalog moved on while it was being read (its since is now ${err.since ?? '[]'}); the edit must be re-read and retried`,
        )
      }
      throw err
    }
  }

  /**
   * Appends `changes` plus the epoch bump at the upper read in this attempt, as the session's
   * writer with a fresh idempotency token. If the append throws, its outcome is unknown: it stays
   * pending in the session (with `result`, what it does) for the next attempt to re-send.
   */
  async #append(
    s: KeyState,
    changes: readonly { data: string; diff: bigint }[],
    session: DebugWriteSession | undefined,
    request: string,
    result: EditResult | DeleteResult,
  ): Promise<void> {
    const ts = s.point.upper
    const updates = [
      ...changes,
      ...s.epochRows.map((r) => ({ data: r.data, diff: -r.count })),
      { data: encodeEpochRow(s.epoch + 1n), diff: 1n },
    ].map((u) => ({ ...u, ts }))
    const writer = session ?? new DebugWriteSession()
    const token = newIdempotencyToken()
    writer.pending = { request, updates, expectedUpper: ts, token, result }
    const res = await this.#store.compareAndAppend(this.shards.catalog, updates, ts, ts + 1n, {
      writerId: writer.writerId,
      idempotencyToken: token,
    })
    writer.pending = undefined
    if (!res.ok) throw debugUpperMismatch(res.expected, res.current)
    await this.#holdSince(ts + 1n)
  }

  /**
   * Re-sends the session's pending append (an earlier attempt's, whose outcome is unknown) exactly
   * as it was: same updates, expected upper and idempotency token. If it committed then (or
   * commits now, the catalog being unchanged) its result is the result; if the upper moved on
   * without it, it is dropped and the caller makes a fresh attempt (returns `undefined`). If the
   * re-send throws again, it stays pending.
   */
  async #resendPending(session: DebugWriteSession | undefined, request: string): Promise<EditResult | DeleteResult | undefined> {
    const p = session?.pending
    if (session === undefined || p === undefined) return undefined
    if (p.request !== request) {
      throw new TypeError(`this debug write session belongs to another write (${p.request.slice(0, 200)}); use one session per write`)
    }
    const res = await this.#store.compareAndAppend(this.shards.catalog, p.updates, p.expectedUpper, p.expectedUpper + 1n, {
      writerId: session.writerId,
      idempotencyToken: p.token,
    })
    session.pending = undefined
    if (!res.ok) return undefined
    await this.#holdSince(p.expectedUpper + 1n)
    return p.result
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
      return isJsonObject(doc) ? (doc.value ?? null) : doc
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

/** The retraction of every row of the key: each with the opposite of its consolidated diff. */
function retractAll(s: KeyState): { data: string; diff: bigint }[] {
  return [...s.current.map((r) => ({ data: r.data, diff: -r.count })), ...s.negative.map((u) => ({ data: u.data, diff: -u.diff }))]
}

function ambiguous(collection: CollectionName, key: JsonValue, s: KeyState): AmbiguousKeyError {
  const rows = [...s.current.map((r) => ({ data: r.data, diff: r.count })), ...s.negative.map((u) => ({ data: u.data, diff: u.diff }))]
  const listed = rows.map((r) => `${r.data} (diff ${r.diff})`)
  const what = s.current.length > 1 || s.negative.length > 0 ? 'multiple values found' : 'a value current more than once found'
  return new AmbiguousKeyError(`${what} for key ${displayJson(key)} in ${collection}: ${listed.join(', ')}`, {
    details: { collection, key: canonicalJson(key), values: listed, rows: rows.map((r) => ({ row: r.data, diff: r.diff.toString() })) },
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
