/**
 * The half of a shard store that every backend shares: each {@link ShardStore} method's argument
 * checks, the refusal of writes on a read-only handle and of every call on a closed one, and the
 * shard-creation protocol of `openShard`. A backend supplies {@link StoreOperations} on its own
 * context (connection, SQL) and may assume their arguments valid.
 *
 * Order of the checks, the same for every method: arguments (`InvalidUsageError`, or `UsageError`
 * for diagnostics without a name), then the read-only handle (`ReadOnlyError`, before the store is
 * touched), then the closed handle (`StoreError` code `store-closed`).
 */
import { ReadOnlyError, StoreError, UsageError } from '../errors.js'
import { assertHandleId, assertShardId } from './ids.js'
import { assertExceptA, assertLookupFilter, assertStreamOrder } from './lookup-filter.js'
import type {
  CompareAndAppendResult,
  ConsolidatedOptions,
  CriticalReader,
  DowngradeSinceResult,
  Frontier,
  IntegrityCheckOptions,
  LeasedReader,
  Listen,
  LookupFilter,
  ShardDiagnostics,
  ShardListing,
  ShardStateJson,
  ShardStore,
  SnapshotOptions,
  StoreInfo,
  StreamOptions,
  Update,
  StoredWriteRecord,
  UpdateCounts,
  WriteRecord,
  WriteRecordFilter,
  WriterIdentity,
} from './shard-store.js'
import { assertFrontier, assertI64, assertU64 } from './u64.js'
import { checkDataVersion } from './version-gate.js'
import type { StoreOperations } from './store-operations.js'

export type { StoreOperations } from './store-operations.js'

const RECORD_TEXT_FIELDS = ['operationId', 'user', 'hostname', 'toolVersion', 'command', 'commandLine'] as const

/** A write record's fields have their types (a bad one is a caller's bug: `UsageError`, nothing written). */
function assertWriteRecord(r: WriteRecord): void {
  for (const f of RECORD_TEXT_FIELDS) if (typeof r[f] !== 'string') throw new UsageError(`write record field ${f} must be a string`)
  if (r.reason !== null && typeof r.reason !== 'string') throw new UsageError('write record field reason must be a string or null')
  assertI64(r.walltimeMs, 'walltimeMs')
}

/** A {@link ShardStore} over a backend's {@link StoreOperations}; a backend extends it and adds `open`. */
export abstract class GuardedShardStore<C> implements ShardStore {
  readonly info: StoreInfo
  readonly buildVersion: string
  readonly #ctx: C
  readonly #ops: StoreOperations<C>
  readonly #writeRecord: WriteRecord | undefined
  #closed = false

  protected constructor(ctx: C, ops: StoreOperations<C>, info: StoreInfo, buildVersion: string, writeRecord?: WriteRecord) {
    this.#ctx = ctx
    this.#ops = ops
    this.info = info
    this.buildVersion = buildVersion
    if (writeRecord !== undefined) assertWriteRecord(writeRecord)
    this.#writeRecord = writeRecord
  }

  /** Releases the backend's connections; called once, by the first {@link close}. */
  protected abstract release(ctx: C): Promise<void> | void

  async listShards(): Promise<ShardListing[]> {
    return this.#ops.listShards(this.live())
  }

  async openShard(shardId: string, diagnostics: ShardDiagnostics): Promise<void> {
    assertShardId(shardId)
    if (typeof diagnostics?.shardName !== 'string') throw new UsageError('shard diagnostics need a shardName')
    const ctx = this.live()
    const existing = await this.#ops.shardVersion(ctx, shardId)
    if (existing !== undefined) return checkDataVersion(this.buildVersion, existing)
    this.#writable('create a shard')
    const raced = await this.#ops.createShard(ctx, shardId, diagnostics)
    if (raced !== undefined) checkDataVersion(this.buildVersion, raced)
  }

  async compareAndAppend(
    shardId: string,
    updates: readonly Update[],
    expectedUpper: Frontier,
    newUpper: Frontier,
    writer?: WriterIdentity,
    record?: WriteRecord,
  ): Promise<CompareAndAppendResult> {
    assertShardId(shardId)
    if (record !== undefined) assertWriteRecord(record)
    this.#writable('compare_and_append')
    return this.#ops.compareAndAppend(this.live(), shardId, updates, expectedUpper, newUpper, writer, record ?? this.#writeRecord)
  }

  async addWriteRecord(shardId: string, record: WriteRecord): Promise<void> {
    assertShardId(shardId)
    assertWriteRecord(record)
    this.#writable('record a write')
    await this.#ops.addWriteRecord(this.live(), shardId, record)
  }

  async listWriteRecords(shardId: string, filter: WriteRecordFilter = {}): Promise<StoredWriteRecord[]> {
    assertShardId(shardId)
    if (filter.limit !== undefined && !(Number.isSafeInteger(filter.limit) && filter.limit >= 0)) {
      throw new UsageError(`a write record limit must be a non-negative integer, got ${filter.limit}`)
    }
    if (filter.sinceMs !== undefined) assertI64(filter.sinceMs, 'sinceMs')
    return this.#ops.listWriteRecords(this.live(), shardId, filter)
  }

