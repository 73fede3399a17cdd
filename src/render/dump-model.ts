/**
 * What `dump` streams to its renderers, in order: for each collection (sorted by name) its
 * statistics, then (unless stats only) its updates; after the last collection the rows that did
 * not decode, then the end. Renderers hold no more than one event at a time.
 */
import type { JsonValue } from '../catalog/codec/json.js'

export interface DumpStats {
  readonly total: bigint
  readonly additions: bigint
  readonly retractions: bigint
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
