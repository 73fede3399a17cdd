/**
 * Following the catalog as it changes (`watch`): every update committed to the catalog shard after
 * a start time, in commit order, decoded, as the store's listen delivers them. Reads only: a listen
 * holds no lease and never writes, so it works on read-only stores.
 */

import { AsOfNotYetAvailableError } from '../errors.js'
import { canonicalJson, type JsonValue, parseJson } from '../json/lossless-json.js'
import type { Update } from '../store/shard-store.js'
import { asOfSinceError, pastReadPoint, readConfigs } from './catalog-reads.js'
import { rowLookup } from './codec/row-codec.js'
import { USER_VERSION_KEY } from './constants.js'
import { KIND_COLLECTIONS, type CollectionName } from './kinds/collections.js'
import { decodeVersions, traceEntry } from './trace.js'
import type { UnopenedCatalog } from './unopened-catalog.js'

/** One committed update as `watch` reports it. */
export interface WatchEntry {
  /** The collection, or `epoch` for the epoch row, or `null` for a row of no known kind. */
  readonly collection: CollectionName | 'epoch' | null
  readonly ts: bigint
  readonly diff: bigint
  /** The row as stored, canonical (the fixture format's `data`). */
  readonly data: string
  /** Decoded key and value (`null` for the epoch, key-only collections' values, undecodable rows). */
  readonly key: JsonValue | null
  readonly value: JsonValue | null
  /** Why the row does not decode, when it does not. */
  readonly undecodable?: string
}

export interface WatchOptions {
  /**
   * Report the updates committed after this time (`ts > from`): what `dump --as-of FROM` does not
   * show yet. Default: the current upper − 1, i.e. from now on.
   */
  readonly from?: bigint
  /** Only these collections (the epoch is reported only without a filter). */
  readonly collections?: ReadonlySet<CollectionName>
  /** Called once the watch is listening, with the time it reports updates after. */
  readonly onStart?: (from: bigint) => void
  /** Stops the watch: the generator returns as soon as it sees the signal, without waiting for the next commit. */
  readonly signal?: AbortSignal
}

/**
 * Every update committed to the catalog shard after `from`, in batches: one batch per commit
 * step the listen saw (updates in timestamp order), never empty. Runs until `signal` aborts. A
 * `from` below what the store still holds is the `as-of-before-since` `NotFoundError`; a time not
 * sealed yet, `as-of-not-readable`.
 */
export async function* watchCatalog(catalog: UnopenedCatalog, opts: WatchOptions = {}): AsyncGenerator<WatchEntry[]> {
  const { store } = catalog
  const shard = catalog.shards.catalog
  const start = opts.from ?? (await store.fetchRecentUpper(shard))
  if (start === null) return
  // From now on: everything after upper − 1; a never-written catalog starts at 0.
  const from = opts.from ?? (start === 0n ? 0n : start - 1n)
  if (opts.from !== undefined) await pastReadPoint(store, shard, from)
  // The catalog version to decode with first (any other supported one is tried next); a catalog
  // not written yet has none, and reading it there would wait for its first write.
  const configs = start === 0n ? new Map() : await readConfigs(store, shard, from).catch(() => new Map())
  const versions = decodeVersions(configs.get(USER_VERSION_KEY)?.value ?? null)
  const listen = await store.listen(shard, from).catch((err: unknown) => {
    throw asOfSinceError(from, err)
  })
  const aborted = abortPromise(opts.signal)
  opts.onStart?.(from)
  try {
    while (opts.signal?.aborted !== true) {
      const next = listen.fetchNext()
      // A stop must not wait for the next commit: the pending fetch is left to fail or settle.
      next.catch(() => {})
      let events: Awaited<typeof next> | undefined
      try {
        events = await Promise.race([next, aborted])
      } catch (err) {
        // Nothing committed within the store's wait: keep waiting where the listen is.
        if (err instanceof AsOfNotYetAvailableError) continue
        throw err
      }
      if (events === undefined) return
      const entries: WatchEntry[] = []
      for (const e of events) if (e.type === 'updates') for (const u of e.updates) entries.push(...entryOf(u, versions, opts.collections))
      if (entries.length > 0) yield entries
    }
  } finally {
    await listen.expire()
  }
}

/** Resolves `undefined` when `signal` aborts (never, without one). */
function abortPromise(signal: AbortSignal | undefined): Promise<undefined> {
  return new Promise((resolve) => {
    if (signal === undefined) return
    if (signal.aborted) resolve(undefined)
    else signal.addEventListener('abort', () => resolve(undefined), { once: true })
  })
}

function entryOf(u: Update, versions: readonly number[], only: ReadonlySet<CollectionName> | undefined): WatchEntry[] {
  let data = u.data
  try {
    data = canonicalJson(parseJson(u.data))
  } catch {
    // Not JSON: reported as stored.
  }
  const kind = rowLookup(u.data)[0]
  if (kind === 'Epoch') {
    if (only !== undefined) return []
    const epoch = (parseJson(u.data) as { epoch?: JsonValue }).epoch ?? null
    return [{ collection: 'epoch', ts: u.ts, diff: u.diff, data, key: null, value: epoch }]
  }
  const collection = kind === null ? undefined : (KIND_COLLECTIONS as Record<string, CollectionName | undefined>)[kind]
  if (collection === undefined) {
    if (only !== undefined) return []
    return [{ collection: null, ts: u.ts, diff: u.diff, data, key: null, value: null, undecodable: 'no known kind' }]
  }
  if (only !== undefined && !only.has(collection)) return []
  const e = traceEntry(u, collection, versions)
  return e.type === 'row'
    ? [{ collection, ts: u.ts, diff: u.diff, data, key: e.key, value: e.value }]
    : [{ collection, ts: u.ts, diff: u.diff, data, key: null, value: null, undecodable: e.reason }]
}
