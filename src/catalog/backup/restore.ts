/**
 * Restore of a SQLite store from a backup (`catalog-debug restore`), guarded the way etcd's is: a
 * restore that would lose writes made after the backup (a shard whose upper the store has moved
 * past the backup's, or a shard the backup lacks) is refused unless forced, and nothing is
 * touched. Whatever it puts back, a restore never moves an upper backwards and leaves every
 * catalog's epoch above every epoch seen before it (`fence-restored.ts`), so no writer of the old
 * state can write into the restored one and no timestamp is handed out twice. The whole result
 * (backup, fence, write records) is built beside the store, then renamed into place (a new file)
 * or copied in through SQLite's backup API as one transaction on the store, under SQLite's locks.
 */

import { chmodSync, existsSync } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import {
  NotFoundError,
  RefusedError,
  StoreBusyError,
  StoreCorruptError,
  UpperMismatchError,
  UsageError,
  CatalogDebugError,
} from '../../errors.js'
import { isPostgresLocation, openStore } from '../../store/open-store.js'
import { frontierText } from '../../store/frontier.js'
import type { Frontier, ShardListing, ShardStore, WriteRecord } from '../../store/shard-store.js'
import { rowLookup } from '../codec/row-lookup.js'
import { ORGANIZATION_LABEL } from '../constants.js'
import { catalogEpochs, fenceRestoredImage, plannedEpochs, type RestoredEpoch } from './fence-restored.js'
import { backupCapable, checkedListing, frontiersOf, removeSidecars, tempPath, type ShardFrontiers } from './store-file.js'

/** A shard whose upper a restore would move backwards (or drop: `restoredUpper` null and `missing`). */
export interface UpperRegression {
  readonly shardId: string
  readonly shardName: string
  readonly organizationId: string | null
  readonly currentUpper: Frontier
  /** The upper the restore would leave (`0` when the source lacks the shard). */
  readonly restoredUpper: Frontier
  readonly missing: boolean
}

export interface RestoreResult {
  readonly source: string
  readonly target: string
  /** Whether `target` existed (and was replaced). */
  readonly replaced: boolean
  /** Shards of the restored store. */
  readonly shards: readonly ShardFrontiers[]
  /** Shards whose upper went backwards (only with `force`; otherwise the restore is refused). */
  readonly regressions: readonly UpperRegression[]
  readonly forced: boolean
  /** Every catalog's epoch across the restore (planned, for a dry run). */
  readonly epochs: readonly RestoredEpoch[]
}

export interface RestoreOptions {
  /** Restore even when an upper would go backwards, or when the target cannot be read. */
  readonly force?: boolean
  /**
   * Run every check (and every refusal) but copy nothing: the result says what a restore would
   * do (`shards`: the source's, as they would be restored).
   */
  readonly dryRun?: boolean
  /**
   * Record this write with every restored shard (see `WriteRecord`), in the same transaction as
   * the restore: with the append that fences a shard, or on its own where nothing is appended.
   */
  readonly record?: WriteRecord
}

/** Whether frontier `a` is behind `b` (`null` is the empty frontier, beyond every time). */
function behind(a: Frontier, b: Frontier): boolean {
  if (a === null) return false
  if (b === null) return true
  return a < b
}

/** The shards whose upper would regress if `target`'s shards were replaced by `source`'s. */
export function upperRegressions(target: readonly ShardListing[], source: readonly ShardListing[]): UpperRegression[] {
  const bySource = new Map(source.map((s) => [s.shardId, s]))
  const out: UpperRegression[] = []
  for (const t of target) {
    const s = bySource.get(t.shardId)
    const restored = s === undefined ? 0n : s.upper
    if (behind(restored, t.upper)) {
      out.push({
        shardId: t.shardId,
        shardName: t.shardName,
        organizationId: t.labels[ORGANIZATION_LABEL] ?? null,
        currentUpper: t.upper,
        restoredUpper: restored,
        missing: s === undefined,
      })
    }
  }
  return out
}

/** A store that can replace its contents with a backup file under its own locks (the SQLite store). */
interface RestoreCapable {
  restoreFrom(source: string, opts: { check?: (current: ShardListing[]) => void }): Promise<unknown>
}

