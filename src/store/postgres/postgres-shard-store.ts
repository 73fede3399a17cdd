/**
 * The PostgreSQL shard store: the tables of the SQLite store in schema `catalog_debug` of a
 * PostgreSQL database, shared by any number of processes on any number of machines.
 *
 * Guarantees, on top of the {@link ShardStore} contract (the same as the SQLite store's, enforced
 * by the server rather than by a file lock):
 * - every state change is one SERIALIZABLE transaction that checks, writes and commits, or does
 *   nothing: a common compare-and-append is one statement (`append.ts`), every other change locks
 *   the shard row first (`SELECT … FOR UPDATE`, `transition.ts`); of any number of concurrent
 *   compare-and-appends at one upper exactly one commits. Serialization failures are
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
import { UsageError } from '../../errors.js'
import { GuardedShardStore, type StoreOperations } from '../guarded-shard-store.js'
import { systemNowMs } from '../leases.js'
import { DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_WAIT_TIMEOUT_MS, type OpenStoreOptions } from '../open-options.js'
import type { StoreInfo, WriteRecord } from '../shard-store.js'
import { parseVersion } from '../version-gate.js'
import { compareAndAppend, compareAndAppendBatches } from './append.js'
import { compact } from './compact.js'
import type { PgContext } from './context.js'
import { integrityCheck } from './integrity.js'
import { inspectShard, listShards } from './inspect.js'
import { PgListen } from './listen.js'
import { openPgPool } from './open-pool.js'
import * as readers from './readers.js'
import { countRows, countRowsByA, readFrontiers, readShardAtAsOf, snapshotRows } from './reads.js'
import { PG_FORMAT_VERSION } from './schema.js'
import { insertShard, loadShard } from './shard-row.js'
import { streamConsolidated, streamSnapshot } from './snapshot-stream.js'
import { addWriteRecord, ensurePgWriteRecordsTable, listWriteRecords } from './write-records.js'

/** The store operations on a pool. */
const PG_OPERATIONS: StoreOperations<PgContext> = {
  listShards,
  shardVersion: (ctx, shardId) => ctx.pool.read(`open shard ${shardId}`, async (q) => (await loadShard(q, shardId))?.applierVersion),
  createShard: (ctx, shardId, diagnostics) =>
    ctx.pool.write(`create shard ${shardId}`, async (q) => {
      const raced = await loadShard(q, shardId, true)
      if (raced === undefined) await insertShard(ctx, q, shardId, diagnostics, ctx.now())
      return raced?.applierVersion
    }),
  compareAndAppend,
  compareAndAppendBatches,
  addWriteRecord,
  listWriteRecords,
  fetchRecentUpper: (ctx, shardId) => ctx.pool.read(`fetch upper of ${shardId}`, async (q) => (await readFrontiers(q, shardId)).upper),
  fetchSince: (ctx, shardId) => ctx.pool.read(`fetch since of ${shardId}`, async (q) => (await readFrontiers(q, shardId)).since),
  snapshot: (ctx, shardId, asOf, options) =>
    readShardAtAsOf(ctx, shardId, asOf, 'snapshot', (q) => snapshotRows(q, shardId, asOf, options)),
  snapshotBatches: streamSnapshot,
  snapshotConsolidated: streamConsolidated,
  countUpdates: (ctx, shardId, asOf, where) => readShardAtAsOf(ctx, shardId, asOf, 'count', (q) => countRows(q, shardId, asOf, where)),
  countUpdatesByLookupA: (ctx, shardId, asOf) => readShardAtAsOf(ctx, shardId, asOf, 'count', (q) => countRowsByA(q, shardId, asOf)),
  listen: PgListen.start,
  // openLeasedReader, downgradeSince, expireLeasedReader, openCriticalReader, compareAndDowngradeSince
  ...readers,
  compact,
  inspect: inspectShard,
  integrityCheck,
}

/** The PostgreSQL implementation of {@link ShardStore}; open it with {@link PostgresShardStore.open} (or `openStore`). */
export class PostgresShardStore extends GuardedShardStore<PgContext> {
  private constructor(ctx: PgContext, info: StoreInfo, writeRecord: WriteRecord | undefined) {
    super(ctx, PG_OPERATIONS, info, ctx.buildVersion, writeRecord)
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
      historyReads: opts.historyReads === true,
      recordsTable: false,
    }
    if (!readOnly) {
      try {
        ctx.recordsTable = await ensurePgWriteRecordsTable(pool)
      } catch (err) {
        await pool.close().catch(() => {})
        throw err
      }
    }
    const info: StoreInfo = { backend: 'postgres', location: pool.location, formatVersion: PG_FORMAT_VERSION, readOnly, settings }
    return new PostgresShardStore(ctx, info, opts.writeRecord)
  }

  protected release(ctx: PgContext): Promise<void> {
    return ctx.pool.close()
  }
}
