/**
 * The PostgreSQL shard store: the tables of the SQLite store in schema `catalog_debug` of a
 * PostgreSQL database, shared by any number of processes on any number of machines.
 *
 * Guarantees, on top of the {@link ShardStore} contract (the same as the SQLite store's, enforced
 * by the server rather than by a file lock):
 * - every state change is one SERIALIZABLE transaction that locks the shard row first
 *   (`SELECT … FOR UPDATE`), checks, writes and commits, or does nothing; of any number of
 *   concurrent compare-and-appends at one upper exactly one commits. Serialization failures are
 *   retried inside the store until the busy timeout, then surface as the transient `StoreBusyError`;
 * - u64 times and i64 diffs never pass through a JS `number` (int8 is parsed to `bigint`);
 * - a store opened read-only refuses every write with `ReadOnlyError` before reaching the server,
 *   and its sessions are `default_transaction_read_only` besides, so nothing can write;
 * - a database whose `catalog_debug` schema is not a store of a format this build knows is refused
 *   untouched; without the schema, opening fails with `NotFoundError` unless `create` is set;
 * - a dropped connection, a restarting server or a lock not granted in time are transient
 *   (`StoreBusyError`); authentication and permission failures are not (`StoreError`).
 */
import { hostname as osHostname } from 'node:os'
import { ReadOnlyError, StoreError, UsageError } from '../../errors.js'
import { assertHandleId, assertShardId } from '../ids.js'
import { systemNowMs } from '../leases.js'
import { assertLookupFilter } from '../lookup-filter.js'
import { DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_WAIT_TIMEOUT_MS, type OpenStoreOptions } from '../open-options.js'
import type {
  CompareAndAppendResult, CriticalReader, DowngradeSinceResult, Frontier, LeasedReader, Listen, LookupFilter, ShardDiagnostics,
  ShardListing, ShardStateJson, ShardStore, SnapshotOptions, StoreInfo, Update, UpdateCounts, WriterIdentity,
} from '../shard-store.js'
import { assertFrontier, assertI64, assertU64 } from '../u64.js'
import { checkDataVersion, parseVersion } from '../version-gate.js'
import { compareAndAppend } from './append.js'
import { compact } from './compact.js'
import type { PgContext } from './context.js'
import { integrityCheck } from './integrity.js'
import { inspectShard, listShards } from './inspect.js'
import { PgListen } from './listen.js'
import { openPgPool } from './open-pool.js'
import * as readers from './readers.js'
import { countRows, readFrontiers, readShardAtAsOf, snapshotRows } from './reads.js'
import { PG_FORMAT_VERSION } from './schema.js'
import { insertShard, loadShard } from './shard-row.js'
import { streamSnapshot } from './snapshot-stream.js'

export class PostgresShardStore implements ShardStore {
  readonly info: StoreInfo
  readonly buildVersion: string
  readonly #ctx: PgContext
  #closed = false

  private constructor(ctx: PgContext, info: StoreInfo) {
    this.#ctx = ctx
    this.info = info
    this.buildVersion = ctx.buildVersion
  }

  /**
   * Opens the store in the database at `url` (`postgres://…` or `postgresql://…`; see
   * `open-pool.ts` for the checks and `OpenStoreOptions` for the defaults). Throws `UsageError`,
   * `NotFoundError` (no store and no `create`, or no such database), `NotAStoreError`,
   * `StoreFormatTooNewError`, `StoreCorruptError`, `StoreBusyError`, `StoreError`.
   */
  static async open(url: string, opts: OpenStoreOptions = {}): Promise<PostgresShardStore> {
    if (opts.readOnly === true && opts.create === true) throw new UsageError('a store cannot be opened read-only and created at once')
    const buildVersion = opts.buildVersion ?? (await import('../build-version.js')).BUILD_VERSION
    parseVersion(buildVersion)
    const busyTimeoutMs = opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS
    const now = opts.now ?? systemNowMs
    const readOnly = opts.readOnly === true
    const { pool, settings } = await openPgPool(url, { readOnly, create: opts.create === true, busyTimeoutMs, buildVersion, nowMs: now() })
    const ctx: PgContext = {
      pool,
      location: pool.location,
      busyTimeoutMs,
      waitTimeoutMs: opts.waitTimeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS,
      buildVersion,
      hostname: opts.hostname ?? osHostname(),
      now,
      lookup: opts.lookup,
    }
    const info: StoreInfo = { backend: 'postgres', location: pool.location, formatVersion: PG_FORMAT_VERSION, readOnly, settings }
    return new PostgresShardStore(ctx, info)
  }

