/**
 * Opening a catalog in one of the three open modes (Materialize's `open_inner`).
 *
 * Writable, in order (each step at its own persist timestamp):
 *   0. refuse, before any write, what would fail later: an uninitialised catalog without a
 *      replica size, a catalog version this build cannot migrate (Materialize bumps the epoch
 *      first, fencing out the running environment for nothing);
 *   1. register the shard (with diagnostics) and the critical since handle, and append an empty
 *      batch `[0, 1)` so a brand-new shard is readable (a no-op on an existing shard);
 *   2. fence out every earlier writer: retract the current epoch (its stored text) and insert
 *      `max(previous + 1, epochLowerBound)` at the upper;
 *   3. migrate an initialised catalog to version 47, one compare-and-append per step, or
 *      initialise an empty one (one compare-and-append for all of it);
 *   4. set `deploy_generation` when asked (no write if unchanged);
 *   5. stamp the catalog-upgrade shard with this build's version (an empty append, retried until
 *      it lands), announcing that this build now runs the catalog.
 * Savepoint does 2–4 in memory only and writes nothing; read-only does none of them, except that
 * a `deploy_generation` is applied in memory. Both refuse an uninitialised catalog.
 */

import { AlreadyExistsError, NotWritableError, SinceError, StoreBusyError, UsageError } from '../errors.js'
import type { ShardStore } from '../store/shard-store.js'
import { encodeEpochRow } from './codec/row-codec.js'
import { catalogShardDiagnostics, upgradeShardDiagnostics, type CatalogShardIds } from './catalog-shards.js'
import { currentReadPoint, readConfigs, readEpoch, type ConfigEntry } from './catalog-reads.js'
import { CatalogState } from './catalog-state.js'
import { CatalogTransaction } from './catalog-transaction.js'
import type { CreationSession } from './creation-session.js'
import { DEPLOY_GENERATION_KEY, MIN_EPOCH, USER_VERSION_KEY } from './constants.js'
import { DurableCatalog } from './durable-catalog.js'
import { holdCriticalSinceAfterCommit, openCriticalSince } from './critical-since.js'
import { upperFence } from './fencing.js'
import { writeInitialContents } from './initial-contents.js'
import { modeDisplayName, runsMigrations, writesToStore, type OpenMode } from './open-modes.js'
import { checkCatalogVersion, MIGRATION_KINDS, runUpgrades } from './upgrade/run-upgrades.js'
import type { CollectionKindName } from './kinds/kind-names.js'

/** Options of a catalog open. All optional; a writable open of an empty catalog needs `replicaSize`. */
export interface OpenOptions {
  /** Size of the default cluster and replica of a new catalog (required to initialise). */
  readonly replicaSize?: string
  /** A user role to create with every privilege when initialising. */
  readonly bootstrapRole?: string | null
  /** The deployment generation to record (`deploy_generation`); unchanged when absent. */
  readonly deployGeneration?: bigint | null
  /** The new epoch is at least this (after a restore, to stay ahead of old writers). */
  readonly epochLowerBound?: bigint | null
  /** Wall clock in epoch milliseconds (the boot time a new catalog records); default `Date.now`. */
  readonly now?: () => bigint | number
  /**
   * Only initialise (`init`): an initialised catalog is refused with `AlreadyExistsError` at the
   * read point the fence is based on, so a catalog another process initialised meanwhile is never
   * re-opened (and its epoch never bumped) by a creation.
   */
  readonly initializeOnly?: boolean
  /**
   * The creation this open is an attempt of (`init`): the catalog's appends carry its idempotency
   * tokens, so an append whose outcome was unknown is recognised on the retry (`initializeCatalog`).
   */
  readonly session?: CreationSession
  /**
   * Kinds of an initialised catalog not to hold in memory (the catalog's `collection` and
   * `state.table` refuse them), for a caller that reads them from the store itself or does not
   * need them: a catalog's items are most of its memory. The kinds the migrations read or write
   * are held all the same (`MIGRATION_KINDS`).
   */
  readonly leaveOut?: readonly CollectionKindName[]
}

