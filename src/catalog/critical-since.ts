/**
 * The catalog shard's critical since handle (persist's `CONTROLLER_CRITICAL_SINCE`): the one
 * durable read hold of the catalog, kept one behind the upper after every write.
 */

import type { DowngradeSinceResult, ShardStore } from '../store/shard-store.js'
import { CRITICAL_SINCE_OPAQUE, CRITICAL_SINCE_PURPOSE, CRITICAL_SINCE_READER_ID } from './constants.js'

/** Registers (or re-opens) the critical since handle; a state change of the catalog shard. */
export async function openCriticalSince(store: ShardStore, shard: string): Promise<void> {
  await store.openCriticalReader(shard, CRITICAL_SINCE_READER_ID, CRITICAL_SINCE_PURPOSE)
}

/**
 * Lags the critical since one behind the upper so the catalog stays readable while older
 * versions may be compacted away. The catalog never fences through the opaque token (it fences
 * through the upper and the epoch), so a mismatch is not an error: the since stays where it is and
 * the mismatch is returned to the caller (with the opaque actually held), never thrown.
 */
export async function downgradeCriticalSince(store: ShardStore, shard: string, upper: bigint): Promise<DowngradeSinceResult> {
  return store.compareAndDowngradeSince(shard, CRITICAL_SINCE_READER_ID, CRITICAL_SINCE_OPAQUE, CRITICAL_SINCE_OPAQUE, upper - 1n)
}

/**
 * {@link downgradeCriticalSince} after a write has committed: bookkeeping for compaction, not part
 * of the write. A failure here (a dropped connection, a busy store) must not turn a committed
 * write into a reported failure, which a retry would then misreport or repeat; the hold catches
 * up with the next catalog write. Returns whether the since was moved.
 */
export async function holdCriticalSinceAfterCommit(store: ShardStore, shard: string, upper: bigint): Promise<boolean> {
  try {
    return (await downgradeCriticalSince(store, shard, upper)).ok
  } catch {
    return false
  }
}
