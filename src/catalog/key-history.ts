/**
 * The versions of one key (`history`), held as their stored text and decoded one at a time when
 * read, so that a key with tens of thousands of versions costs about its stored bytes, not a
 * decoded value and a handful of objects per version.
 *
 * A version is one insertion of a row: written at its timestamp, retracted at the timestamp that
 * retracts it (or current). A row inserted `n` times at once is one version of count `n`, never
 * expanded; a later retraction of part of it splits off the retracted part as a version of its own.
 */

import type { JsonValue } from '../json/lossless-json.js'
import type { Update } from '../store/shard-store.js'
import type { CollectionName } from './kinds/collections.js'
import { traceEntry } from './trace.js'

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

/** Part of an insertion: how many of its copies, and when they were retracted (`null`: still current). */
interface Piece {
  count: bigint
  retractedAt: bigint | null
}

/** A key's versions, oldest first (by the time they were written). */
export class KeyHistory {
  readonly #collection: CollectionName
  readonly #versions: readonly number[]
  /** Per insertion: its stored text and the time that wrote it. */
  readonly #raw: string[]
  readonly #writtenAt: bigint[]
  /** Per version, in order: its insertion, when retracted, how many copies. */
  readonly #insertion: number[]
  readonly #retractedAt: (bigint | null)[]
  readonly #count: bigint[]

  private constructor(collection: CollectionName, versions: readonly number[], raw: string[], writtenAt: bigint[]) {
    this.#collection = collection
    this.#versions = versions
    this.#raw = raw
    this.#writtenAt = writtenAt
    this.#insertion = []
    this.#retractedAt = []
    this.#count = []
  }

  /**
   * The history of one key from its updates in time order (`rows`: every update of the key at its
   * stored time, in (ts, data) order, as the store streams them), decoded with the first of
   * `versions` that reads each row (see `traceEntry`). `progress` hears of the updates read, every 256.
   */
  static async read(
    rows: AsyncIterable<readonly Update[]>,
    collection: CollectionName,
    versions: readonly number[],
    progress?: (updates: number) => void,
  ): Promise<KeyHistory> {
    const raw: string[] = []
    const writtenAt: bigint[] = []
    const pieces: Piece[][] = []
    /** Per insertion still (partly) current: its open piece. */
    const open: Piece[] = []
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
          const i = raw.length
          raw.push(text)
          writtenAt.push(ts as bigint)
          pieces.push([])
          open.push({ count: diff, retractedAt: null })
          const list = current.get(text)
          if (list === undefined) current.set(text, [i])
          else list.push(i)
          continue
        }
        let left = -diff
        const list = current.get(text) ?? []
        while (left > 0n && list.length > 0) {
          const i = list[0] as number
          const piece = open[i] as Piece
          const n = piece.count < left ? piece.count : left
          ;(pieces[i] as Piece[]).push({ count: n, retractedAt: ts as bigint })
          piece.count -= n
          left -= n
          if (piece.count === 0n) list.shift()
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
    for (let i = 0; i < raw.length; i++) {
      for (const p of [...(pieces[i] as Piece[]), open[i] as Piece]) {
        if (p.count === 0n) continue
        history.#insertion.push(i)
        history.#retractedAt.push(p.retractedAt)
        history.#count.push(p.count)
      }
    }
    return history
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
      const i = this.#insertion[v] as number
      if (i !== decodedFor || base === undefined) {
        const data = this.#raw[i] as string
        const at = this.#writtenAt[i] as bigint
        const e = traceEntry({ data, ts: at, diff: 1n }, this.#collection, this.#versions)
        base =
          e.type === 'row' ? { value: e.value, writtenAt: at, raw: data } : { value: null, writtenAt: at, raw: data, undecodable: e.reason }
        decodedFor = i
      }
      const count = this.#count[v] as bigint
      yield { ...base, retractedAt: this.#retractedAt[v] as bigint | null, ...(count === 1n ? {} : { count }) }
    }
  }
}
