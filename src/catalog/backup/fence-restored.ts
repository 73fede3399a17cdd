/**
 * What a restore writes on top of the backup it puts back, so that nobody who saw the store
 * before the restore can write into the restored one.
 *
 * A writer holding a catalog open knows two things: the upper it last wrote at and its epoch.
 * Its next commit is a compare-and-append at that upper, and only a mismatch makes it look at the
 * epoch (`DurableCatalog.confirmLeadership`). So putting a backup back is safe only if, for every
 * catalog, (1) the upper ends past every upper the store had reached — else a writer whose upper
 * happens to equal the restored one appends on top of a history it never saw — and (2) the epoch
 * ends above every epoch the store or the backup had seen, so that the mismatch names a newer
 * epoch and a writer reopening from an old read cannot win. Timestamps are the catalog's clock:
 * moving the upper forward (persist allows gaps) also keeps the store from handing out a
 * timestamp twice.
 *
 * Every shard of the restored image is therefore carried forward: a catalog shard gets one
 * compare-and-append from the backup's upper to `max(store upper, backup upper) + 1` that retracts
 * the backup's epoch and inserts `max(store epoch, backup epoch) + 1`; any other shard (the
 * catalog-upgrade shards, shards of other tools) gets an empty append up to the store's upper when
 * it is behind; a catalog the backup lacks is kept as its epoch alone. Each of these appends carries the restore's write record; a shard that needs no
 * append gets the record on its own. All of it is written into the image before the image is
 * copied over the store in one transaction, so the restore, the fence and the records land
 * together or not at all.
 */

import { CatalogDebugError } from '../../errors.js'
import type { ShardListing, ShardStore, WriteRecord } from '../../store/shard-store.js'
import { currentReadPoint, readEpoch } from '../catalog-reads.js'
import { catalogShardDiagnostics, listCatalogs } from '../catalog-shards.js'
import { encodeEpochRow } from '../codec/row-codec.js'

/** The epoch of one catalog across a restore. */
export interface RestoredEpoch {
  readonly organizationId: string
  readonly shardId: string
  /** The epoch the store held before the restore (`null`: no such catalog, or no epoch). */
  readonly storeEpoch: bigint | null
  /** The epoch in the backup (`null`: the backup's catalog has none). */
  readonly backupEpoch: bigint | null
  /** The epoch the restore leaves: one above both (`null`: neither had one; nothing to fence). */
  readonly epoch: bigint | null
}

/** The epoch of every catalog in `store`, by catalog shard id (`null`: the catalog has none). Never writes. */
export async function catalogEpochs(store: ShardStore): Promise<Map<string, { organizationId: string; epoch: bigint | null }>> {
  const out = new Map<string, { organizationId: string; epoch: bigint | null }>()
  for (const c of await listCatalogs(store)) {
    if (c.upper === null) continue // finished: no writer can append to it
    const point = await currentReadPoint(store, c.shardId)
    const epoch = point === null ? null : (await readEpoch(store, c.shardId, point.asOf)).epoch
    out.set(c.shardId, { organizationId: c.organizationId, epoch })
  }
  return out
}

/** The epoch a restore leaves, given what the store and the backup held. */
export function fencedEpoch(storeEpoch: bigint | null, backupEpoch: bigint | null): bigint | null {
  if (storeEpoch === null && backupEpoch === null) return null
  const seen = storeEpoch === null ? backupEpoch! : backupEpoch === null || storeEpoch > backupEpoch ? storeEpoch : backupEpoch
  return seen + 1n
}

/**
 * The epochs a restore of a backup holding `backup` over a store holding `before` leaves, for
 * every catalog of either (a catalog only the store has is kept as its epoch alone).
 */
