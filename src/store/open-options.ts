/**
 * Options every backend's opener accepts (`openStore`, the SQLite store, `openPostgresStore`).
 */
import type { LookupExtractor, WriteRecord } from './shard-store.js'

export interface OpenStoreOptions {
  /** Open without any write: every mutating method throws `ReadOnlyError`, the store stays unchanged. */
  readonly readOnly?: boolean
  /** Create the store if it does not exist (never together with `readOnly`). Default: false. */
  readonly create?: boolean
  /**
   * The file is a new, empty store private to this process until the store is closed: a store
   * being built under a temporary name that nothing else opens (`createExclusively`). SQLite only:
   * it is written without crash safety (rollback journal in memory, no fsync), which a crash cannot
   * make worse than a discarded temporary file; closing switches it to write-ahead logging with
   * synchronous=FULL, as every other open expects, and syncs it. Ignored for `:memory:` and for a
   * file that already holds a store. Default: false.
   */
  readonly privateBuild?: boolean
  /** Version stamped on written state and checked by the data-version gate. Default: this package's version. */
  readonly buildVersion?: string
  /** How long a write waits for another writer's lock before `StoreBusyError`. Default 5000 ms. */
  readonly busyTimeoutMs?: number
  /** Fills the two indexed lookup columns of every appended row. */
  readonly lookup?: LookupExtractor
  /** Clock for walltimes, heartbeats and lease expiry, in ms since the epoch. Default: the system clock. */
  readonly now?: () => bigint
  /** How long a read at a time not yet sealed waits before `AsOfNotYetAvailableError`. Default 10 000 ms. */
  readonly waitTimeoutMs?: number
  /**
   * Admit reads (snapshots, counts, streams, listens) below the since, down to the compaction
   * frontier (see `state/as-of.ts`, `readableSince`): time travel through the history the store
   * still holds exactly. Default: false (persist's rule: nothing below the since).
   */
  readonly historyReads?: boolean
  /**
   * The record every compare-and-append through this handle stores when it commits (unless the
   * call passes its own): who writes, and why (see `WriteRecord`).
   */
  readonly writeRecord?: WriteRecord
  /** Recorded as `hostname` in shard state and handle debug info. Default: `os.hostname()`. */
  readonly hostname?: string
}

/** Default busy timeout: better-sqlite3's own default, long enough to ride out a normal commit. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000
/** Default deadline for reads at a time the shard has not reached yet. */
export const DEFAULT_WAIT_TIMEOUT_MS = 10_000
