/**
 * Reads the collections that name objects, all at one time of the catalog shard (consolidated: the
 * contents at that time), and builds {@link CatalogObjects}. Read-only: works on any store a read
 * command opens, a fixture `--store` included. Rows that do not decode are counted, not fatal.
 */
import type { ShardStore } from '../../store/shard-store.js'
import { currentReadPoint } from '../catalog-reads.js'
import { catalogShardIds } from '../catalog-shards.js'
import type { CollectionName } from '../kinds/collections.js'
import { openUnopenedCatalog } from '../unopened-catalog.js'
import type { TraceEntry, TraceOptions } from '../trace.js'
import { buildCatalogObjects, type CatalogObjects, type ObjectRows, type Row } from './catalog-objects.js'

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
] as const satisfies readonly (keyof ObjectRows & CollectionName)[]

/**
 * The objects of `organizationId`'s catalog as of `asOf` (time travel: any time from the shard's
 * since up to its upper − 1), or now. "Now" is pinned to one read point first, so that every
 * collection is read at the same time even while writers append.
 */
export async function readCatalogObjectsAt(store: ShardStore, organizationId: string, asOf?: bigint): Promise<CatalogObjects> {
  const at = asOf ?? (await currentReadPoint(store, catalogShardIds(organizationId).catalog))?.asOf
  return loadCatalogObjects(await openUnopenedCatalog(store, organizationId, at === undefined ? {} : { asOf: at }))
}

/** The objects of the catalog `source` reads, at its read point. */
async function loadCatalogObjects(source: ObjectSource): Promise<CatalogObjects> {
  const rows: Record<string, Row[]> = {}
  let undecodable = 0
  for (const c of COLLECTIONS) {
    const list: Row[] = []
    for await (const e of source.trace(c, { consolidated: true })) {
      if (e.type === 'row') list.push({ key: e.key, value: e.value })
      else undecodable++
    }
    rows[c] = list
  }
  return buildCatalogObjects(rows as unknown as ObjectRows, undecodable)
}