export function plannedEpochs(
  backup: ReadonlyMap<string, { organizationId: string; epoch: bigint | null }>,
  before: ReadonlyMap<string, { organizationId: string; epoch: bigint | null }>,
): RestoredEpoch[] {
  const out: RestoredEpoch[] = []
  for (const [shardId, b] of backup) {
    const storeEpoch = before.get(shardId)?.epoch ?? null
    out.push({ organizationId: b.organizationId, shardId, storeEpoch, backupEpoch: b.epoch, epoch: fencedEpoch(storeEpoch, b.epoch) })
  }
  for (const [shardId, s] of before) {
    if (backup.has(shardId) || s.epoch === null) continue
    out.push({ organizationId: s.organizationId, shardId, storeEpoch: s.epoch, backupEpoch: null, epoch: fencedEpoch(s.epoch, null) })
  }
  return out
}

function maxUpper(a: bigint, b: bigint | null | undefined): bigint {
  return b === null || b === undefined || b <= a ? a : b
}

/**
 * Carries every shard of `image` (a writable handle on a fresh copy of the backup) past the store
 * it will replace, whose shards and epochs were `before` (empty for a new or unreadable store),
 * and returns the epochs it left. See the module comment. Throws when an append meets a
 * mismatch: nobody else may write to the image.
 */
export async function fenceRestoredImage(
  image: ShardStore,
  before: {
    readonly shards: readonly ShardListing[]
    readonly epochs: ReadonlyMap<string, { organizationId: string; epoch: bigint | null }>
  },
  record: WriteRecord | undefined,
): Promise<RestoredEpoch[]> {
  const storeUpper = new Map(before.shards.map((s) => [s.shardId, s.upper]))
  const planned = new Map(plannedEpochs(await catalogEpochs(image), before.epochs).map((e) => [e.shardId, e]))
  for (const shard of await image.listShards()) {
    const upper = shard.upper
    const planEpoch = planned.get(shard.shardId)
    if (upper === null) {
      if (record !== undefined) await image.addWriteRecord(shard.shardId, record)
      continue
    }
    const reach = maxUpper(upper, storeUpper.get(shard.shardId))
    if (planEpoch !== undefined) {
      const point = await currentReadPoint(image, shard.shardId)
      const current = point === null ? { epoch: null, rows: [] } : await readEpoch(image, shard.shardId, point.asOf)
      const updates =
        planEpoch.epoch === null
          ? []
          : [
              ...current.rows.map((r) => ({ data: r.data, ts: reach, diff: -r.count })),
              { data: encodeEpochRow(planEpoch.epoch), ts: reach, diff: 1n },
            ]
      await appendOrFail(image, shard.shardId, updates, upper, reach + 1n, record)
    } else if (reach > upper) {
      await appendOrFail(image, shard.shardId, [], upper, reach, record)
    } else if (record !== undefined) {
      await image.addWriteRecord(shard.shardId, record)
    }
  }
  // A catalog the backup lacks is dropped by a forced restore; its shard is kept as an epoch alone
  // (a catalog whose creation did not finish: reads say so, `init` completes it above that epoch),
  // so its writers are fenced too and nothing recreated there starts below what they saw.
  const inImage = new Set((await image.listShards()).map((s) => s.shardId))
  for (const e of planned.values()) {
    const upper = storeUpper.get(e.shardId)
    if (inImage.has(e.shardId) || e.epoch === null || upper === null || upper === undefined) continue
    await image.openShard(e.shardId, catalogShardDiagnostics(e.organizationId))
    await appendOrFail(image, e.shardId, [{ data: encodeEpochRow(e.epoch), ts: upper, diff: 1n }], 0n, upper + 1n, record)
  }
  return [...planned.values()]
}

async function appendOrFail(
  image: ShardStore,
  shardId: string,
  updates: readonly { data: string; ts: bigint; diff: bigint }[],
  expected: bigint,
  next: bigint,
  record: WriteRecord | undefined,
): Promise<void> {
  const res = await image.compareAndAppend(shardId, updates, expected, next, undefined, record)
  if (!res.ok) {
    throw new CatalogDebugError(
      'restore-image-changed',
      'failure',
      `the restore's private copy of shard ${shardId} changed while it was fenced`,
    )
  }
}
