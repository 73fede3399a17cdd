/**
 * The shard store: a narrow, asynchronous re-creation of the parts of Materialize's `persist`
 * that the durable catalog uses (docs/architecture.md and
 * docs/storage-format.md say which, and Materialize's `src/persist-client/src/lib.rs` is the model). One store (a SQLite file, a PostgreSQL database) holds many shards.
 *
 * A shard is an append-only multiset of updates `(data, ts, diff)` with two frontiers:
 * `since` (reads at times before it are no longer distinguishable) and `upper` (every time
 * below it is sealed). Times are u64 and diffs i64, carried as `bigint` end to end.
 *
 * The store knows nothing about catalog kinds. Rows are opaque text (the catalog puts canonical
 * JSON there); the layer above may declare a {@link LookupExtractor} so that the store keeps two
 * indexed lookup columns per row (the catalog uses `kind` and the canonical `key`) and can
 * answer "the current value(s) of this key" without scanning the shard.
 *
 * Invariants every backend guarantees (and the conformance suite checks):
 * - `upper` and `since` never regress; exactly one compare-and-append succeeds per upper value.
 * - Every committed state change increments the shard's `seqno` by one and stamps
 *   `applier_version = max(stored, this build)`; failed operations commit nothing.
 * - Before any write the data-version gate runs: stored state more than one minor version ahead
 *   of this build is refused and left untouched (`IncompatibleVersionError`).
 * - `inspect` never writes and is never gated.
 * - A store opened read-only never changes its file.
 */

import type { ShardStateJson, StoreInfo } from './shard-state-json.js'
import type { StoredWriteRecord, WriteRecord, WriteRecordFilter, WriterIdentity } from './write-identity.js'

export type { ShardStateJson, StoreInfo } from './shard-state-json.js'
export type { StoredWriteRecord, WriteRecord, WriteRecordFilter, WriterIdentity } from './write-identity.js'

/**
 * A frontier of a totally ordered time: `bigint` is the antichain `[t]`; `null` is the empty
 * antichain `[]` (no time is still open: the shard is finished).
 */
export type Frontier = bigint | null

/** One update of a shard. `data` is opaque to the store and compared byte for byte. */
export interface Update {
  readonly data: string
  readonly ts: bigint
  readonly diff: bigint
}

/** Result of {@link ShardStore.compareAndAppend}; an upper mismatch is a value, not an error. */
export type CompareAndAppendResult =
  | { readonly ok: true; readonly seqno: bigint; readonly alreadyCommitted: boolean }
  | { readonly ok: false; readonly expected: Frontier; readonly current: Frontier }

/** Result of {@link ShardStore.compareAndDowngradeSince}. */
export type DowngradeSinceResult =
  | { readonly ok: true; readonly since: Frontier }
  | { readonly ok: false; readonly opaque: bigint; readonly since: Frontier }

/** Events returned by {@link Listen.fetchNext}: zero or more update batches, then exactly one progress. */
export type ListenEvent =
  | { readonly type: 'updates'; readonly updates: readonly Update[] }
  | { readonly type: 'progress'; readonly upper: Frontier }

export interface Listen {
  /** Waits until the upper passes the listen's frontier (or the wait deadline passes: `AsOfNotYetAvailableError`). */
  fetchNext(): Promise<ListenEvent[]>
  /** The listen's current frontier: every update before it has been returned. */
  readonly frontier: Frontier
  expire(): Promise<void>
}

/** Diagnostics recorded with a shard when it is created (persist's `Diagnostics`). */
export interface ShardDiagnostics {
  /** Human name, e.g. `catalog` or `catalog_upgrade`. */
  readonly shardName: string
  /** Free-form labels; the catalog records its organization id here. */
  readonly labels?: Readonly<Record<string, string>>
}

/** A shard known to the store, as listed by {@link ShardStore.listShards}. */
export interface ShardListing {
  readonly shardId: string
  readonly shardName: string
  readonly labels: Readonly<Record<string, string>>
  readonly upper: Frontier
  readonly since: Frontier
  readonly seqno: bigint
  readonly updates: bigint
}

/** Lookup column values for one row; the layer above computes them from `data`. */
export type LookupValues = readonly [a: string | null, b: string | null]

/** Computes a row's lookup values (pure; called on every appended row). */
export type LookupExtractor = (data: string) => LookupValues

/** Selects part of a shard: rows whose lookup columns equal the given values. */
export interface LookupFilter {
  readonly a: string
  readonly b?: string
}

export interface SnapshotOptions {
  /** Only rows whose lookup columns match. */
  readonly where?: LookupFilter
  /**
   * Report each update at its stored timestamp instead of advancing it to `asOf`.
   * Persist always advances; the catalog's trace keeps the stored timestamps for operators.
   */
  readonly keepTimestamps?: boolean
}

