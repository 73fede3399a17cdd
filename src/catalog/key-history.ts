/**
 * The versions of one key (`history`), held as their stored text (in UTF-8 buffers, outside the
 * JavaScript heap's objects: `text-arena.ts`) and decoded one at a time when read, so that a key
 * with tens of thousands of versions costs about its stored bytes, not a decoded value and a
 * handful of objects per version.
 *
 * A version is one insertion of a row: written at its timestamp, retracted at the timestamp that
 * retracts it (or current). A row inserted `n` times at once is one version of count `n`, never
 * expanded; a later retraction of part of it splits off the retracted part as a version of its own.
 */

import type { JsonValue } from '../json/lossless-json.js'
import type { Update } from '../store/shard-store.js'
import type { CollectionName } from './kinds/collections.js'
import { traceEntry } from './trace.js'
import { NumberColumn, TextList, U64Column } from './text-arena.js'

/** One version of a key: the value, when it was written, and when retracted (`null`: current). */
export interface HistoryEntry {
  /** The decoded value (`null` for key-only collections or an undecodable row). */
  readonly value: JsonValue | null
  readonly writtenAt: bigint
  readonly retractedAt: bigint | null
  /** The stored text. */
  readonly raw: string
  /** How many copies of the row this entry stands for; absent when one (the normal case). */
  readonly count?: bigint
  /** Why the row does not decode, when it does not. */
  readonly undecodable?: string
}

/** A key's versions, oldest first (by the time they were written). */
export class KeyHistory {
  readonly #collection: CollectionName
  readonly #versions: readonly number[]
  /** Per insertion: its stored text and the time that wrote it. */
  readonly #raw: TextList
  readonly #writtenAt: U64Column
  /** Per version, in order: its insertion, when retracted (`current` marks none), how many copies. */
  readonly #insertion = new NumberColumn()
  readonly #retractedAt = new U64Column()
  readonly #current = new NumberColumn()
  readonly #count = new U64Column()

  private constructor(collection: CollectionName, versions: readonly number[], raw: TextList, writtenAt: U64Column) {
    this.#collection = collection
    this.#versions = versions
    this.#raw = raw
    this.#writtenAt = writtenAt
  }

  /**
   * The history of one key from its updates in time order (`rows`: every update of the key at its
   * stored time, in (ts, data) order, as the store streams them), decoded with the first of
   * `versions` that reads each row (see `traceEntry`). `progress` hears of the updates read, every 256.
   *
   * What is kept per insertion and per retraction goes into buffers and typed arrays, not one
   * object each: a key with tens of thousands of versions would otherwise keep that many objects
   * alive through the read, and the runtime answers a high survival rate by growing its heap.
   */
  static async read(
    rows: AsyncIterable<readonly Update[]>,
    collection: CollectionName,
    versions: readonly number[],
    progress?: (updates: number) => void,
  ): Promise<KeyHistory> {
    const raw = new TextList()
    const writtenAt = new U64Column()
    /** Per insertion: how many of its copies are still current. */
    const open = new U64Column()
    /** The retracted parts, in the order retracted: whose, when, how many copies. */
    const pieceOf = new NumberColumn()
    const pieceAt = new U64Column()
    const pieceCount = new U64Column()
    /** Stored text → insertions still (partly) current, oldest first. */
    const current = new Map<string, number[]>()
    // One timestamp's updates, summed per stored text (the store's order puts them together).
    let ts: bigint | undefined
    let sums = new Map<string, bigint>()
    const flush = (): void => {
      // Retractions first, then insertions; ties in stored-text order (a stable sort).
      const ordered = [...sums].filter(([, d]) => d !== 0n).sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0))
      for (const [text, diff] of ordered) {
        if (diff > 0n) {
          const i = raw.push(text)
          writtenAt.push(ts as bigint)
          open.push(diff)
          const list = current.get(text)
          if (list === undefined) current.set(text, [i])
          else list.push(i)
          continue
        }
        let left = -diff
        const list = current.get(text) ?? []
        while (left > 0n && list.length > 0) {
          const i = list[0] as number
          const have = open.at(i)
          const n = have < left ? have : left
          pieceOf.push(i)
          pieceAt.push(ts as bigint)
          pieceCount.push(n)
          open.set(i, have - n)
          left -= n
          if (have === n) list.shift()
        }
        if (list.length === 0) current.delete(text)
      }
      sums = new Map()
    }
    let done = 0
    for await (const batch of rows) {
      for (const u of batch) {
        if (u.ts !== ts) {
          if (ts !== undefined) flush()
          ts = u.ts
        }
        sums.set(u.data, (sums.get(u.data) ?? 0n) + u.diff)
        if (++done % 256 === 0) progress?.(done)
      }
    }
    if (ts !== undefined) flush()
    const history = new KeyHistory(collection, versions, raw, writtenAt)
    // Each insertion's retracted parts in the order retracted, then what is still current.
    const firstPiece = new Int32Array(raw.length + 1)
    for (let p = 0; p < pieceOf.length; p++) (firstPiece[pieceOf.at(p) + 1] as number)++
    for (let i = 0; i < raw.length; i++) (firstPiece[i + 1] as number) += firstPiece[i] as number
    const byInsertion = new Int32Array(pieceOf.length)
    const next = firstPiece.slice(0, raw.length)
    for (let p = 0; p < pieceOf.length; p++) byInsertion[(next[pieceOf.at(p)] as number)++] = p
    for (let i = 0; i < raw.length; i++) {
      for (let k = firstPiece[i] as number; k < (firstPiece[i + 1] as number); k++) {
        const p = byInsertion[k] as number
        history.#add(i, pieceAt.at(p), pieceCount.at(p))
      }
      const left = open.at(i)
      if (left !== 0n) history.#add(i, null, left)
    }
    return history
  }

  #add(insertion: number, retractedAt: bigint | null, count: bigint): void {
    if (count === 0n) return
    this.#insertion.push(insertion)
    this.#retractedAt.push(retractedAt ?? 0n)
    this.#current.push(retractedAt === null ? 1 : 0)
    this.#count.push(count)
  }

  /** How many versions. */
  get length(): number {
    return this.#insertion.length
  }

  /** Every version, oldest first, each row decoded as it is reached. */
  *entries(): Generator<HistoryEntry> {
    let decodedFor = -1
    let base: Omit<HistoryEntry, 'retractedAt' | 'count'> | undefined
    for (let v = 0; v < this.#insertion.length; v++) {
      const i = this.#insertion.at(v)
      if (i !== decodedFor || base === undefined) {
        const data = this.#raw.at(i)
        const at = this.#writtenAt.at(i)
        const e = traceEntry({ data, ts: at, diff: 1n }, this.#collection, this.#versions)
        base =
          e.type === 'row' ? { value: e.value, writtenAt: at, raw: data } : { value: null, writtenAt: at, raw: data, undecodable: e.reason }
        decodedFor = i
      }
      const count = this.#count.at(v)
      const retractedAt = this.#current.at(v) === 1 ? null : this.#retractedAt.at(v)
      yield { ...base, retractedAt, ...(count === 1n ? {} : { count }) }
    }
  }
}
