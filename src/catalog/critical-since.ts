/**
 * The catalog shard's critical since handle (persist's `CONTROLLER_CRITICAL_SINCE`): the one
 * durable read hold of the catalog, kept one behind the upper after every write.
 */

import type { ShardStore } from '../store/shard-store.js'
import { CRITICAL_SINCE_OPAQUE, CRITICAL_SINCE_PURPOSE, CRITICAL_SINCE_READER_ID } from './constants.js'

/** Registers (or re-opens) the critical since handle; a state change of the catalog shard. */
export async function openCriticalSince(store: ShardStore, shard: string): Promise<void> {
  await store.openCriticalReader(shard, CRITICAL_SINCE_READER_ID, CRITICAL_SINCE_PURPOSE)
}

/**
 * Lags the critical since one behind the upper so the catalog stays readable while older
 * versions may be compacted away. The catalog never fences through the opaque token (it fences
 * through the upper and the epoch), so a mismatch here is only reported, never fatal.
 */
export async function downgradeCriticalSince(store: ShardStore, shard: string, upper: bigint): Promise<void> {
  const res = await store.compareAndDowngradeSince(shard, CRITICAL_SINCE_READER_ID, CRITICAL_SINCE_OPAQUE, CRITICAL_SINCE_OPAQUE, upper - 1n)
  void res
}