export interface StreamOptions extends SnapshotOptions {
  /**
   * Only rows whose lookup a is absent or none of these values (the rows no lookup filter on one
   * of them finds). Cannot be combined with `where`.
   */
  readonly exceptA?: readonly string[]
  /**
   * `'lookup'`: order a filtered stream by (lookup b, data, ts, diff) instead of by time. A row's
   * lookup values are a function of the row, so every update of one row is adjacent and summing
   * adjacent equal rows consolidates the stream one row at a time (`consolidate-runs.ts`), in
   * bounded memory, without sorting the whole filter's rows. Needs `where` (any other use is an
   * `InvalidUsageError`).
   */
  readonly order?: 'time' | 'lookup'
}

/** Options of {@link ShardStore.integrityCheck}. */
export interface IntegrityCheckOptions {
  readonly quick?: boolean
}

/** Options of {@link ShardStore.snapshotConsolidated}. */
export interface ConsolidatedOptions {
  /** Consolidate per (ts, data) at the stored timestamps instead of per data at `asOf`. */
  readonly keepTimestamps?: boolean
}

/** Counts of a shard's updates at an as-of, without reading them out. */
export interface UpdateCounts {
  readonly total: bigint
  readonly additions: bigint
  readonly retractions: bigint
}

/** A leased reader handle (persist `ReadHandle`): holds back `since` while its lease lasts. */
export interface LeasedReader {
  readonly readerId: string
  readonly since: Frontier
}

/** A critical since handle (persist `SinceHandle`): never expires; fenced by an opaque value. */
export interface CriticalReader {
  readonly readerId: string
  readonly since: Frontier
  readonly opaque: bigint
}

/**
 * The asynchronous shard store interface. Every method that changes state is atomic: it either
 * commits all of its effects (and one new seqno) or none.
 *
 * Errors: `InvalidUsageError` (contract broken, nothing written), `SinceError`,
 * `IncompatibleVersionError` (data-version gate), `StoreBusyError` (transient),
 * `ReadOnlyError`, `NotFoundError` (inspect of an absent shard), `StoreCorruptError`, `StoreError`.
 */
export interface ShardStore {
  readonly info: StoreInfo
  /** The semver this build stamps on the state it writes. */
  readonly buildVersion: string

  /** Every shard in the store, in shard-id order. Never writes. */
  listShards(): Promise<ShardListing[]>

  /**
   * Makes sure a shard exists (creating it with since = upper = [0] and the diagnostics, a state
   * change) and passes the data-version gate. No write when it exists already.
   */
  openShard(shardId: string, diagnostics: ShardDiagnostics): Promise<void>

  /**
   * Appends `updates` and moves the upper from `expectedUpper` to `newUpper` iff the shard's upper
   * is exactly `expectedUpper`. Every update's ts must lie in `[expectedUpper, newUpper)`.
   * With `writer`, a retry carrying the token of the writer's last committed write reports success
   * (`alreadyCommitted: true`) without appending again. Creates the shard if it is absent.
   *
   * With `record` (or, without, the handle's `OpenStoreOptions.writeRecord`), a commit also stores
   * that {@link WriteRecord} with the shard, the new seqno and both uppers, in the same transaction;
   * a mismatch or an `alreadyCommitted` retry stores none.
   */
  compareAndAppend(
    shardId: string,
    updates: readonly Update[],
    expectedUpper: Frontier,
    newUpper: Frontier,
    writer?: WriterIdentity,
    record?: WriteRecord,
  ): Promise<CompareAndAppendResult>

  /**
   * {@link compareAndAppend} of updates that arrive in batches (a stream too large to hold), as
   * one atomic state change: the upper is checked first (a mismatch returns before `batches` is
   * read), then every batch is validated and written inside the same write transaction, and the
   * upper moves only when the last batch is in. Anything thrown, by `batches` or by validation,
   * rolls everything back, including the creation of an absent shard (with `diagnostics`). The
   * store handle must not be used for anything else until the returned promise settles. A record
   * is stored as by {@link compareAndAppend}. With `writer`, a retry carrying the token of the
   * writer's last committed write reports `alreadyCommitted` before reading any batch, as
   * {@link compareAndAppend} does.
   */
  compareAndAppendBatches(
    shardId: string,
    batches: AsyncIterable<readonly Update[]>,
    expectedUpper: Frontier,
    newUpper: Frontier,
    diagnostics?: ShardDiagnostics,
    record?: WriteRecord,
    writer?: WriterIdentity,
  ): Promise<CompareAndAppendResult>

  /**
   * Stores a {@link WriteRecord} for a write that was no compare-and-append (a restore), linked to
   * the shard's current seqno and upper. Not a state change of the shard (no new seqno). A write.
   */
  addWriteRecord(shardId: string, record: WriteRecord): Promise<void>

