/**
 * What `dump` streams to its renderers, in order: for each collection (sorted by name) its
 * statistics, then (unless stats only) its updates, one `entry` at a time or in `entries` batches
 * (the command batches; a renderer prints both alike); after the last collection the rows that did
 * not decode, then the end. Renderers hold no more than one event at a time.
 */
import type { JsonValue } from '../json/lossless-json.js'

export interface DumpStats {
  readonly total: bigint
  readonly additions: bigint
  readonly retractions: bigint
}

/** One update in an `entries` batch: key and value as compact display JSON (what `jsonLine` prints). */
export interface DumpEntry {
  readonly key: string
  readonly value: string
  readonly ts: bigint
  readonly diff: bigint
}

export type DumpEvent =
  | { readonly type: 'collection'; readonly collection: string; readonly stats: DumpStats; readonly statsOnly: boolean }
  | {
      readonly type: 'entry'
      readonly collection: string
      readonly key: JsonValue
      readonly value: JsonValue
      readonly ts: bigint
      readonly diff: bigint
    }
  | { readonly type: 'entries'; readonly collection: string; readonly entries: readonly DumpEntry[] }
  | { readonly type: 'collection-end'; readonly collection: string }
  | {
      readonly type: 'undecodable'
      /** null for a row of no known kind (it belongs to no collection). */
      readonly collection: string | null
      readonly raw: string
      readonly reason: string
      readonly ts: bigint
      readonly diff: bigint
    }
  | { readonly type: 'end'; readonly undecodable: number }

/**
 * What a dump renderer yields: a text, or (for a batch of entries) several texts to print one after
 * the other (the sink encodes them one by one, never joining them into one large string).
 */
export type DumpChunk = string | readonly string[]
