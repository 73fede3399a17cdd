/**
 * The rules of reads at an as-of, shared by every backend (each supplies its own read
 * transaction and SQL):
 *
 * A read at `asOf` below the shard's since (see {@link readableSince}) is a `SinceError` (the history it asks for may have
 * been compacted away); at `asOf >= upper` it waits (polling, each probe its own short read
 * transaction) until the upper passes `asOf`, or fails with `AsOfNotYetAvailableError` after the
 * store's wait deadline. Check and read happen in one read transaction, so the rows returned are
 * exactly the shard's contents at `asOf`.
 */
import { AsOfNotYetAvailableError, SinceError } from '../../errors.js'
import { formatFrontier, frontierLessThan, isBefore } from '../frontier.js'
import type { Frontier } from '../shard-store.js'
import { assertU64, decodeFrontier, decodeU64 } from '../u64.js'
import { pollUntil } from '../wait-for.js'

/** A shard's frontiers, decoded. */
export interface ShardFrontiers {
  readonly since: Frontier
  readonly upper: Frontier
  /** The since of the latest compaction; `undefined` if the shard was never compacted. */
  readonly compactedSince: bigint | undefined
}

/** The frontier columns of a `shards` row as a driver returns them. */
export interface StoredFrontiers {
  since: bigint | null
  upper: bigint | null
  compacted_since: bigint | null
}

/** Decodes a shard's stored frontiers; an absent shard reads as since = upper = [0]. */
export function decodeFrontiers(row: StoredFrontiers | undefined): ShardFrontiers {
  if (row === undefined) return { since: 0n, upper: 0n, compactedSince: undefined }
  return {
    since: decodeFrontier(row.since),
    upper: decodeFrontier(row.upper),
    compactedSince: row.compacted_since === null ? undefined : decodeU64(row.compacted_since),
  }
}

/**
 * The earliest time a read may be at. Normally the since. With history reads (a store opened with
 * `historyReads`), the compaction frontier instead: the since up to which `compact` has forwarded
 * updates (0 when the shard was never compacted). Every update keeps the timestamp it was written
 * at until `compact` forwards it, so the contents at any time from there on are still exact; the
 * since is only the readers' hold, which lets compaction go that far.
 */
export function readableSince(frontiers: ShardFrontiers, historyReads: boolean): Frontier {
  if (!historyReads || frontiers.since === null) return frontiers.since
  return frontiers.compactedSince ?? 0n
}

/** Throws `SinceError` if `asOf` is before the shard's since. */
export function checkSince(what: string, asOf: bigint, since: Frontier): void {
  if (frontierLessThan(asOf, since)) {
    throw new SinceError(`${what} as of ${asOf} is not available: the shard's since is ${formatFrontier(since)}`, since)
  }
}

/**
 * Decides, inside one read transaction, whether the read can run there: throws `SinceError` if
 * `asOf` is before the since, returns whether the upper has passed `asOf`.
 */
export type AsOfAdmission = (frontiers: ShardFrontiers) => boolean

/**
 * Waits until `asOf` can be read and returns what the read produced. `probe` runs one read
 * transaction: it reads the shard's frontiers, passes them to `admit`, and if admitted reads in
 * that same transaction and returns `{value}`; otherwise it returns `undefined` and is called
 * again after a backoff. Throws `InvalidUsageError` (asOf not a u64), `SinceError` and, after
 * `waitTimeoutMs`, `AsOfNotYetAvailableError`.
 */
export async function readAtAsOf<T>(
  what: string,
  asOf: bigint,
  waitTimeoutMs: number,
  probe: (admit: AsOfAdmission) => { value: T } | undefined | Promise<{ value: T } | undefined>,
  historyReads = false,
): Promise<T> {
  assertU64(asOf, 'as_of')
  let lastUpper: Frontier = 0n
  const admit: AsOfAdmission = (frontiers) => {
    const { upper } = frontiers
    checkSince(what, asOf, readableSince(frontiers, historyReads))
    lastUpper = upper
    return isBefore(asOf, upper)
  }
  const box = await pollUntil(
    () => probe(admit),
    waitTimeoutMs,
    (waited) =>
      new AsOfNotYetAvailableError(
        `${what} as of ${asOf} is not yet available: the shard's upper is ${formatFrontier(lastUpper)} (waited ${waited} ms)`,
      ),
  )
  return box.value
}