function restoreCapable(store: ShardStore): ShardStore & RestoreCapable {
  if (typeof (store as Partial<RestoreCapable>).restoreFrom !== 'function') {
    throw new UsageError(`restore needs a SQLite store; ${store.info.location} is a ${store.info.backend} store`, {
      code: 'backup-unsupported',
    })
  }
  return store as ShardStore & RestoreCapable
}

/** The regressions a restore of `sourceShards` over `targetShards` would cause; a `RefusedError` unless `force`. */
function guardUppers(
  source: string,
  targetShards: readonly ShardListing[],
  sourceShards: readonly ShardListing[],
  force: boolean,
): UpperRegression[] {
  const regressions = upperRegressions(targetShards, sourceShards)
  if (regressions.length > 0 && !force) {
    const list = regressions.map(
      (r) =>
        `${r.shardName || 'shard'} ${r.shardId}${r.organizationId === null ? '' : ` (organization ${r.organizationId})`}: upper ${frontierText(r.currentUpper)} → ${r.missing ? 'absent' : frontierText(r.restoredUpper)}`,
    )
    throw new RefusedError(
      `restoring ${source} would move ${regressions.length === 1 ? "a shard's upper" : `${regressions.length} shards' uppers`} backwards: ${list.join('; ')}`,
      {
        code: 'restore-regresses-upper',
        hint: 'the writes made after the backup would be lost (writers that made them are fenced); pass --force only when that is what you want',
        details: { regressions: regressions.map((r) => ({ ...r })) },
      },
    )
  }
  return regressions
}

function storeInUse(target: string, cause: unknown): RefusedError {
  return new RefusedError(`${target} is in use by another process (it holds a transaction on the store)`, {
    code: 'store-in-use',
    hint: 'stop every process using the store, then restore',
    cause,
  })
}

/** The store a restore replaces, as read before it: its shards and its catalogs' epochs. */
interface StoreBefore {
  readonly shards: readonly ShardListing[]
  readonly epochs: ReadonlyMap<string, { organizationId: string; epoch: bigint | null }>
}

const NOTHING_BEFORE: StoreBefore = { shards: [], epochs: new Map() }

/** Opens a store file read-only (with the catalog's lookup columns) and reads its shards and epochs. */
async function readBefore(path: string): Promise<StoreBefore> {
  const store = await openStore(path, { readOnly: true, lookup: rowLookup })
  try {
    return { shards: await store.listShards(), epochs: await catalogEpochs(store) }
  } finally {
    await store.close()
  }
}

/**
 * Replaces the store file `target` with the backup `source`, and fences every writer of the store
 * it replaces (see `fence-restored.ts`): every catalog's epoch ends one above the highest of the
 * store's and the backup's, and every shard's upper at or past the store's (a catalog's one past).
 *
 * Checks first, touching nothing: the source passes the integrity check; if `target` exists, it
 * is opened read-only and no shard's upper may be ahead of the source's — a shard absent from the
 * source counts as upper 0 — since the writes after the backup would be lost. Such a loss is a
 * {@link RefusedError} (code `restore-regresses-upper`) listing every shard, unless `force`.
 * `dryRun` stops there (the result says which epochs the restore would leave).
 *
 * The restored image is then built next to `target`: the backup copied, the fence appended and
 * the write `record` stored with every shard, checked. An existing store is restored in place,
 * online (`SqliteShardStore.restoreFrom`): under the store's write lock the checks run again on
 * its current state — a store that changed since it was read is an `UpperMismatchError`
 * (transient: the retry rebuilds the image), another connection in a transaction refuses the
 * restore (`RefusedError` code `store-in-use`) — and the image's pages are copied in through
 * SQLite's backup API as one transaction, so a process that still has the store open sees the
 * restored state on its next transaction. An idle connection cannot be detected: restore with no
 * other process attached. A new `target`, or (with `force`) one that cannot be read as a store,
 * is the image renamed into place. Either way a crash leaves the old store or the whole restore
 * (contents, fence and records), never a part.
 */
