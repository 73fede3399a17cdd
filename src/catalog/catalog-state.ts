/**
 * The in-memory contents of an opened catalog: every collection except the two large append-only
 * ones (`audit_log`, `storage_usage`), which Materialize also keeps out of memory.
 *
 * Rows are kept exactly as stored (their text) next to their parsed key and value, so that a
 * later change retracts the stored bytes rather than a re-encoding (which might differ for rows
 * written by an older version: docs/fixture-format.md, "How the older versions differ"). Rows are grouped by their
 * canonical key text, the store's lookup column.
 */

import type { ShardStore } from '../store/shard-store.js'
import { compareCodePoints, isJsonObject, parseJson, type JsonValue } from '../json/lossless-json.js'
import { rowLookup } from './codec/row-codec.js'
import { flatString } from './flat-string.js'
import { isLargeKind } from './kinds/collections.js'
import { KIND_NAMES, isKindName, type CollectionKindName } from './kinds/kind-names.js'
import type { StoredRow } from './catalog-reads.js'
import type { CommittedEntry } from './table-transaction.js'

/** Kinds held in memory: every collection kind but the large append-only ones. */
export const CACHED_KINDS: readonly CollectionKindName[] = KIND_NAMES.filter(
  (k): k is CollectionKindName => k !== 'Epoch' && !isLargeKind(k),
)

export function isCachedKind(kind: string): kind is CollectionKindName {
  return isKindName(kind) && kind !== 'Epoch' && !isLargeKind(kind)
}

/** The usual count, one value for every row that has it (a sum is a new value each time). */
const ONE = 1n

/** Bytes per buffer of a {@link TextArena} (a longer text gets a buffer of its own). */
const ARENA_CHUNK_BYTES = 1 << 20
/** Any UTF-16 surrogate: a text holding one stays a string (UTF-8 cannot carry a lone one). */
const SURROGATE = /[\ud800-\udfff]/

/**
 * The stored texts of a state's rows, as UTF-8 in buffers outside the JavaScript heap: a large
 * catalog's items are tens of megabytes of text, and a runtime that holds them on its heap lets
 * the heap grow by several times that before it collects. Appended to, never rewritten: the bytes
 * of a row retracted later stay until the state is dropped (a state lives for one command).
 */
class TextArena {
  readonly #chunks: Buffer[] = []
  #used = ARENA_CHUNK_BYTES

  /** Stores `text` (without surrogates); returns its place, read back with {@link text}. */
  add(text: string, bytes: number): number {
    if (bytes > ARENA_CHUNK_BYTES - this.#used) {
      this.#chunks.push(Buffer.allocUnsafe(Math.max(ARENA_CHUNK_BYTES, bytes)))
      this.#used = 0
    }
    const chunk = this.#chunks.length - 1
    const start = this.#used
    ;(this.#chunks[chunk] as Buffer).write(text, start, bytes, 'utf8')
    this.#used += bytes
    return chunk * ARENA_CHUNK_BYTES + start
  }

  text(place: number, bytes: number): string {
    const chunk = Math.floor(place / ARENA_CHUNK_BYTES)
    const start = place - chunk * ARENA_CHUNK_BYTES
    return (this.#chunks[chunk] as Buffer).toString('utf8', start, start + bytes)
  }
}

/**
 * One key's committed rows, held compactly: the stored text (in the state's {@link TextArena},
 * or as a string when it holds a surrogate) and its count, or a map of texts only when the key
 * holds several rows, which is an inconsistency. The key and value are parsed from the latest
 * inserted row when asked for, not kept: parsed JSON takes several times the space of its text,
 * and a large catalog holds hundreds of thousands of rows. A row is parsed once when it is
 * inserted (to refuse one that is not JSON), so parsing it again cannot fail.
 */
class Entry implements CommittedEntry {
  readonly #arena: TextArena
  /**
   * The one stored text current for this key (the common case): its place in the arena (with
   * {@link #bytes}) or the string; or every current text in insertion order.
   */
  #one: number | string | Map<string, bigint>
  #bytes = 0
  #count: bigint

  constructor(arena: TextArena, text: string, count: bigint) {
    this.#arena = arena
    this.#one = text
    this.#count = count
    this.#hold(text)
  }

  /** Holds `text` as the one current text. */
  #hold(text: string): void {
    if (SURROGATE.test(text)) {
      this.#one = text
      return
    }
    this.#bytes = Buffer.byteLength(text, 'utf8')
    this.#one = this.#arena.add(text, this.#bytes)
  }

  /** The one current text (not in the map case). */
  #text(): string {
    return typeof this.#one === 'number' ? this.#arena.text(this.#one, this.#bytes) : (this.#one as string)
  }

