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
import { ReadOnlyError, StoreError, UsageError } from '../../errors.js'
import { assertFrontier, assertI64, assertU64 } from '../u64.js'
import { assertHandleId, assertShardId } from '../ids.js'
import { systemNowMs } from '../leases.js'
import { assertLookupFilter } from '../lookup-filter.js'
import { DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_WAIT_TIMEOUT_MS, type OpenStoreOptions } from '../open-options.js'
import type {
  CompareAndAppendResult, CriticalReader, DowngradeSinceResult, Frontier, LeasedReader, Listen, LookupFilter, ShardDiagnostics,
  ShardListing, ShardStateJson, ShardStore, SnapshotOptions, StoreInfo, Update, UpdateCounts, WriterIdentity,
} from '../shard-store.js'
import { checkDataVersion, parseVersion } from '../version-gate.js'
import { compareAndAppend } from './append.js'
import { compact } from './compact.js'
import { type SqliteContext, makeContext, readTx, writeTx } from './context.js'
import { inspectShard, listShards } from './inspect.js'
import { SqliteListen } from './listen.js'
import { MEMORY_LOCATION, openDatabase, openReadConnection } from './open-database.js'
import * as readers from './readers.js'
import { countRows, readFrontiers, readShardAtAsOf, snapshotRows } from './reads.js'
import { STORE_FORMAT_VERSION } from './schema.js'
import { insertShard, loadShard } from './shard-row.js'
import { mapSqliteError } from './sqlite-errors.js'
import { streamSnapshot } from './snapshot-stream.js'

/** The SQLite implementation of {@link ShardStore}; open it with {@link SqliteShardStore.open} (or `openStore`). */
export class SqliteShardStore implements ShardStore {
  readonly info: StoreInfo
  readonly buildVersion: string
  readonly #ctx: SqliteContext
  readonly #waitTimeoutMs: number
  readonly #streams = new Set<Database.Database>()
  #closed = false

  private constructor(ctx: SqliteContext, info: StoreInfo, waitTimeoutMs: number) {
    this.#ctx = ctx
    this.info = info
    this.buildVersion = ctx.buildVersion
    this.#waitTimeoutMs = waitTimeoutMs
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
    const { db, settings } = openDatabase(location, { readOnly, create: opts.create === true, busyTimeoutMs, buildVersion, nowMs: now() })
    const ctx = makeContext(db, { location, busyTimeoutMs, buildVersion, hostname: opts.hostname ?? osHostname(), now, lookup: opts.lookup })
    const info: StoreInfo = { backend: 'sqlite', location, formatVersion: STORE_FORMAT_VERSION, readOnly, settings }
    return new SqliteShardStore(ctx, info, opts.waitTimeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS)
  }

  async listShards(): Promise<ShardListing[]> {
    return listShards(this.#live())
  }

  async openShard(shardId: string, diagnostics: ShardDiagnostics): Promise<void> {
    assertShardId(shardId)
    if (typeof diagnostics?.shardName !== 'string') throw new UsageError('shard diagnostics need a shardName')
    const ctx = this.#live()
    const existing = readTx(ctx, () => loadShard(ctx, shardId))
    if (existing !== undefined) return checkDataVersion(ctx.buildVersion, existing.applierVersion)
    this.#writable('create a shard')
    writeTx(ctx, () => {
      const raced = loadShard(ctx, shardId)
      if (raced === undefined) insertShard(ctx, shardId, diagnostics, ctx.now())
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
    const ctx = this.#live()
    return readTx(ctx, () => readFrontiers(ctx, shardId).upper)
  }

  async fetchSince(shardId: string): Promise<Frontier> {
    assertShardId(shardId)
    const ctx = this.#live()
    return readTx(ctx, () => readFrontiers(ctx, shardId).since)
  }

  async snapshot(shardId: string, asOf: bigint, options: SnapshotOptions = {}): Promise<Update[]> {
    assertShardId(shardId)
    assertLookupFilter(options.where)
    const ctx = this.#live()
    return readShardAtAsOf(ctx, this.#waitTimeoutMs, shardId, asOf, 'snapshot', () => snapshotRows(ctx, shardId, asOf, options))
  }

  snapshotStream(shardId: string, asOf: bigint, options: SnapshotOptions = {}): AsyncIterable<Update> {
    const self = this
    return {
      async *[Symbol.asyncIterator]() {
        assertShardId(shardId)
        assertLookupFilter(options.where)
        assertU64(asOf, 'as_of')
        const ctx = self.#live()
        const file = ctx.location !== MEMORY_LOCATION
        yield* streamSnapshot({
          ctx,
          waitTimeoutMs: self.#waitTimeoutMs,
          openReader: file ? () => openReadConnection(ctx.location, ctx.busyTimeoutMs) : undefined,
          open: self.#streams,
        }, shardId, asOf, options)
      },
    }
  }

  async countUpdates(shardId: string, asOf: bigint, where?: LookupFilter): Promise<UpdateCounts> {
    assertShardId(shardId)
    assertLookupFilter(where)
    const ctx = this.#live()
    return readShardAtAsOf(ctx, this.#waitTimeoutMs, shardId, asOf, 'count', () => countRows(ctx, shardId, asOf, where))
  }

  async listen(shardId: string, asOf: bigint): Promise<Listen> {
    assertShardId(shardId)
    assertU64(asOf, 'as_of')
    return SqliteListen.start(this.#live(), shardId, asOf, this.#waitTimeoutMs)
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
    readers.expireLeasedReader(this.#live(), shardId, readerId)
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
    const ctx = this.#live()
    try {
      const rows = ctx.db.pragma('integrity_check') as { integrity_check: string }[]
      return rows.map((r) => r.integrity_check).filter((msg) => msg !== 'ok')
    } catch (err) {
      throw mapSqliteError(err, ctx)
    }
  }

  /**
   * Writes a consistent copy of the whole store to `targetPath` with SQLite's online backup (safe
   * while other processes write; never a raw file copy). Refuses to overwrite an existing file
   * (`UsageError`). Works on read-only stores. Returns the number of pages copied.
   */
  async backup(targetPath: string): Promise<{ pages: number }> {
    const ctx = this.#live()
    if (existsSync(targetPath)) throw new UsageError(`backup target ${targetPath} already exists`, { code: 'backup-target-exists' })
    try {
      const meta = await ctx.db.backup(targetPath)
      return { pages: meta.totalPages }
    } catch (err) {
      throw mapSqliteError(err, { location: targetPath, busyTimeoutMs: ctx.busyTimeoutMs })
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    for (const reader of this.#streams) {
      try {
        reader.close()
      } catch {
        // A stream still iterating fails on its next read; closing the store must not.
      }
    }
    this.#streams.clear()
    this.#ctx.db.close()
  }

  #live(): SqliteContext {
    if (this.#closed) throw new StoreError(`store ${this.info.location} is closed`, { code: 'store-closed' })
    return this.#ctx
  }

  #writable(operation: string): void {
    if (this.info.readOnly) throw new ReadOnlyError(`cannot ${operation}: store ${this.info.location} is open read-only`)
  }
}
