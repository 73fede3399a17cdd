/**
 * The shape of one catalog migration step (Materialize's `upgrade/persist/vN_to_vN+1.rs`).
 *
 * A step reads the current rows of the kinds it names, decoded with the schemas of the version it
 * migrates from, and returns actions: delete an old row, insert a new one (its key must not exist
 * yet), or update an old row to a new value under the same key. The framework (`run-upgrades.ts`)
 * turns actions into updates, retracting old rows with their stored text, and bumps
 * `user_version`. Steps are pure functions of their input: no store, no clock.
 */

import type { JsonObject, JsonValue } from '../../json/lossless-json.js'
import type { CollectionKindName } from '../kinds/kind-names.js'

/** A current row as stored, decoded with the old version's schemas (keys in proto order). */
export interface OldRow {
  readonly kind: CollectionKindName
  readonly key: JsonObject
  readonly value: JsonValue
  /** The stored text: what a delete or update retracts. */
  readonly text: string
}

/** A row the new version will hold. */
export interface NewRow {
  readonly kind: CollectionKindName
  readonly key: JsonObject
  readonly value: JsonValue
}

export type MigrationAction =
  | { readonly action: 'delete'; readonly row: OldRow }
  | { readonly action: 'insert'; readonly row: NewRow }
  | { readonly action: 'update'; readonly before: OldRow; readonly after: JsonValue }

export interface MigrationStep {
  readonly from: number
  readonly to: number
  /** What the step does, for reports. */
  readonly description: string
  /** The kinds whose rows the step reads; rows of other kinds are never decoded. */
  readonly reads: readonly CollectionKindName[]
  /** The kinds the step inserts new keys into (beyond those it reads), if any. */
  readonly inserts?: readonly CollectionKindName[]
  migrate(rows: readonly OldRow[]): MigrationAction[]
}

/** A deep copy of a JSON value (bigints and key order kept). */
export function cloneJson<T extends JsonValue>(v: T): T {
  if (typeof v !== 'object' || v === null) return v
  if (Array.isArray(v)) return v.map((x) => cloneJson(x)) as T
  const out: JsonObject = {}
  for (const k of Object.keys(v)) out[k] = cloneJson(v[k] as JsonValue)
  return out as T
}
