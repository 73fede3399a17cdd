/**
 * A catalog's consolidated contents, in the shape `diff` compares: per collection, per key (its
 * canonical JSON), the value(s) the key currently has. Built from raw shard updates, so catalogs
 * of any version (and damaged ones) can be compared: rows are parsed as JSON, not decoded against
 * a schema.
 */

import { canonicalJson, compareCodePoints, isJsonObject, JsonSyntaxError, parseJson, type JsonValue } from '../../json/lossless-json.js'
import { KIND_COLLECTIONS, type CollectionName } from '../kinds/collections.js'
import { isKindName, type CollectionKindName } from '../kinds/kind-names.js'
import { kindsForVersion } from '../kinds/schema-sets.js'
import type { ShardStore } from '../../store/shard-store.js'
import { readCatalogShard } from '../fixture/export.js'
import { readFixture, type LineSource, type ReadFixtureOptions } from '../fixture/reader.js'

/** Pseudo-collection holding rows that are not JSON objects of a known kind, keyed by their text. */
export const INVALID_ROWS = '(invalid rows)'

/** One current value of a key with its multiplicity (1 in a healthy catalog). */
export interface ValueCount {
  readonly value: JsonValue
  readonly diff: bigint
}

/** A key and every value it currently has (exactly one, with diff 1, in a healthy catalog). */
export interface KeyState {
  readonly key: JsonValue
  /** Sorted by the values' canonical JSON; never empty. */
  readonly values: readonly ValueCount[]
}

export interface CatalogContents {
  /** Collection name (or {@link INVALID_ROWS}) → canonical key JSON → state. */
  readonly collections: ReadonlyMap<string, ReadonlyMap<string, KeyState>>
  /** Current epoch(s) with their multiplicities (one, diff 1, in a healthy catalog). */
  readonly epochs: readonly ValueCount[]
}

/** Anything with row text and a multiplicity: store updates, fixture updates. */
export interface RowCount {
  readonly data: string
  readonly diff: bigint
}

/** Sums updates (at any timestamps) into consolidated contents. */
export function contentsFromUpdates(updates: Iterable<RowCount>): CatalogContents {
  const net = new Map<string, bigint>()
  for (const u of updates) net.set(u.data, (net.get(u.data) ?? 0n) + u.diff)
  const collections = new Map<string, Map<string, { key: JsonValue; values: ValueCount[] }>>()
  const epochs: ValueCount[] = []
  const bucket = (name: string): Map<string, { key: JsonValue; values: ValueCount[] }> => {
    let m = collections.get(name)
    if (m === undefined) {
      m = new Map()
      collections.set(name, m)
    }
    return m
  }
  for (const [data, diff] of net) {
    if (diff === 0n) continue
    let row: JsonValue
    try {
      row = parseJson(data)
    } catch (err) {
      if (!(err instanceof JsonSyntaxError)) throw err
      bucket(INVALID_ROWS).set(data, { key: data, values: [{ value: null, diff }] })
      continue
    }
    const kind = isJsonObject(row) ? row.kind : undefined
    if (!isJsonObject(row) || typeof kind !== 'string' || !isKindName(kind) || (kind !== 'Epoch' && row.key === undefined)) {
      const text = canonicalJson(row)
      const m = bucket(INVALID_ROWS)
      const prev = m.get(text)
      m.set(text, { key: text, values: [{ value: null, diff: diff + (prev?.values[0]?.diff ?? 0n) }] })
      continue
    }
    if (kind === 'Epoch') {
      epochs.push({ value: row.epoch ?? null, diff })
      continue
    }
    const collection = KIND_COLLECTIONS[kind]
    const key = row.key as JsonValue
    const keyText = canonicalJson(key)
    const m = bucket(collection)
    let state = m.get(keyText)
    if (state === undefined) {
      state = { key, values: [] }
      m.set(keyText, state)
    }
    state.values.push({ value: row.value === undefined ? null : row.value, diff })
  }
  for (const m of collections.values()) {
    for (const s of m.values()) s.values.sort((a, b) => compareCodePoints(canonicalJson(a.value), canonicalJson(b.value)))
  }
  epochs.sort((a, b) => compareCodePoints(canonicalJson(a.value), canonicalJson(b.value)))
  return { collections, epochs }
}

/** The consolidated contents of a store's catalog at upper − 1, or at `asOf` (never writes). */
export async function contentsFromStore(store: ShardStore, organizationId: string, asOf?: bigint): Promise<CatalogContents> {
  const { updates } = await readCatalogShard(
    store,
    organizationId,
    asOf === undefined ? { consolidated: true, rawRows: true } : { consolidated: true, rawRows: true, asOf },
  )
  return contentsFromUpdates(updates)
}

/** The consolidated contents a fixture sums to (every line validated as it is read). */
export async function contentsFromFixture(lines: LineSource, opts: ReadFixtureOptions = {}): Promise<CatalogContents> {
  const { updates } = await readFixture(lines, opts)
  return contentsFromUpdates(updates)
}

/**
 * Keys of a collection in Materialize's order (the proto key's `Ord`) when every key decodes with
 * the v47 key schema, else in canonical-JSON order.
 */
export function orderedKeys(collection: string, keys: Iterable<[string, JsonValue]>): string[] {
  const entries = [...keys]
  const kind = kindOf(collection)
  if (kind !== undefined) {
    const schema = kindsForVersion().kind(kind).key
    try {
      const decoded = entries.map(([text, key]) => [text, schema.decode(key, 'key')] as const)
      decoded.sort((a, b) => schema.compare(a[1], b[1]) || compareCodePoints(a[0], b[0]))
      return decoded.map(([text]) => text)
    } catch {
      // fall through to canonical order
    }
  }
  return entries.map(([text]) => text).sort(compareCodePoints)
}

function kindOf(collection: string): CollectionKindName | undefined {
  for (const [kind, c] of Object.entries(KIND_COLLECTIONS) as [CollectionKindName, CollectionName][]) if (c === collection) return kind
  return undefined
}