  #isOne(text: string): boolean {
    if (typeof this.#one === 'string') return this.#one === text
    return typeof this.#one === 'number' && Buffer.byteLength(text, 'utf8') === this.#bytes && this.#text() === text
  }

  /** How many times `text` is current for this key. */
  countOf(text: string): bigint {
    if (this.#one instanceof Map) return this.#one.get(text) ?? 0n
    return this.#isOne(text) ? this.#count : 0n
  }

  /**
   * Sets the count of `text` (0 removes it). An insertion (`latest`) makes it the latest row; a
   * partial retraction leaves it where it was.
   */
  setCount(text: string, count: bigint, latest: boolean): void {
    if (!(this.#one instanceof Map)) {
      if (this.#isOne(text)) {
        this.#count = count
        return
      }
      if (this.#count === 0n) {
        this.#hold(text)
        this.#count = count
        return
      }
    }
    let m = this.#one
    if (!(m instanceof Map)) {
      m = new Map([[this.#text(), this.#count]])
      this.#one = m
    }
    if (latest || count === 0n) m.delete(text) // re-inserted last: the latest insertion is the current value
    if (count !== 0n) m.set(text, count)
    if (m.size === 1) {
      const [only, n] = [...m][0] as [string, bigint]
      this.#hold(only)
      this.#count = n
    }
  }

  get size(): number {
    return this.#one instanceof Map ? this.#one.size : this.#count === 0n ? 0 : 1
  }

  get rows(): StoredRow[] {
    if (this.#one instanceof Map) return [...this.#one].map(([data, count]) => ({ data, count }))
    return this.#count === 0n ? [] : [{ data: this.#text(), count: this.#count }]
  }

  get key(): JsonValue {
    return this.#latest().key
  }

  get value(): JsonValue {
    return this.#latest().value
  }

  #latest(): { key: JsonValue; value: JsonValue } {
    const rows = this.rows
    return parseRow((rows[rows.length - 1] as StoredRow).data) as { key: JsonValue; value: JsonValue }
  }
}

/** One update to apply: stored text and diff. */
export interface StateUpdate {
  readonly data: string
  readonly diff: bigint
}

function parseRow(text: string): { key: JsonValue; value: JsonValue } | undefined {
  let doc: JsonValue
  try {
    doc = parseJson(text)
  } catch {
    return undefined
  }
  if (!isJsonObject(doc) || doc.key === undefined) return undefined
  return { key: doc.key, value: doc.value ?? null }
}

export class CatalogState {
  readonly #tables = new Map<CollectionKindName, Map<string, Entry>>()
  readonly #texts = new TextArena()
  /**
   * Inconsistencies met while loading or applying (a key with several values, a retraction of
   * a row that is not there, a row that is not JSON). Materialize soft-asserts on these; we keep
   * going and report them.
   */
  readonly anomalies: string[] = []

  private constructor() {
    for (const k of CACHED_KINDS) this.#tables.set(k, new Map())
  }

  static empty(): CatalogState {
    return new CatalogState()
  }

  /**
   * Loads the cached kinds at `asOf`, one lookup per kind (the large collections are never read).
   * Each kind's updates are streamed and summed per stored text as they come, so what is held at
   * any moment is about the kind's current rows, not its whole history nor a second copy of it
   * (the item collection of a long-lived catalog has hundreds of thousands of updates).
   */
  static async load(store: ShardStore, shard: string, asOf: bigint): Promise<CatalogState> {
    const state = new CatalogState()
    for (const kind of CACHED_KINDS) {
      const sums = new Map<string, bigint>()
      for await (const batch of store.snapshotBatches(shard, asOf, { where: { a: kind } })) {
        for (const u of batch) {
          const sum = (sums.get(u.data) ?? 0n) + u.diff
          if (sum === 0n) sums.delete(u.data)
          else sums.set(u.data, sum)
        }
      }
      // The order `apply` would see from the consolidated snapshot: by stored text (code points,
      // as the store orders text), so that anomalies and the latest of several values for one key
      // come out the same however the updates were summed.
      const texts = [...sums.keys()].sort(compareCodePoints)
      state.#applySums(texts.map((text) => [text, sums.get(text) as bigint] as const))
      sums.clear()
    }
    return state
  }

  /** The committed rows of a cached kind, by canonical key text. */
  table(kind: CollectionKindName): ReadonlyMap<string, CommittedEntry> {
    const t = this.#tables.get(kind)
    if (t === undefined) throw new Error(`${kind} is not held in memory`)
    return t
  }

  /** A `config` value, or `undefined`. */
  config(key: string): bigint | undefined {
    for (const e of this.table('Config').values()) {
      const k = (e.key as { key?: JsonValue }).key
      const v = (e.value as { value?: JsonValue } | null)?.value
      if (k === key && typeof v === 'bigint') return v
    }
    return undefined
  }

  /** "Initialized" means the `config` collection is not empty (Materialize's `is_initialized`). */
  get isInitialized(): boolean {
    return this.table('Config').size > 0
  }

  /**
   * Applies updates (any kinds; only cached kinds are kept). Like Materialize's `apply_updates`,
   * updates are consolidated first and retractions applied before insertions, so a batch that
   * replaces a value never sees two values for the key.
   */
  apply(updates: Iterable<StateUpdate>): void {
    const sums = new Map<string, bigint>()
    for (const u of updates) sums.set(u.data, (sums.get(u.data) ?? 0n) + u.diff)
    this.#applySums([...sums])
  }

  /** Applies summed updates (stored text, diff), zeros skipped: retractions first, else in the order given. */
  #applySums(summed: readonly (readonly [string, bigint])[]): void {
    const ordered = summed.filter(([, d]) => d !== 0n).sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0))
    for (const [text, diff] of ordered) {
      const [kind, keyText] = rowLookup(text)
      if (kind === null || !isCachedKind(kind)) {
        if (kind === null) this.anomalies.push(`a row that is not a catalog row: ${text.slice(0, 200)}`)
        continue
      }
      if (keyText === null) {
        this.anomalies.push(`a ${kind} row without a key: ${text.slice(0, 200)}`)
        continue
      }
      const table = this.#tables.get(kind) as Map<string, Entry>
      if (diff > 0n) this.#insert(table, kind, keyText, text, diff)
      else this.#retract(table, kind, keyText, text, -diff)
    }
  }

  #insert(table: Map<string, Entry>, kind: string, keyText: string, text: string, count: bigint): void {
    if (parseRow(text) === undefined) {
      this.anomalies.push(`a ${kind} row that does not parse: ${text.slice(0, 200)}`)
      return
    }
    const e = table.get(keyText)
    let total = count
    if (e === undefined) {
      // The key text is cut from the row's text: held as a copy of its own, it holds nothing else.
      table.set(flatString(keyText), new Entry(this.#texts, text, count === 1n ? ONE : count))
    } else {
      this.anomalies.push(`${kind} key ${keyText} has several values (values must be retracted before a new one is inserted)`)
      total = e.countOf(text) + count
      e.setCount(text, total, true)
    }
    if (total > 1n) this.anomalies.push(`${kind} key ${keyText} holds the same row ${total} times (diff ${total}): ${text.slice(0, 200)}`)
  }

  #retract(table: Map<string, Entry>, kind: string, keyText: string, text: string, count: bigint): void {
    const e = table.get(keyText)
    const have = e?.countOf(text) ?? 0n
    if (e === undefined || have < count) {
      this.anomalies.push(
        `retraction of a ${kind} row that is not there${have > 0n ? ` ${count} times (it is there ${have} times)` : ''}: ${text.slice(0, 200)}`,
      )
      if (e === undefined || have === 0n) return
    }
    const left = have - count
    e.setCount(text, left > 0n ? left : 0n, false)
    if (e.size === 0) table.delete(keyText)
  }
}
