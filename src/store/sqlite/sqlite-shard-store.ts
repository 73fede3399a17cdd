/**
 * The SQLite shard store: one file (or `:memory:`) holding many shards.
 *
 * Guarantees, on top of the {@link ShardStore} contract:
 * - every state change is one `BEGIN IMMEDIATE` transaction in WAL mode with `synchronous=FULL`,
 *   so it is atomic and durable across application crashes (and power loss, as far as the
 *   filesystem honours fsync); concurrent processes serialise on SQLite's write lock and a write
 *   that cannot get it within the busy timeout fails with the transient `StoreBusyError`;
 * - u64 times and i64 diffs never pass through a JS `number`;
 * - a store opened read-only never writes its database file (SQLite may create empty `-wal` and
 *   `-shm` files beside a WAL database it reads; see `open-database.ts`);
 * - a file that is not a store of a format this build knows is refused untouched.
 */
import { existsSync } from 'node:fs'
import { hostname as osHostname } from 'node:os'
import type Database from 'better-sqlite3'
import { ReadOnlyError, UsageError } from '../../errors.js'
import { GuardedShardStore, type StoreOperations } from '../guarded-shard-store.js'
import { systemNowMs } from '../leases.js'
import { DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_WAIT_TIMEOUT_MS, type OpenStoreOptions } from '../open-options.js'
import type { StoreInfo, WriteRecord } from '../shard-store.js'
import { parseVersion } from '../version-gate.js'
import { type SqliteContext, makeContext, readTx, writeTx } from './context.js'
import { inspectShard, listShards } from './inspect.js'
import { MEMORY_LOCATION, finishPrivateBuild, openDatabase, openReadConnection } from './open-database.js'
import { countRows, countRowsByA, readFrontiers, readShardAtAsOf, snapshotRows } from './reads.js'
import type { RestoreFromOptions } from './restore.js'
import { STORE_FORMAT_VERSION } from './schema.js'
import { insertShard, loadShard } from './shard-row.js'
import { mapSqliteError } from './sqlite-errors.js'
import { type StreamSource, streamConsolidated, streamSnapshot } from './snapshot-stream.js'

/**
 * The store operations on one connection. `streams` holds the dedicated connections of running
 * snapshot streams, closed with the store. Appends, readers, listens, compaction and the integrity
 * check load on first use: a read command (`epoch`, `dump`) never needs their modules, whose
 * loading would be a good part of its start-up.
 */
function sqliteOperations(waitTimeoutMs: number, streams: Set<Database.Database>): StoreOperations<SqliteContext> {
  const streamSource = (ctx: SqliteContext): StreamSource => ({
    ctx,
    waitTimeoutMs,
    openReader: ctx.location !== MEMORY_LOCATION ? () => openReadConnection(ctx.location, ctx.busyTimeoutMs) : undefined,
    open: streams,
  })
  return {
    listShards,
    shardVersion: (ctx, shardId) => readTx(ctx, () => loadShard(ctx, shardId)?.applierVersion),
    createShard: (ctx, shardId, diagnostics) =>
      writeTx(ctx, () => {
        const raced = loadShard(ctx, shardId)
        if (raced === undefined) insertShard(ctx, shardId, diagnostics, ctx.now())
        return raced?.applierVersion
      }),
    compareAndAppend: async (...args) => (await import('./append.js')).compareAndAppend(...args),
    compareAndAppendBatches: async (...args) => (await import('./append-batches.js')).compareAndAppendBatches(...args),
    addWriteRecord: async (...args) => (await import('./write-records.js')).addWriteRecord(...args),
    listWriteRecords: async (...args) => (await import('./write-records.js')).listWriteRecords(...args),
    fetchRecentUpper: (ctx, shardId) => readTx(ctx, () => readFrontiers(ctx, shardId).upper),
    fetchSince: (ctx, shardId) => readTx(ctx, () => readFrontiers(ctx, shardId).since),
    snapshot: (ctx, shardId, asOf, options) =>
      readShardAtAsOf(ctx, waitTimeoutMs, shardId, asOf, 'snapshot', () => snapshotRows(ctx, shardId, asOf, options)),
    snapshotBatches: (ctx, shardId, asOf, options) => streamSnapshot(streamSource(ctx), shardId, asOf, options),
    snapshotConsolidated: (ctx, shardId, asOf, options) => streamConsolidated(streamSource(ctx), shardId, asOf, options),
    countUpdates: (ctx, shardId, asOf, where) =>
      readShardAtAsOf(ctx, waitTimeoutMs, shardId, asOf, 'count', () => countRows(ctx, shardId, asOf, where)),
    countUpdatesByLookupA: (ctx, shardId, asOf) =>
      readShardAtAsOf(ctx, waitTimeoutMs, shardId, asOf, 'count', () => countRowsByA(ctx, shardId, asOf)),
    listen: async (ctx, shardId, asOf) => (await import('./listen.js')).SqliteListen.start(ctx, shardId, asOf, waitTimeoutMs),
    openLeasedReader: async (...args) => (await import('./readers.js')).openLeasedReader(...args),
    downgradeSince: async (...args) => (await import('./readers.js')).downgradeSince(...args),
    expireLeasedReader: async (...args) => (await import('./readers.js')).expireLeasedReader(...args),
    openCriticalReader: async (...args) => (await import('./readers.js')).openCriticalReader(...args),
    compareAndDowngradeSince: async (...args) => (await import('./readers.js')).compareAndDowngradeSince(...args),
    compact: async (...args) => (await import('./compact.js')).compact(...args),
    inspect: inspectShard,
    integrityCheck: async (...args) => (await import('./integrity.js')).integrityCheck(...args),
  }
}

