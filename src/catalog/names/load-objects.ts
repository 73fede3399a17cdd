/**
 * Reads the collections that name objects, all at one time of the catalog shard (consolidated: the
 * contents at that time), and builds {@link CatalogObjects} (an on-disk index: close it when done). Read-only: works on any store a read
 * command opens, a fixture `--store` included. Rows that do not decode are counted, not fatal.
 */
import type { ShardStore } from '../../store/shard-store.js'
import { currentReadPoint } from '../catalog-reads.js'
import { catalogShardIds } from '../catalog-shards.js'
import { COLLECTION_KINDS, type CollectionName } from '../kinds/collections.js'
import { openUnopenedCatalog } from '../unopened-catalog.js'
import type { TraceEntry, TraceOptions } from '../trace.js'
import type { CatalogObjects } from './catalog-objects.js'
import { CatalogObjectsBuilder } from './objects-builder.js'

/** What the names module reads from: an unopened catalog's consolidated traces. */
interface ObjectSource {
  trace(collection: CollectionName, opts: TraceOptions): AsyncIterable<TraceEntry>
}

const COLLECTIONS = [
  'database',
  'schema',
  'item',
  'compute_instance',
  'compute_replicas',
  'role',
  'comments',
  'system_privileges',
] as const satisfies readonly CollectionName[]

/**
 * Called as the objects are read: stored updates of the object collections read so far, of the
 * total at the read point.
 */
type ObjectsProgress = (done: number, total: number) => void

/**
 * The objects of `organizationId`'s catalog as of `asOf` (time travel: any time from the shard's
 * since up to its upper − 1), or now. "Now" is pinned to one read point first, so that every
 * collection is read at the same time even while writers append.
 */
export async function readCatalogObjectsAt(
  store: ShardStore,
  organizationId: string,
  asOf?: bigint,
  progress?: ObjectsProgress,
): Promise<CatalogObjects> {
  const shard = catalogShardIds(organizationId).catalog
  const at = asOf ?? (await currentReadPoint(store, shard))?.asOf
  const catalog = await openUnopenedCatalog(store, organizationId, at === undefined ? {} : { asOf: at })
  let onRead: ((updates: number) => void) | undefined
  if (progress !== undefined && at !== undefined) {
    // Counted from the store's lookup index, without reading the rows.
    let total = 0
    for (const c of COLLECTIONS) total += Number((await store.countUpdates(shard, at, { a: COLLECTION_KINDS[c] })).total)
    let done = 0
    onRead = (updates) => {
      done += updates
      progress(done, total)
    }
  }
  return loadCatalogObjects(catalog, onRead)
}

/**
 * The objects of the catalog `source` reads, at its read point. Each collection's current rows
 * stream into the builder unordered and are let go one by one into its on-disk index. A failed
 * read lets go of the index.
 */
async function loadCatalogObjects(source: ObjectSource, onRead?: (updates: number) => void): Promise<CatalogObjects> {
  const builder = new CatalogObjectsBuilder()
  try {
    for (const c of COLLECTIONS) {
      for await (const e of source.trace(c, { consolidated: true, unordered: true, ...(onRead === undefined ? {} : { onRead }) })) {
        if (e.type === 'row') builder.add(c, { key: e.key, value: e.value })
        else builder.skip()
      }
    }
    return builder.finish()
  } catch (e) {
    builder.abandon()
    throw e
  }
}
