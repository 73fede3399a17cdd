/** How the semantic checks read ids and names out of decoded rows, and how findings show them. */

import { canonicalJson, isJsonObject, type JsonObject, type JsonValue } from '../../json/lossless-json.js'
import type { CollectionRow } from '../codec/row-codec.js'
import type { CollectionName } from '../kinds/collections.js'
import type { CatalogIndex } from './row-checks.js'

export type Rows = Iterable<CollectionRow>

export function obj(v: JsonValue | undefined): JsonObject | undefined {
  return isJsonObject(v ?? null) ? (v as JsonObject) : undefined
}

/** `{"value":{"User":3}}` → `['User', 3n]`; `{"value":{"Public":{}}}` → `['Public', undefined]`. */
export function idParts(id: JsonValue | undefined): [string, bigint | undefined] | undefined {
  const inner = obj(obj(id)?.value)
  if (inner === undefined) return undefined
  const tag = Object.keys(inner)[0]
  if (tag === undefined) return undefined
  const n = inner[tag]
  return [tag, typeof n === 'bigint' ? n : undefined]
}

/** Display form of an id: `u3`, `s1`, `p`, else its JSON. */
export function idText(id: JsonValue | undefined): string {
  const p = idParts(id)
  if (p === undefined) return canonicalJson(id ?? null)
  if (p[0] === 'Public') return 'p'
  if (p[0] === 'System') return `s${p[1]}`
  if (p[0] === 'User') return `u${p[1]}`
  return `${p[0].toLowerCase()}${p[1] ?? ''}`
}

export function rowsOf(c: CatalogIndex, name: CollectionName): Rows {
  return c.rows(name)
}

/** Index of a collection by its key's id field (`id`, or `gid` for items). */
export function byId(rows: Rows, field: 'id' | 'gid'): Map<string, CollectionRow> {
  const m = new Map<string, CollectionRow>()
  for (const r of rows) m.set(canonicalJson(r.key[field] ?? null), r)
  return m
}

export function nameOf(r: CollectionRow): string {
  const name = obj(r.value)?.name
  return typeof name === 'string' ? JSON.stringify(name) : '(unnamed)'
}

export function describe(label: string, r: CollectionRow, field: 'id' | 'gid' = 'id'): string {
  return `${label} ${idText(r.key[field])} ${nameOf(r)}`
}
