/**
 * A cached kind read from the store key by key instead of loaded into a catalog state: the result
 * is what loading the kind would give (each key's committed rows, the inconsistencies met), in
 * the order the loaded table would hold the keys, but only one key's rows are held at a time.
 *
 * The store streams the kind's updates ordered by lookup key, then stored text
 * (`StreamOptions.order: 'lookup'`), so every update of one key is adjacent and summing adjacent
 * equal texts consolidates them as they go by; each key's summed rows are replayed on their own
 * (`replayKeyRows`). Loading applies a kind's rows by (diff, stored text), so a loaded
 * table holds its keys in the order of the row that inserted each; for a catalog written in
 * canonical JSON that is the stream's order (a row's text begins with its canonical key). When the
 * stream shows otherwise (a key out of order, a key inserted by a row of diff 2, a key spelled
 * other than canonically), the kind is read again, held whole, and its keys sorted: the same
 * result, in the memory loading it takes.
 */

import { compareCodePoints } from '../json/lossless-json.js'
import { consolidateRuns } from '../store/consolidate-runs.js'
import type { ShardStore, Update } from '../store/shard-store.js'
import { rowLookup } from './codec/row-codec.js'
import type { CollectionKindName } from './kinds/kind-names.js'
import { compareLoadPlaces, replayKeyRows, type LoadPlace, type ReplayedKey } from './state-entry.js'

/** A key that is current, as {@link replayStreamedKind} hands it over. */
export type CurrentKey = ReplayedKey & { readonly entry: NonNullable<ReplayedKey['entry']>; readonly place: LoadPlace }

/** What consumes the current keys of a kind, in table order; made afresh for each read. */
export interface KeyVisitor<T> {
  key(k: CurrentKey): void
  finish(): T
}

/** Thrown inside a streamed read when the stream's order is not the table's; never escapes. */
const OUT_OF_ORDER = Symbol('out of order')

/**
 * Replays every key of `kind` at `asOf` (see the module comment) through a visitor from `start`,
 * and returns its result with the kind's inconsistencies, in the order loading would meet them.
 * `onRead` is told how many updates were read, once per update however often the kind is read.
 */
export async function replayStreamedKind<T>(
  store: ShardStore,
  shard: string,
  asOf: bigint,
  kind: CollectionKindName,
  start: () => KeyVisitor<T>,
  onRead?: (n: number) => void,
): Promise<{ result: T; anomalies: string[] }> {
  let read = 0
  let told = 0
  const batches = async function* (): AsyncGenerator<readonly Update[]> {
    read = 0
    for await (const batch of store.snapshotBatches(shard, asOf, { where: { a: kind }, order: 'lookup' })) {
      read += batch.length
      if (onRead !== undefined && read > told) {
        onRead(read - told)
        told = read
      }
      yield batch
    }
  }
  try {
    return await readKeys(groupsInStreamOrder(batches()), kind, start(), true)
  } catch (err) {
    if (err !== OUT_OF_ORDER) throw err
  }
  return readKeys(groupsInTextOrder(consolidateRuns(batches())), kind, start(), false)
}

type KeyGroup = { readonly keyText: string | null; readonly rows: (readonly [string, bigint])[] }

async function readKeys<T>(
  groups: AsyncIterable<KeyGroup>,
  kind: string,
  visitor: KeyVisitor<T>,
  streamed: boolean,
): Promise<{ result: T; anomalies: string[] }> {
  const anomalies: { place: LoadPlace; anomaly: string; seq: number }[] = []
  const current: CurrentKey[] = []
  let last: LoadPlace | undefined
  for await (const { keyText, rows } of groups) {
    const k = replayKeyRows(kind, keyText, rows)
    for (const a of k.anomalies) anomalies.push({ ...a, seq: anomalies.length })
    if (k.entry === undefined || k.place === undefined) continue
    const key = k as CurrentKey
    if (!streamed) current.push(key)
    else {
      if (last !== undefined && compareLoadPlaces(last, key.place) >= 0) throw OUT_OF_ORDER
      last = key.place
      visitor.key(key)
    }
  }
  if (!streamed) for (const key of current.sort((a, b) => compareLoadPlaces(a.place, b.place))) visitor.key(key)
  anomalies.sort((a, b) => compareLoadPlaces(a.place, b.place) || a.seq - b.seq)
  return { result: visitor.finish(), anomalies: anomalies.map((a) => a.anomaly) }
}

/**
 * Adjacent rows of one lookup key, as the stream gives them, each key's updates summed per stored
 * text as they go by (they come in stored-text order); out of order when keys do not increase.
 * Nothing is held beyond the key at hand: rows a runtime keeps across its young-generation
 * collections are moved to the old generation, which it collects late.
 */
async function* groupsInStreamOrder(updates: AsyncIterable<readonly Update[]>): AsyncGenerator<KeyGroup> {
  let group: KeyGroup | undefined
  let text: string | undefined
  let sum = 0n
  const close = (): void => {
    if (group !== undefined && text !== undefined && sum !== 0n) group.rows.push([text, sum])
  }
  for await (const batch of updates) {
    for (const u of batch) {
      if (u.data === text) {
        sum += u.diff
        continue
      }
      const keyText = rowLookup(u.data)[1]
      close()
      text = u.data
      sum = u.diff
      if (group !== undefined && group.keyText === keyText) continue
      if (group !== undefined) {
        // Keys without one come first, then by code points: anything else is another grouping.
        if (keyText === null || (group.keyText !== null && compareCodePoints(group.keyText, keyText) >= 0)) throw OUT_OF_ORDER
        if (group.rows.length > 0) yield group
      }
      group = { keyText, rows: [] }
    }
  }
  close()
  if (group !== undefined && group.rows.length > 0) yield group
}

/** Every row held, grouped by lookup key, each key's rows in stored-text order. */
async function* groupsInTextOrder(updates: AsyncIterable<readonly Update[]>): AsyncGenerator<KeyGroup> {
  const byKey = new Map<string | null, (readonly [string, bigint])[]>()
  for await (const batch of updates) {
    for (const u of batch) {
      const keyText = rowLookup(u.data)[1]
      const rows = byKey.get(keyText)
      if (rows === undefined) byKey.set(keyText, [[u.data, u.diff]])
      else rows.push([u.data, u.diff])
    }
  }
  for (const [keyText, rows] of byKey) yield { keyText, rows: rows.sort(([a], [b]) => compareCodePoints(a, b)) }
}