/** Opens the catalog of `shards` in `mode`. See the module comment for what each mode does. */
export async function openCatalog(
  store: ShardStore,
  shards: CatalogShardIds,
  mode: OpenMode,
  opts: OpenOptions = {},
): Promise<DurableCatalog> {
  const writable = writesToStore(mode)
  const replicaSize = opts.replicaSize ?? ''
  // A writable open refuses what it can before its first write, so that a build that cannot
  // open this catalog neither creates a shard nor fences out the environment running it.
  if (writable) await precheckWritable(store, shards, replicaSize)
  if (writable) {
    await store.openShard(shards.catalog, catalogShardDiagnostics(shards.organizationId))
    await openCriticalSince(store, shards.catalog)
    // "So the catalog is always readable": a no-op (upper mismatch) unless the shard is new.
    await store.compareAndAppend(shards.catalog, [], 0n, 1n)
  }

  const point = await currentReadPoint(store, shards.catalog)
  const epochState = point === null ? { epoch: null, rows: [] } : await readEpoch(store, shards.catalog, point.asOf)
  const configs = point === null ? new Map() : await readConfigs(store, shards.catalog, point.asOf)
  const initialized = configs.size > 0
  if (!writable && !initialized) {
    throw new NotWritableError(`catalog tables do not exist; will not create in ${modeDisplayName(mode)} mode`)
  }
  if (point === null) throw new Error('unreachable: a writable open made the shard readable')
  if (initialized && opts.initializeOnly === true) throw alreadyInitialized(shards.organizationId)
  const version = configs.get(USER_VERSION_KEY)?.value
  if (initialized && runsMigrations(mode)) {
    if (version === undefined) throw new NotWritableError('initialized catalog has no user_version config')
    checkCatalogVersion(version)
  }

  // The contents are read at the same point as the epoch; the fence below changes only the epoch.
  let state: CatalogState
  try {
    const leaveOut = (opts.leaveOut ?? []).filter((k) => !MIGRATION_KINDS.has(k))
    state = initialized ? await CatalogState.load(store, shards.catalog, point.asOf, { leaveOut }) : CatalogState.empty()
  } catch (err) {
    // Compaction passed our read point: another writer appended since we read it.
    if (err instanceof SinceError) throw upperFence(point.upper, await store.fetchRecentUpper(shards.catalog))
    throw err
  }

  // Only writable opens take a new epoch; the others keep the current one.
  let epoch = epochState.epoch ?? MIN_EPOCH
  let upper = point.upper
  if (writable) {
    const lowerBound = opts.epochLowerBound ?? MIN_EPOCH
    epoch = epoch + 1n > lowerBound ? epoch + 1n : lowerBound
    const fence = [
      ...epochState.rows.map((r) => ({ data: r.data, ts: upper, diff: -r.count })),
      { data: encodeEpochRow(epoch), ts: upper, diff: 1n },
    ]
    const res = await store.compareAndAppend(shards.catalog, fence, upper, upper + 1n)
    if (!res.ok) throw upperFence(res.expected, res.current)
    upper += 1n
    // The fence is committed: the since hold is best effort (see holdCriticalSinceAfterCommit).
    await holdCriticalSinceAfterCommit(store, shards.catalog, upper)
  }

  const catalog = new DurableCatalog(store, shards, mode, upper, epoch, state, writable ? opts.session : undefined)

  if (initialized && runsMigrations(mode) && version !== undefined) {
    catalog.upgradeSteps = await runUpgrades(catalog, version)
  }

  const txn = new CatalogTransaction(catalog)
  if (initialized) {
    if (opts.deployGeneration !== undefined && opts.deployGeneration !== null) txn.setConfig(DEPLOY_GENERATION_KEY, opts.deployGeneration)
  } else {
    if (replicaSize === '') throw missingReplicaSize()
    const now = BigInt((opts.now ?? Date.now)())
    writeInitialContents(
      txn,
      { defaultClusterReplicaSize: replicaSize, bootstrapRole: opts.bootstrapRole ?? null },
      now,
      opts.deployGeneration ?? null,
    )
  }
  if (mode === 'readonly') catalog.applyInMemory(txn.batch().updates)
  else await txn.commit()

  if (writable) await stampUpgradeShard(store, shards)
  return catalog
}

/** The refusal of a creation whose catalog exists (see `OpenOptions.initializeOnly`). */
function alreadyInitialized(organizationId: string): AlreadyExistsError {
  return new AlreadyExistsError(`the catalog of organization ${organizationId} is already initialized`, {
    hint: 'open it instead; a new catalog needs an empty store or another organization id',
  })
}

function missingReplicaSize(): UsageError {
  return new UsageError('a replica size is required to initialise a new catalog', { code: 'missing-replica-size' })
}

/**
 * The checks of a writable open that need no write (Materialize makes them after fencing): an
 * uninitialised catalog needs a replica size; an initialised one must be at a version this build
 * can migrate. Reads only.
 */
async function precheckWritable(store: ShardStore, shards: CatalogShardIds, replicaSize: string): Promise<void> {
  const point = await currentReadPoint(store, shards.catalog)
  const configs = point === null ? new Map<string, ConfigEntry>() : await readConfigs(store, shards.catalog, point.asOf)
  if (configs.size === 0) {
    if (replicaSize === '') throw missingReplicaSize()
    return
  }
  const version = configs.get(USER_VERSION_KEY)?.value
  if (version !== undefined) checkCatalogVersion(version)
}

/**
 * Stamps the catalog-upgrade shard with this build's version: an empty append, retried at the
 * current upper until it lands (it only races other stampers, so it always makes progress).
 * Persist guarantees that the stamp never decreases, so readers can trust what they see.
 */
export async function stampUpgradeShard(store: ShardStore, shards: CatalogShardIds): Promise<void> {
  await store.openShard(shards.upgrade, upgradeShardDiagnostics(shards.organizationId))
  let upper = await store.fetchRecentUpper(shards.upgrade)
  for (let attempt = 0; attempt < 1000; attempt++) {
    if (upper === null) return // a finished shard cannot be stamped further; nothing to announce
    const res = await store.compareAndAppend(shards.upgrade, [], upper, upper + 1n)
    if (res.ok) return
    upper = res.current
  }
  throw new StoreBusyError(`could not stamp the catalog upgrade shard ${shards.upgrade}: too many concurrent writers`)
}
