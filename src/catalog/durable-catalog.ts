/**
 * An opened durable catalog (Materialize's `PersistCatalogState`): the in-memory contents of the
 * small collections, the epoch it holds, the upper it last saw, and how it commits, which its
 * mode decides (see `open-modes.ts`).
 *
 * Fencing invariant: a writable catalog appends only at the upper it last saw. If anyone else
 * appended in between, the compare-and-append fails, the catalog remembers that it is fenced,
 * and it refuses every later write without touching the store.
 */

import { type FenceError, NotWritableError } from '../errors.js'
import type { ShardStore } from '../store/shard-store.js'
import { isJsonObject, type JsonObject, type JsonValue } from '../json/lossless-json.js'
import { decodeRow } from './codec/row-codec.js'
import { COLLECTION_KINDS, isLargeCollection, type CollectionName } from './kinds/collections.js'
import type { CatalogShardIds } from './catalog-shards.js'
import { CatalogState, type StateUpdate } from './catalog-state.js'
import { CatalogTransaction } from './catalog-transaction.js'
import { readEpoch, readRows, type StoredRow } from './catalog-reads.js'
import { decodeVersions, traceEntry } from './trace.js'
import { USER_VERSION_KEY, DEPLOY_GENERATION_KEY } from './constants.js'
import { holdCriticalSinceAfterCommit } from './critical-since.js'
import { epochFence, upperFence } from './fencing.js'
import type { CreationSession } from './creation-session.js'
import { commitsInMemoryOnly, type OpenMode } from './open-modes.js'
import type { TransactionBatch, TransactionHost } from './transaction.js'
import type { CommittedEntry } from './table-transaction.js'
import type { UpgradeHost, UpgradeStepReport } from './upgrade/run-upgrades.js'

/** Options of {@link DurableCatalog.getAndPruneStorageUsage}. */
export interface StorageUsagePruneOptions {
  /** Events older than `bootTs − retentionPeriodMs` are pruned; `null` keeps everything. */
  readonly retentionPeriodMs: bigint | null
  /** The boot time (epoch ms) the retention period counts back from. */
  readonly bootTs: bigint
}

export interface StorageUsagePruneResult {
  /** The events kept (decoded `StorageUsageKey`s), by id. */
  readonly events: JsonObject[]
  /** How many events were pruned (retracted, or in read-only mode: would have been). */
  readonly pruned: number
}

export class DurableCatalog implements TransactionHost, UpgradeHost {
  readonly mode: OpenMode
  readonly shards: CatalogShardIds
  readonly #store: ShardStore
  #state: CatalogState
  #upper: bigint
  readonly #epoch: bigint
  #fenced: FenceError | undefined
  /** The migrations this open ran (durably or in memory); empty when none were needed. */
  upgradeSteps: readonly UpgradeStepReport[] = []

  /** The creation this catalog's appends belong to (`init`): each carries its idempotency token. */
  readonly #session: CreationSession | undefined

  /** @internal Created by the open procedure (`open-catalog.ts`), never directly. */
  constructor(
    store: ShardStore,
    shards: CatalogShardIds,
    mode: OpenMode,
    upper: bigint,
    epoch: bigint,
    state: CatalogState,
    session?: CreationSession,
  ) {
    this.#store = store
    this.shards = shards
    this.mode = mode
    this.#upper = upper
    this.#epoch = epoch
    this.#state = state
    this.#session = session
  }

  get organizationId(): string {
    return this.shards.organizationId
  }

  /** The in-memory contents (small collections only). */
  get state(): CatalogState {
    return this.#state
  }

  /** The epoch this catalog holds (bumped by a writable open; unchanged by the others). */
  get epoch(): bigint {
    return this.#epoch
  }

  /** The catalog shard's upper as this catalog last saw (or, in savepoint mode, found) it. */
  get upper(): bigint {
    return this.#upper
  }

  /** The fence error, once another writer fenced this catalog out. */
  get fenced(): FenceError | undefined {
    return this.#fenced
  }

  /** The `user_version` config (the catalog version) in memory. */
  get userVersion(): bigint | undefined {
    return this.#state.config(USER_VERSION_KEY)
  }

  /** The `deploy_generation` config in memory. */
  get deployGeneration(): bigint | undefined {
    return this.#state.config(DEPLOY_GENERATION_KEY)
  }

  /**
   * The current rows of a small collection, decoded with the schema of the catalog's version
   * (keys and values in proto order), or as stored when they do not decode. The large
   * collections are not held in memory: trace them from the unopened catalog.
   */
  collection(collection: CollectionName): { key: JsonValue; value: JsonValue }[] {
    return [...this.collectionRows(collection)]
  }