  async compareAndAppendBatches(
    shardId: string,
    batches: AsyncIterable<readonly Update[]>,
    expectedUpper: Frontier,
    newUpper: Frontier,
    diagnostics: ShardDiagnostics = { shardName: '' },
    record?: WriteRecord,
    writer?: WriterIdentity,
  ): Promise<CompareAndAppendResult> {
    assertShardId(shardId)
    if (record !== undefined) assertWriteRecord(record)
    assertFrontier(expectedUpper, 'expected upper')
    assertFrontier(newUpper, 'new upper')
    if (typeof diagnostics?.shardName !== 'string') throw new UsageError('shard diagnostics need a shardName')
    this.#writable('compare_and_append')
    return this.#ops.compareAndAppendBatches(
      this.live(),
      shardId,
      batches,
      expectedUpper,
      newUpper,
      diagnostics,
      record ?? this.#writeRecord,
      writer,
    )
  }

  async fetchRecentUpper(shardId: string): Promise<Frontier> {
    assertShardId(shardId)
    return this.#ops.fetchRecentUpper(this.live(), shardId)
  }

  async fetchSince(shardId: string): Promise<Frontier> {
    assertShardId(shardId)
    return this.#ops.fetchSince(this.live(), shardId)
  }

  async snapshot(shardId: string, asOf: bigint, options: SnapshotOptions = {}): Promise<Update[]> {
    assertShardId(shardId)
    assertLookupFilter(options.where)
    return this.#ops.snapshot(this.live(), shardId, asOf, options)
  }

  snapshotStream(shardId: string, asOf: bigint, options: StreamOptions = {}): AsyncIterable<Update> {
    const batches = this.snapshotBatches(shardId, asOf, options)
    return {
      async *[Symbol.asyncIterator]() {
        for await (const batch of batches) yield* batch
      },
    }
  }

  snapshotBatches(shardId: string, asOf: bigint, options: StreamOptions = {}): AsyncIterable<readonly Update[]> {
    const self = this
    return {
      async *[Symbol.asyncIterator]() {
        assertShardId(shardId)
        assertLookupFilter(options.where)
        assertExceptA(options)
        assertStreamOrder(options)
        assertU64(asOf, 'as_of')
        yield* self.#ops.snapshotBatches(self.live(), shardId, asOf, options)
      },
    }
  }

  snapshotConsolidated(shardId: string, asOf: bigint, options: ConsolidatedOptions = {}): AsyncIterable<readonly Update[]> {
    const self = this
    return {
      async *[Symbol.asyncIterator]() {
        assertShardId(shardId)
        assertU64(asOf, 'as_of')
        yield* self.#ops.snapshotConsolidated(self.live(), shardId, asOf, options)
      },
    }
  }

  async countUpdates(shardId: string, asOf: bigint, where?: LookupFilter): Promise<UpdateCounts> {
    assertShardId(shardId)
    assertLookupFilter(where)
    return this.#ops.countUpdates(this.live(), shardId, asOf, where)
  }

  async countUpdatesByLookupA(shardId: string, asOf: bigint): Promise<Map<string | null, UpdateCounts>> {
    assertShardId(shardId)
    return this.#ops.countUpdatesByLookupA(this.live(), shardId, asOf)
  }

  async listen(shardId: string, asOf: bigint): Promise<Listen> {
    assertShardId(shardId)
    assertU64(asOf, 'as_of')
    return this.#ops.listen(this.live(), shardId, asOf)
  }

  async openLeasedReader(shardId: string, purpose: string): Promise<LeasedReader> {
    assertShardId(shardId)
    this.#writable('register a leased reader')
    return this.#ops.openLeasedReader(this.live(), shardId, String(purpose))
  }

  async downgradeSince(shardId: string, readerId: string, since: Frontier): Promise<Frontier> {
    assertShardId(shardId)
    assertHandleId('r', readerId)
    assertFrontier(since, 'since')
    this.#writable('downgrade_since')
    return this.#ops.downgradeSince(this.live(), shardId, readerId, since)
  }

  async expireLeasedReader(shardId: string, readerId: string): Promise<void> {
    assertShardId(shardId)
    assertHandleId('r', readerId)
    this.#writable('expire a leased reader')
    await this.#ops.expireLeasedReader(this.live(), shardId, readerId)
  }

  async openCriticalReader(shardId: string, readerId: string, purpose: string): Promise<CriticalReader> {
    assertShardId(shardId)
    assertHandleId('c', readerId)
    this.#writable('register a critical reader')
    return this.#ops.openCriticalReader(this.live(), shardId, readerId, String(purpose))
  }

  async compareAndDowngradeSince(
    shardId: string,
    readerId: string,
    expectedOpaque: bigint,
    newOpaque: bigint,
    newSince: Frontier,
  ): Promise<DowngradeSinceResult> {
    assertShardId(shardId)
    assertHandleId('c', readerId)
    assertI64(expectedOpaque, 'expected opaque')
    assertI64(newOpaque, 'new opaque')
    assertFrontier(newSince, 'new since')
    this.#writable('compare_and_downgrade_since')
    return this.#ops.compareAndDowngradeSince(this.live(), shardId, readerId, expectedOpaque, newOpaque, newSince)
  }

  async compact(shardId: string): Promise<{ before: bigint; after: bigint }> {
    assertShardId(shardId)
    this.#writable('compact')
    return this.#ops.compact(this.live(), shardId)
  }

  async inspect(shardId: string): Promise<ShardStateJson> {
    assertShardId(shardId)
    return this.#ops.inspect(this.live(), shardId)
  }

  async integrityCheck(options?: IntegrityCheckOptions): Promise<string[]> {
    return this.#ops.integrityCheck(this.live(), options)
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.release(this.#ctx)
  }

  /** The backend's context; `StoreError` (code `store-closed`) once the store is closed. */
  protected live(): C {
    if (this.#closed) throw new StoreError(`store ${this.info.location} is closed`, { code: 'store-closed' })
    return this.#ctx
  }

  #writable(operation: string): void {
    if (this.info.readOnly) throw new ReadOnlyError(`cannot ${operation}: store ${this.info.location} is open read-only`)
  }
}