  async listShards(): Promise<ShardListing[]> {
    return listShards(this.#live())
  }

  async openShard(shardId: string, diagnostics: ShardDiagnostics): Promise<void> {
    assertShardId(shardId)
    if (typeof diagnostics?.shardName !== 'string') throw new UsageError('shard diagnostics need a shardName')
    const ctx = this.#live()
    const existing = await ctx.pool.read(`open shard ${shardId}`, (q) => loadShard(q, shardId))
    if (existing !== undefined) return checkDataVersion(ctx.buildVersion, existing.applierVersion)
    this.#writable('create a shard')
    await ctx.pool.write(`create shard ${shardId}`, async (q) => {
      const raced = await loadShard(q, shardId, true)
      if (raced === undefined) await insertShard(ctx, q, shardId, diagnostics, ctx.now())
      else checkDataVersion(ctx.buildVersion, raced.applierVersion)
    })
  }

  async compareAndAppend(
    shardId: string, updates: readonly Update[], expectedUpper: Frontier, newUpper: Frontier, writer?: WriterIdentity,
  ): Promise<CompareAndAppendResult> {
    assertShardId(shardId)
    this.#writable('compare_and_append')
    return compareAndAppend(this.#live(), shardId, updates, expectedUpper, newUpper, writer)
  }

  async fetchRecentUpper(shardId: string): Promise<Frontier> {
    assertShardId(shardId)
    return this.#live().pool.read(`fetch upper of ${shardId}`, async (q) => (await readFrontiers(q, shardId)).upper)
  }

  async fetchSince(shardId: string): Promise<Frontier> {
    assertShardId(shardId)
    return this.#live().pool.read(`fetch since of ${shardId}`, async (q) => (await readFrontiers(q, shardId)).since)
  }

  async snapshot(shardId: string, asOf: bigint, options: SnapshotOptions = {}): Promise<Update[]> {
    assertShardId(shardId)
    assertLookupFilter(options.where)
    return readShardAtAsOf(this.#live(), shardId, asOf, 'snapshot', (q) => snapshotRows(q, shardId, asOf, options))
  }

  snapshotStream(shardId: string, asOf: bigint, options: SnapshotOptions = {}): AsyncIterable<Update> {
    const self = this
    return {
      async *[Symbol.asyncIterator]() {
        assertShardId(shardId)
        assertLookupFilter(options.where)
        assertU64(asOf, 'as_of')
        yield* streamSnapshot(self.#live(), shardId, asOf, options)
      },
    }
  }

  async countUpdates(shardId: string, asOf: bigint, where?: LookupFilter): Promise<UpdateCounts> {
    assertShardId(shardId)
    assertLookupFilter(where)
    return readShardAtAsOf(this.#live(), shardId, asOf, 'count', (q) => countRows(q, shardId, asOf, where))
  }

  async listen(shardId: string, asOf: bigint): Promise<Listen> {
    assertShardId(shardId)
    assertU64(asOf, 'as_of')
    return PgListen.start(this.#live(), shardId, asOf)
  }

  async openLeasedReader(shardId: string, purpose: string): Promise<LeasedReader> {
    assertShardId(shardId)
    this.#writable('register a leased reader')
    return readers.openLeasedReader(this.#live(), shardId, String(purpose))
  }

  async downgradeSince(shardId: string, readerId: string, since: Frontier): Promise<Frontier> {
    assertShardId(shardId)
    assertHandleId('r', readerId)
    assertFrontier(since, 'since')
    this.#writable('downgrade_since')
    return readers.downgradeSince(this.#live(), shardId, readerId, since)
  }

  async expireLeasedReader(shardId: string, readerId: string): Promise<void> {
    assertShardId(shardId)
    assertHandleId('r', readerId)
    this.#writable('expire a leased reader')
    await readers.expireLeasedReader(this.#live(), shardId, readerId)
  }

  async openCriticalReader(shardId: string, readerId: string, purpose: string): Promise<CriticalReader> {
    assertShardId(shardId)
    assertHandleId('c', readerId)
    this.#writable('register a critical reader')
    return readers.openCriticalReader(this.#live(), shardId, readerId, String(purpose))
  }

  async compareAndDowngradeSince(
    shardId: string, readerId: string, expectedOpaque: bigint, newOpaque: bigint, newSince: Frontier,
  ): Promise<DowngradeSinceResult> {
    assertShardId(shardId)
    assertHandleId('c', readerId)
    assertI64(expectedOpaque, 'expected opaque')
    assertI64(newOpaque, 'new opaque')
    assertFrontier(newSince, 'new since')
    this.#writable('compare_and_downgrade_since')
    return readers.compareAndDowngradeSince(this.#live(), shardId, readerId, expectedOpaque, newOpaque, newSince)
  }

  async compact(shardId: string): Promise<{ before: bigint; after: bigint }> {
    assertShardId(shardId)
    this.#writable('compact')
    return compact(this.#live(), shardId)
  }

  async inspect(shardId: string): Promise<ShardStateJson> {
    assertShardId(shardId)
    return inspectShard(this.#live(), shardId)
  }

  async integrityCheck(): Promise<string[]> {
    return integrityCheck(this.#live())
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#ctx.pool.close()
  }

  #live(): PgContext {
    if (this.#closed) throw new StoreError(`store ${this.info.location} is closed`, { code: 'store-closed' })
    return this.#ctx
  }

  #writable(operation: string): void {
    if (this.info.readOnly) throw new ReadOnlyError(`cannot ${operation}: store ${this.info.location} is open read-only`)
  }
}
