/**
 * Reading one key of one collection (`get`): its current value(s) at a read point, each with the
 * time it was written, through the lookup index, so the cost does not depend on the catalog's size.
 */

import { UninitializedError } from '../errors.js'
import type { JsonValue } from '../json/lossless-json.js'
import type { ShardStore } from '../store/shard-store.js'
import { readConfigs, readRows, type ReadPoint } from './catalog-reads.js'
import { keyLookup, parseUserKey } from './codec/row-codec.js'
import { USER_VERSION_KEY } from './constants.js'
import { COLLECTION_KINDS, type CollectionName } from './kinds/collections.js'
import { decodeVersions, traceEntry } from './trace.js'

/** One current value of a key. */
export interface KeyValue {
  /** The decoded value (`null` for the key-only collections `audit_log` and `storage_usage`, or an undecodable row). */
  readonly value: JsonValue | null
  /** The latest time this row was written (what `history` calls written at). */
  readonly writtenAt: bigint
  /** How many times the row is current; absent when once (the normal case). */
  readonly count?: bigint
  /** Why the row does not decode, when it does not (`value` is then `null`). */
  readonly undecodable?: string
}

/** The outcome of {@link readKey}: a key and its current values (none: absent; several: ambiguous). */
export interface KeyReadResult {
  readonly collection: CollectionName
  /** The key in proto declaration order. */
  readonly key: JsonValue
  /** The time the key was read as of. */
  readonly asOf: bigint
  readonly values: readonly KeyValue[]
}

/**
 * The current value(s) of `key` in `collection` at `point` (`null`: the catalog was never written,
 * an {@link UninitializedError}). Throws `UsageError`/`ValidationError` for a key that does not fit
 * the collection's schema. Never writes.
 */
export async function readKey(
  store: ShardStore,
  shard: string,
  point: ReadPoint | null,
  collection: CollectionName,
  keyInput: string | JsonValue,
): Promise<KeyReadResult> {
  const kind = COLLECTION_KINDS[collection]
  const key = parseUserKey(collection, keyInput)
  if (point === null) throw new UninitializedError()
  const configs = await readConfigs(store, shard, point.asOf)
  if (configs.size === 0) throw new UninitializedError()
  const versions = decodeVersions(configs.get(USER_VERSION_KEY)?.value ?? null)
  const rows = await readRows(store, shard, point.asOf, kind, keyLookup(kind, key)[1], { keepTimestamps: true })
  const net = new Map<string, { count: bigint; writtenAt: bigint }>()
  for (const u of rows) {
    const e = net.get(u.data) ?? { count: 0n, writtenAt: 0n }
    e.count += u.diff
    if (u.diff > 0n && u.ts > e.writtenAt) e.writtenAt = u.ts
    net.set(u.data, e)
  }
  const values: KeyValue[] = []
  for (const [data, { count, writtenAt }] of net) {
    if (count <= 0n) continue
    const e = traceEntry({ data, ts: writtenAt, diff: count }, collection, versions)
    const many = count === 1n ? {} : { count }
    values.push(e.type === 'row' ? { value: e.value, writtenAt, ...many } : { value: null, writtenAt, ...many, undecodable: e.reason })
  }
  values.sort((a, b) => (a.writtenAt < b.writtenAt ? -1 : a.writtenAt > b.writtenAt ? 1 : 0))
  return { collection, key, asOf: point.asOf, values }
}
