/**
 * Who writes to a shard store: the identity that makes a retried write idempotent, and the record
 * of who made a write and why, kept beside the shard (never in its updates). Part of the store's
 * interface (`shard-store.ts`).
 */
import type { Frontier } from './shard-store.js'

/** Identifies a writer and one logical write, so a retry after an unknown outcome is not applied twice. */
export interface WriterIdentity {
  /** `w` + UUID. */
  readonly writerId: string
  /** `i` + UUID; reused only when retrying the very same write. */
  readonly idempotencyToken: string
}

/**
 * Who made a write, and why: recorded beside the shard (never in its updates) by a
 * compare-and-append that commits, in the same transaction, so a record exists iff its write
 * committed. What the fields hold is the caller's business; the store keeps them as given.
 */
export interface WriteRecord {
  /** One id per logical operation (a command run); the appends of one operation share it. */
  readonly operationId: string
  /** Wall-clock time of the write, in ms since the epoch. */
  readonly walltimeMs: bigint
  /** The operating-system user that ran the write. */
  readonly user: string
  readonly hostname: string
  /** The version of the tool that wrote. */
  readonly toolVersion: string
  /** The operation's name (`edit`, `import`, …). */
  readonly command: string
  /** The command line, with secrets already redacted by the caller. */
  readonly commandLine: string
  /** Why, as the operator said (`null`: not said). */
  readonly reason: string | null
}

/** A {@link WriteRecord} as stored: with the shard, the seqno and the uppers of the write it belongs to. */
export interface StoredWriteRecord extends WriteRecord {
  readonly shardId: string
  /** The shard's seqno after the write (for a record of a write that was no append, the seqno it saw). */
  readonly seqno: bigint
  /** The upper the write started at and the one it left; equal for a write that appended nothing. */
  readonly expectedUpper: Frontier
  readonly newUpper: Frontier
}

/** Which records `ShardStore.listWriteRecords` returns. */
export interface WriteRecordFilter {
  /** At most this many (the newest). */
  readonly limit?: number
  /** Only records at or after this wall-clock time (ms since the epoch). */
  readonly sinceMs?: bigint
}