/** The SQLite implementation of {@link ShardStore}; open it with {@link SqliteShardStore.open} (or `openStore`). */
export class SqliteShardStore extends GuardedShardStore<SqliteContext> {
  readonly #streams: Set<Database.Database>
  /** Opened as a private build (`OpenStoreOptions.privateBuild`): made a WAL store when closed. */
  readonly #building: boolean

  private constructor(
    ctx: SqliteContext,
    info: StoreInfo,
    waitTimeoutMs: number,
    writeRecord: WriteRecord | undefined,
    building: boolean,
    streams = new Set<Database.Database>(),
  ) {
    super(ctx, sqliteOperations(waitTimeoutMs, streams), info, ctx.buildVersion, writeRecord)
    this.#streams = streams
    this.#building = building
  }

  /**
   * Opens the store at a file path or `:memory:` (see `open-database.ts` for the checks and
   * `OpenStoreOptions` for the defaults). Throws `NotFoundError`, `StoreCorruptError`,
   * `NotAStoreError`, `StoreFormatTooNewError`, `StoreBusyError`, `StoreError`, `UsageError`.
   */
  static async open(location: string, opts: OpenStoreOptions = {}): Promise<SqliteShardStore> {
    const buildVersion = opts.buildVersion ?? (await import('../build-version.js')).BUILD_VERSION
    parseVersion(buildVersion)
    const busyTimeoutMs = opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS
    const now = opts.now ?? systemNowMs
    const readOnly = opts.readOnly === true
    const { db, settings, building } = openDatabase(location, {
      readOnly,
      create: opts.create === true,
      privateBuild: opts.privateBuild === true,
      busyTimeoutMs,
      buildVersion,
      nowMs: now(),
    })
    const ctx = makeContext(db, {
      location,
      busyTimeoutMs,
      buildVersion,
      hostname: opts.hostname ?? osHostname(),
      now,
      lookup: opts.lookup,
      historyReads: opts.historyReads === true,
    })
    const info: StoreInfo = { backend: 'sqlite', location, formatVersion: STORE_FORMAT_VERSION, readOnly, settings }
    return new SqliteShardStore(ctx, info, opts.waitTimeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS, opts.writeRecord, building)
  }

  /**
   * Writes a consistent copy of the whole store to `targetPath` with SQLite's online backup (safe
   * while other processes write; never a raw file copy). Refuses to overwrite an existing file
   * (`UsageError`). Works on read-only stores. Returns the number of pages copied.
   */
  async backup(targetPath: string): Promise<{ pages: number }> {
    const ctx = this.live()
    if (existsSync(targetPath)) throw new UsageError(`backup target ${targetPath} already exists`, { code: 'backup-target-exists' })
    try {
      const meta = await ctx.db.backup(targetPath)
      return { pages: meta.totalPages }
    } catch (err) {
      throw mapSqliteError(err, { location: targetPath, busyTimeoutMs: ctx.busyTimeoutMs })
    }
  }

  /**
   * Replaces this store's contents with the store file `sourcePath` (a checked backup), online:
   * under the store's write lock `opts.check` sees the current shards (throw to refuse), then the
   * backup's pages are copied in with SQLite's backup API, so other connections see the change
   * through SQLite's locking (see `restore.ts`). Refuses a read-only or in-memory store
   * (`ReadOnlyError`, `UsageError`) and a store another connection is writing (`StoreBusyError`
   * code `store-in-use`). Returns the number of pages copied.
   */
  async restoreFrom(sourcePath: string, opts: RestoreFromOptions = {}): Promise<{ pages: number }> {
    const ctx = this.live()
    if (this.info.readOnly) throw new ReadOnlyError(`cannot restore into ${ctx.location}: the store is open read-only`)
    if (ctx.location === MEMORY_LOCATION) throw new UsageError('cannot restore into an in-memory store')
    return (await import('./restore.js')).restoreFrom(ctx, sourcePath, opts)
  }

  protected release(ctx: SqliteContext): void {
    for (const reader of this.#streams) {
      try {
        reader.close()
      } catch {
        // A stream still iterating fails on its next read; closing the store must not.
      }
    }
    this.#streams.clear()
    try {
      // A private build becomes an ordinary store before anyone else can open it.
      if (this.#building) finishPrivateBuild(ctx.db, ctx.location)
    } catch (err) {
      throw mapSqliteError(err, ctx)
    } finally {
      ctx.db.close()
    }
  }
}
