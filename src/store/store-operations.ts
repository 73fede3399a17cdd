/**
 * What a backend implements: its operations on its own context (connection, SQL), called by
 * `GuardedShardStore` only after the arguments were checked. The guard is shared by every backend;
 * these are what differ.
 */
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
  SnapshotOptions,
  StreamOptions,
  Update,
  StoredWriteRecord,
  UpdateCounts,
  WriteRecord,
  WriteRecordFilter,
  WriterIdentity,
} from './shard-store.js'

type Awaitable<T> = T | Promise<T>

/**
 * A backend's operations on its context `C`, called by {@link GuardedShardStore} with checked
 * arguments (read-only handles never reach the mutating ones). Synchronous results are fine.
 */
export interface StoreOperations<C> {
  listShards(ctx: C): Awaitable<ShardListing[]>
  /** The `applier_version` of a stored shard, or `undefined` if the store has no such shard. Never writes. */
  shardVersion(ctx: C, shardId: string): Awaitable<string | undefined>
  /**
   * In one write transaction: creates the shard (a state change at seqno 1) and returns
   * `undefined`, unless another process created it meanwhile: then writes nothing and returns its
   * `applier_version`.
   */
  createShard(ctx: C, shardId: string, diagnostics: ShardDiagnostics): Awaitable<string | undefined>
  compareAndAppend(
    ctx: C,
    shardId: string,
    updates: readonly Update[],
    expectedUpper: Frontier,
    newUpper: Frontier,
    writer: WriterIdentity | undefined,
    record: WriteRecord | undefined,
  ): Awaitable<CompareAndAppendResult>
  compareAndAppendBatches(
    ctx: C,
    shardId: string,
    batches: AsyncIterable<readonly Update[]>,
    expectedUpper: Frontier,
    newUpper: Frontier,
    diagnostics: ShardDiagnostics,
    record: WriteRecord | undefined,
    writer: WriterIdentity | undefined,
  ): Promise<CompareAndAppendResult>
  addWriteRecord(ctx: C, shardId: string, record: WriteRecord): Awaitable<void>
  listWriteRecords(ctx: C, shardId: string, filter: WriteRecordFilter): Awaitable<StoredWriteRecord[]>
  fetchRecentUpper(ctx: C, shardId: string): Awaitable<Frontier>
  fetchSince(ctx: C, shardId: string): Awaitable<Frontier>
  /** `asOf` is not checked yet: the read checks it (see `state/as-of.ts`). */
  snapshot(ctx: C, shardId: string, asOf: bigint, options: SnapshotOptions): Awaitable<Update[]>
  /** The stream's updates in batches (never empty); `ShardStore.snapshotStream` flattens them. */
  snapshotBatches(ctx: C, shardId: string, asOf: bigint, options: StreamOptions): AsyncIterable<readonly Update[]>
  /** Consolidated batches in (ts, data) order (never empty). */
  snapshotConsolidated(ctx: C, shardId: string, asOf: bigint, options: ConsolidatedOptions): AsyncIterable<readonly Update[]>
  /** `asOf` is not checked yet: the read checks it (see `state/as-of.ts`). */
  countUpdates(ctx: C, shardId: string, asOf: bigint, where: LookupFilter | undefined): Awaitable<UpdateCounts>
  /** `asOf` is not checked yet: the read checks it (see `state/as-of.ts`). */
  countUpdatesByLookupA(ctx: C, shardId: string, asOf: bigint): Awaitable<Map<string | null, UpdateCounts>>
  listen(ctx: C, shardId: string, asOf: bigint): Awaitable<Listen>
  openLeasedReader(ctx: C, shardId: string, purpose: string): Awaitable<LeasedReader>
  downgradeSince(ctx: C, shardId: string, readerId: string, since: Frontier): Awaitable<Frontier>
  expireLeasedReader(ctx: C, shardId: string, readerId: string): Awaitable<void>
  openCriticalReader(ctx: C, shardId: string, readerId: string, purpose: string): Awaitable<CriticalReader>
  compareAndDowngradeSince(
    ctx: C,
    shardId: string,
    readerId: string,
    expectedOpaque: bigint,
    newOpaque: bigint,
    newSince: Frontier,
  ): Awaitable<DowngradeSinceResult>
  compact(ctx: C, shardId: string): Awaitable<{ before: bigint; after: bigint }>
  inspect(ctx: C, shardId: string): Awaitable<ShardStateJson>
  integrityCheck(ctx: C, options?: IntegrityCheckOptions): Awaitable<string[]>
}