  /** {@link collection}, one row at a time: a caller that reads each row once holds none of them. */
  *collectionRows(collection: CollectionName): Generator<{ key: JsonValue; value: JsonValue }> {
    if (isLargeCollection(collection)) throw new TypeError(`${collection} is not held in memory; trace it instead`)
    const versions = decodeVersions(this.userVersion ?? null)
    for (const e of this.#state.table(COLLECTION_KINDS[collection]).values()) yield decodeCommittedEntry(e, collection, versions)
  }

  /**
   * Starts a transaction on the current contents. A writable catalog first confirms that nobody
   * else wrote (else it is fenced: {@link FenceError}); a read-only one catches up with new writes.
   */
  async transaction(): Promise<CatalogTransaction> {
    await this.confirmLeadership()
    return new CatalogTransaction(this)
  }

  /**
   * Checks that this catalog may still write. Writable: the shard's upper must be the one this
   * catalog last saw; otherwise it is fenced, by a newer epoch if one is visible (the usual case:
   * another writer opened the catalog) or else by the upper. Read-only: reloads the contents if
   * the shard moved. Savepoint: nothing to check (it never writes).
   */
  async confirmLeadership(): Promise<void> {
    if (this.#fenced !== undefined) throw this.#fenced
    if (this.mode === 'savepoint') return
    const current = await this.#store.fetchRecentUpper(this.shards.catalog)
    if (current === this.#upper) return
    if (this.mode === 'readonly') {
      if (current !== null && current > this.#upper) {
        this.#state = await CatalogState.load(this.#store, this.shards.catalog, current - 1n)
        this.#upper = current
      }
      return
    }
    let fence = upperFence(this.#upper, current)
    if (current !== null && current > 0n) {
      const { epoch } = await readEpoch(this.#store, this.shards.catalog, current - 1n)
      if (epoch !== null && epoch > this.#epoch) fence = epochFence(this.#epoch, epoch)
    }
    this.#fenced = fence
    throw fence
  }

  /**
   * Commits a transaction's batch: nothing for an empty batch (in any mode); read-only refuses
   * anything else; savepoint applies it in memory; writable appends it in one compare-and-append
   * at the known upper.
   */
  async commitBatch(batch: TransactionBatch): Promise<void> {
    if (this.#fenced !== undefined) throw this.#fenced
    if (batch.updates.length === 0) return
    if (this.mode === 'readonly') throw new NotWritableError('cannot commit a transaction in a read-only catalog')
    await this.#commitUpdates(batch.updates)
  }

  /** @internal One migration step's updates (see `upgrade/run-upgrades.ts`). */
  async applyMigrationStep(updates: readonly StateUpdate[]): Promise<void> {
    if (this.#fenced !== undefined) throw this.#fenced
    if (this.mode === 'readonly') throw new NotWritableError('cannot migrate a read-only catalog')
    await this.#commitUpdates(updates)
  }

  /** @internal Applies updates in memory only (a read-only open's bootstrap changes). */
  applyInMemory(updates: readonly StateUpdate[]): void {
    this.#state.apply(updates)
  }

  async #commitUpdates(updates: readonly StateUpdate[]): Promise<void> {
    if (commitsInMemoryOnly(this.mode)) {
      this.#state.apply(updates)
      return
    }
    const ts = this.#upper
    const next = ts + 1n
    const stamped = updates.map((u) => ({ data: u.data, ts, diff: u.diff }))
    const session = this.#session
    const identity = session?.identity()
    const res =
      session === undefined || identity === undefined
        ? await this.#store.compareAndAppend(this.shards.catalog, stamped, ts, next)
        : await session.appending(
            { shardId: this.shards.catalog, expectedUpper: ts, newUpper: next, token: identity.idempotencyToken, updates: stamped },
            () => this.#store.compareAndAppend(this.shards.catalog, stamped, ts, next, identity),
          )
    if (!res.ok) {
      // Someone else appended at our upper: we can no longer know the catalog's contents.
      this.#fenced = upperFence(res.expected, res.current)
      throw this.#fenced
    }
    this.#upper = next
    this.#state.apply(updates)
    // The batch is committed: the since hold is best effort (see holdCriticalSinceAfterCommit).
    await holdCriticalSinceAfterCommit(this.#store, this.shards.catalog, next)
  }

  /**
   * Reads the storage-usage events (streamed from the store, never cached), prunes those older
   * than the retention period (a writable catalog retracts them in one commit; savepoint in
   * memory, which for this uncached collection means not at all; read-only only counts them),
   * and returns the rest by id (Materialize's `get_and_prune_storage_usage`).
   */
  async getAndPruneStorageUsage(opts: StorageUsagePruneOptions): Promise<StorageUsagePruneResult> {
    await this.confirmLeadership()
    const cutoff = opts.retentionPeriodMs === null ? null : opts.bootTs - opts.retentionPeriodMs
    const kept: { id: bigint; key: JsonObject }[] = []
    const expired: StoredRow[] = []
    let pruned = 0n
    if (this.#upper > 0n) {
      for (const u of await readRows(this.#store, this.shards.catalog, this.#upper - 1n, 'StorageUsage')) {
        const r = decodeRow(u.data)
        if (!r.ok || r.row.kind !== 'StorageUsage' || u.diff <= 0n) continue
        const v1 = (r.row.key.usage as { V1?: JsonValue } | null)?.V1
        const millis = isJsonObject(v1) ? (v1.collection_timestamp as { millis?: JsonValue } | null)?.millis : undefined
        const id = isJsonObject(v1) && typeof v1.id === 'bigint' ? v1.id : 0n
        if (cutoff !== null && typeof millis === 'bigint' && millis < cutoff) {
          expired.push({ data: u.data, count: u.diff })
          pruned += u.diff
        } else {
          kept.push({ id, key: r.row.key })
        }
      }
    }
    if (this.mode !== 'readonly' && expired.length > 0) {
      const txn = new CatalogTransaction(this)
      txn.retractStoredRows(expired)
      await txn.commit()
    }
    kept.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    return { events: kept.map((k) => k.key), pruned: Number(pruned) }
  }
}

/**
 * A committed entry of `collection` as {@link DurableCatalog.collectionRows} yields it: its latest
 * row decoded with the first of `versions` that reads it (see `traceEntry`), or as stored when
 * none does.
 */
export function decodeCommittedEntry(
  e: CommittedEntry,
  collection: CollectionName,
  versions: readonly number[],
): { key: JsonValue; value: JsonValue } {
  const r = traceEntry({ data: e.rows[e.rows.length - 1]!.data, ts: 0n, diff: 1n }, collection, versions)
  return r.type === 'row' ? { key: r.key, value: r.value } : { key: e.key, value: e.value }
}