export async function restoreStore(source: string, target: string, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const force = opts.force === true
  if (isPostgresLocation(source) || isPostgresLocation(target)) throw new UsageError('restore works on SQLite store files only')
  if (!existsSync(source)) throw new NotFoundError(`backup ${source} does not exist`)
  const sourceShards = await checkedListing(source, 'the backup')

  const replaced = existsSync(target)
  let regressions: UpperRegression[] = []
  let before: StoreBefore | undefined
  if (replaced) {
    try {
      // Read-only: the comparison must not write (or checkpoint) the store.
      before = await readBefore(target)
    } catch (err) {
      if (!(err instanceof CatalogDebugError) || !force) {
        if (err instanceof CatalogDebugError) {
          throw new RefusedError(`cannot read the current store ${target} to check the restore is safe: ${err.message}`, {
            code: 'restore-target-unreadable',
            hint: 'pass --force to replace it anyway',
            cause: err,
          })
        }
        throw err
      }
    }
    if (before !== undefined) regressions = guardUppers(source, before.shards, sourceShards, force)
  }
  const forced = force && regressions.length > 0

  if (opts.dryRun === true) {
    const epochs = plannedEpochs(await readBefore(source).then((b) => b.epochs), (before ?? NOTHING_BEFORE).epochs)
    return { source, target, replaced, shards: sourceShards.map(frontiersOf), regressions, forced, epochs }
  }

  const image = tempPath(target)
  try {
    const epochs = await buildImage(source, image, before ?? NOTHING_BEFORE, opts.record)
    const shards = await checkedListing(image, 'the restored copy')
    await removeSidecars(image)
    if (before !== undefined) {
      await restoreInPlace(image, target, sourceShards, before.shards, source, force)
    } else {
      await removeSidecars(target)
      await rename(image, target)
    }
    return { source, target, replaced, shards: shards.map(frontiersOf), regressions, forced, epochs }
  } finally {
    await rm(image, { force: true })
    await removeSidecars(image)
  }
}

/** Copies the backup `source` to `image` and fences it against the store it will replace. */
async function buildImage(source: string, image: string, before: StoreBefore, record: WriteRecord | undefined): Promise<RestoredEpoch[]> {
  const src = await openStore(source, { readOnly: true })
  try {
    await backupCapable(src).backup(image)
  } finally {
    await src.close()
  }
  chmodSync(image, 0o600)
  const store = await openStore(image, { lookup: rowLookup })
  try {
    return await fenceRestoredImage(store, before, record)
  } finally {
    await store.close()
  }
}

/** Whether the store's shards are still those the restore was planned on (same uppers and seqnos). */
function unchangedSince(planned: readonly ShardListing[], current: readonly ShardListing[]): boolean {
  if (planned.length !== current.length) return false
  const byId = new Map(planned.map((s) => [s.shardId, s]))
  return current.every((c) => {
    const p = byId.get(c.shardId)
    return p !== undefined && p.upper === c.upper && p.seqno === c.seqno
  })
}

/** Copies the fenced image over an existing, readable store under its own locks (see {@link restoreStore}). */
async function restoreInPlace(
  image: string,
  target: string,
  sourceShards: readonly ShardListing[],
  plannedOn: readonly ShardListing[],
  source: string,
  force: boolean,
): Promise<void> {
  let store: ShardStore
  try {
    store = await openStore(target, {})
  } catch (err) {
    if (err instanceof StoreBusyError) throw storeInUse(target, err)
    throw err
  }
  try {
    try {
      await restoreCapable(store).restoreFrom(image, {
        check: (current) => {
          guardUppers(source, current, sourceShards, force)
          if (!unchangedSince(plannedOn, current)) {
            throw new UpperMismatchError(`${target} changed while the restore was being prepared; the restore must be prepared again`)
          }
        },
      })
    } catch (err) {
      if (err instanceof StoreBusyError) throw storeInUse(target, err)
      throw err
    }
    const problems = await store.integrityCheck()
    if (problems.length > 0) {
      throw new StoreCorruptError(
        `the restored store ${target} fails the integrity check: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}`,
      )
    }
  } finally {
    await store.close()
  }
}