  /**
   * The shard's write records, newest first (by seqno). Never writes: a store written before
   * records existed has none, and reads as such.
   */
  listWriteRecords(shardId: string, filter?: WriteRecordFilter): Promise<StoredWriteRecord[]>

  /** The latest committed upper (`0` for a shard that does not exist yet). Never writes. */
  fetchRecentUpper(shardId: string): Promise<Frontier>

  /** The shard's since (`0` for a shard that does not exist yet). Never writes. */
  fetchSince(shardId: string): Promise<Frontier>

  /**
   * Consolidated contents at `asOf`: diffs summed per identical row, zeros dropped, every update
   * reported at `asOf` (unless `keepTimestamps`, in which case rows are consolidated per (row, ts)).
   * `asOf` below since is a `SinceError`; `asOf >= upper` waits for the upper to pass it.
   */
  snapshot(shardId: string, asOf: bigint, options?: SnapshotOptions): Promise<Update[]>

  /**
   * Unconsolidated contents at `asOf`, streamed in bounded memory, in the total order (lookup a,
   * ts, data, diff): lookup a absent first, then by bytes; `data` by bytes (UTF-8, i.e. code
   * points). Identical rows are indistinguishable, so the order of the rows, and of anything built
   * from them, does not depend on the order they were appended in. Same checks as {@link snapshot}.
   */
  snapshotStream(shardId: string, asOf: bigint, options?: StreamOptions): AsyncIterable<Update>

  /**
   * {@link snapshotStream}'s updates, in the same order, in batches of up to a few thousand (never
   * empty): for readers that handle many rows, which then take one asynchronous step per batch
   * instead of one per row. Same checks as {@link snapshot}.
   */
  snapshotBatches(shardId: string, asOf: bigint, options?: StreamOptions): AsyncIterable<readonly Update[]>

  /**
   * The consolidated contents at `asOf`, streamed in bounded memory, in batches (never empty), in
   * (ts, data) order with `data` by bytes: with `keepTimestamps`, every update at its stored
   * timestamp with diffs summed per (ts, data); without, every update at `asOf` with diffs summed
   * per data (so the stream is in data order). Zero sums are dropped either way. This is the order
   * of a fixture, and two such streams merge in one pass. Same checks as {@link snapshot}.
   */
  snapshotConsolidated(shardId: string, asOf: bigint, options?: ConsolidatedOptions): AsyncIterable<readonly Update[]>

  /** Counts of updates at `asOf` (optionally of one lookup group) without reading them out. */
  countUpdates(shardId: string, asOf: bigint, where?: LookupFilter): Promise<UpdateCounts>

  /**
   * {@link countUpdates} of every lookup a value at once (key `null`: the rows without one), in one
   * pass over the shard in time order, which costs less than one count per value. Values without
   * updates at `asOf` are absent. Same checks as {@link snapshot}.
   */
  countUpdatesByLookupA(shardId: string, asOf: bigint): Promise<Map<string | null, UpdateCounts>>

  /** A listen that returns every update at times greater than `asOf`, then progress. */
  listen(shardId: string, asOf: bigint): Promise<Listen>

  /** Registers a leased reader at the shard's since (a state change). */
  openLeasedReader(shardId: string, purpose: string): Promise<LeasedReader>
  /** Moves a leased reader's since forward (never back) and heartbeats it. */
  downgradeSince(shardId: string, readerId: string, since: Frontier): Promise<Frontier>
  /** Releases a leased reader's hold (does not advance the shard's since: persist TODO #22789). */
  expireLeasedReader(shardId: string, readerId: string): Promise<void>

  /** Registers (or re-opens) a critical since handle; new handles start at opaque i64::MIN. */
  openCriticalReader(shardId: string, readerId: string, purpose: string): Promise<CriticalReader>
  /** Persist's `compare_and_downgrade_since`; a wrong opaque returns the actual one (and consumes a seqno). */
  compareAndDowngradeSince(
    shardId: string,
    readerId: string,
    expectedOpaque: bigint,
    newOpaque: bigint,
    newSince: Frontier,
  ): Promise<DowngradeSinceResult>

  /** Forwards updates below `since` to `since` and consolidates them. Returns rows before and after. */
  compact(shardId: string): Promise<{ before: bigint; after: bigint }>

  /** Persist's `inspect_shard`: the shard's state, never gated, never written. Absent → `NotFoundError`. */
  inspect(shardId: string): Promise<ShardStateJson>

  /**
   * The store's own consistency checks (e.g. `PRAGMA integrity_check`); empty when healthy. With
   * `quick`, a backend may leave out what costs the most (SQLite: `PRAGMA quick_check`, which does
   * not check that each index holds exactly its table's rows); the per-shard invariants run either way.
   */
  integrityCheck(options?: IntegrityCheckOptions): Promise<string[]>

  /** Releases the connection. Idempotent. */
  close(): Promise<void>
}
