/**
 * How a catalog state holds one kind's rows: each key's committed rows ({@link Entry}), their
 * stored texts in a {@link TextArena} outside the JavaScript heap, and the rules of inserting and
 * retracting a row, with the inconsistencies they meet ({@link KindRows}). The state
 * (`catalog-state.ts`) keeps one {@link KindRows} per kind it holds; a caller that streams a kind
 * instead replays each key's rows through one of its own (`replayKeyRows`), with the same result.
 */

import { compareCodePoints, isJsonObject, parseJson, type JsonValue } from '../json/lossless-json.js'
import { flatString } from './flat-string.js'
import type { StoredRow } from './catalog-reads.js'
import type { CommittedEntry } from './table-transaction.js'
import { hasSurrogate, type TextArena } from './text-arena.js'

/** The usual count, one value for every row that has it (a sum is a new value each time). */
const ONE = 1n

/**
 * One key's committed rows, held compactly: the stored text (in the state's {@link TextArena},
 * or as a string when it holds a surrogate or there is no arena) and its count, or a map of texts only when the key
 * holds several rows, which is an inconsistency. The key and value are parsed from the latest
 * inserted row when asked for, not kept: parsed JSON takes several times the space of its text,
 * and a large catalog holds hundreds of thousands of rows. A row is parsed once when it is
 * inserted (to refuse one that is not JSON), so parsing it again cannot fail.
 */
class Entry implements CommittedEntry {
  readonly #arena: TextArena | undefined
  /**
   * The one stored text current for this key (the common case): its place in the arena (with
   * {@link #bytes}) or the string; or every current text in insertion order.
   */
  #one: number | string | Map<string, bigint>
  #bytes = 0
  #count: bigint

  constructor(arena: TextArena | undefined, text: string, count: bigint) {
    this.#arena = arena
    this.#one = text
    this.#count = count
    this.#hold(text)
  }

  /** Holds `text` as the one current text. */
  #hold(text: string): void {
    if (this.#arena === undefined || hasSurrogate(text)) {
      this.#one = text
      return
    }
    this.#bytes = Buffer.byteLength(text, 'utf8')
    this.#one = this.#arena.add(text, this.#bytes)
  }

  /** The one current text (not in the map case). */
  #text(): string {
    return typeof this.#one === 'number' ? (this.#arena as TextArena).text(this.#one, this.#bytes) : (this.#one as string)
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

/**
 * The committed rows of one kind, by canonical key text, and the rules of changing them. Every
 * inconsistency met is handed to `report` (Materialize soft-asserts on these; we keep going).
 */
export class KindRows {
  readonly table = new Map<string, Entry>()

  constructor(
    readonly kind: string,
    readonly arena: TextArena | undefined,
    readonly report: (anomaly: string) => void,
  ) {}

  /** Inserts `text` (a row of key `keyText`) `count` times. */
  insert(keyText: string, text: string, count: bigint): void {
    const { kind, table } = this
    if (parseRow(text) === undefined) {
      this.report(`a ${kind} row that does not parse: ${text.slice(0, 200)}`)
      return
    }
    const e = table.get(keyText)
    let total = count
    if (e === undefined) {
      // The key text is cut from the row's text: held as a copy of its own, it holds nothing else.
      table.set(flatString(keyText), new Entry(this.arena, text, count === 1n ? ONE : count))
    } else {
      this.report(`${kind} key ${keyText} has several values (values must be retracted before a new one is inserted)`)
      total = e.countOf(text) + count
      e.setCount(text, total, true)
    }
    if (total > 1n) this.report(`${kind} key ${keyText} holds the same row ${total} times (diff ${total}): ${text.slice(0, 200)}`)
  }

  /** Retracts `text` (a row of key `keyText`) `count` times. */
  retract(keyText: string, text: string, count: bigint): void {
    const { kind, table } = this
    const e = table.get(keyText)
    const have = e?.countOf(text) ?? 0n
    if (e === undefined || have < count) {
      this.report(
        `retraction of a ${kind} row that is not there${have > 0n ? ` ${count} times (it is there ${have} times)` : ''}: ${text.slice(0, 200)}`,
      )
      if (e === undefined || have === 0n) return
    }
    const left = have - count
    e.setCount(text, left > 0n ? left : 0n, false)
    if (e.size === 0) table.delete(keyText)
  }
}

/** Where a row falls in the order a state loads its kind in: by diff, then by stored text. */
export interface LoadPlace {
  readonly diff: bigint
  readonly text: string
}

/** Orders {@link LoadPlace}s as loading applies rows (retractions first, then by stored text). */
export function compareLoadPlaces(a: LoadPlace, b: LoadPlace): number {
  if (a.diff !== b.diff) return a.diff < b.diff ? -1 : 1
  return compareCodePoints(a.text, b.text)
}

/** What {@link replayKeyRows} finds for one key. */
export interface ReplayedKey {
  /** The key's committed rows, or `undefined` when none is current. */
  readonly entry: CommittedEntry | undefined
  /** The row that made the key appear: where the state would have put the key in its table. */
  readonly place: LoadPlace | undefined
  /** The inconsistencies met, each at the row it was met at. */
  readonly anomalies: { readonly place: LoadPlace; readonly anomaly: string }[]
}

/**
 * One key's rows applied as loading its kind applies them (see `CatalogState.load`): `rows` are
 * the key's updates summed per stored text (zeros left out), in stored-text order, and `keyText`
 * its lookup key (`null`: rows without one). The rows of different keys never meet, so replaying
 * every key of a kind, each on its own, gives the same entries and the same inconsistencies as
 * loading the kind whole; only their order is to be put back, by {@link compareLoadPlaces}.
 */
export function replayKeyRows(kind: string, keyText: string | null, rows: readonly (readonly [string, bigint])[]): ReplayedKey {
  const anomalies: { place: LoadPlace; anomaly: string }[] = []
  let at: LoadPlace = { diff: 0n, text: '' }
  const one = new KindRows(kind, undefined, (anomaly) => anomalies.push({ place: at, anomaly }))
  let place: LoadPlace | undefined
  // Retractions first, then by stored text (a stable sort of text-ordered rows by diff).
  const ordered = [...rows].sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0))
  for (const [text, diff] of ordered) {
    at = { diff, text }
    if (keyText === null) one.report(`a ${kind} row without a key: ${text.slice(0, 200)}`)
    else if (diff > 0n) {
      const had = one.table.size
      one.insert(keyText, text, diff)
      if (had === 0 && one.table.size === 1 && place === undefined) place = at
    } else one.retract(keyText, text, -diff)
  }
  const entry = keyText === null ? undefined : one.table.get(keyText)
  return { entry, place: entry === undefined ? undefined : place, anomalies }
}
