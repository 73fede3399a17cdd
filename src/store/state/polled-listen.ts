/**
 * `listen`: every update at a time greater than the as-of, in upper-sized steps. The bookkeeping
 * is shared by every backend; each supplies one probe (a read transaction and its SQL).
 *
 * Each `fetchNext` waits until the shard's upper passes the listen's frontier, then returns the
 * updates with `frontier <= ts < upper` and `ts > asOf` (original timestamps, insertion order
 * within a time) and exactly one progress event; the frontier becomes that upper.
 *
 * A listen holds no lease, so it never writes (it works on read-only stores). The price: if the
 * shard is compacted to a since at or beyond the frontier while the listen is behind, rows it
 * already returned (or that belong to its as-of snapshot) would come back at the since; that is
 * detected and reported as a `SinceError` instead (persist halts in the same situation).
 */
import { AsOfNotYetAvailableError, LeaseExpiredError, SinceError } from '../../errors.js'
import { formatFrontier, frontierLessThan, isBefore } from '../frontier.js'
import type { Frontier, Listen, ListenEvent, Update } from '../shard-store.js'
import { U64_MAX } from '../u64.js'
import { pollUntil } from '../wait-for.js'
import type { ShardFrontiers } from './as-of.js'

/** What one successful probe found: the updates to return (or their promise) and the upper they lead to. */
export interface ListenBatch<R> {
  readonly updates: R | readonly Update[]
  readonly upper: Frontier
}

/** A listen on one shard; a backend implements {@link PolledListen.probe}. */
export abstract class PolledListen implements Listen {
  #frontier: Frontier
  #expired = false
  #lastUpper: Frontier

  protected constructor(
    protected readonly shardId: string,
    protected readonly asOf: bigint,
    private readonly waitTimeoutMs: number,
  ) {
    this.#frontier = asOf
    this.#lastUpper = asOf
  }

  get frontier(): Frontier {
    return this.#frontier
  }

  async fetchNext(): Promise<ListenEvent[]> {
    if (this.#expired) throw new LeaseExpiredError(`listen on ${this.shardId} was expired`)
    const from = this.#frontier
    if (from === null) return [{ type: 'progress', upper: null }]
    this.#lastUpper = from
    const batch = await pollUntil(
      () => this.probe(from),
      this.waitTimeoutMs,
      (waited) =>
        new AsOfNotYetAvailableError(
          `listen on ${this.shardId}: the upper is still ${formatFrontier(this.#lastUpper)}, not past ${formatFrontier(from)} (waited ${waited} ms)`,
        ),
    )
    this.#frontier = batch.upper
    return batch.updates.length > 0
      ? [
          { type: 'updates', updates: batch.updates },
          { type: 'progress', upper: batch.upper },
        ]
      : [{ type: 'progress', upper: batch.upper }]
  }

  async expire(): Promise<void> {
    this.#expired = true
  }

  /**
   * One probe in one read transaction: read the shard's frontiers, pass them to {@link step}
   * with a reader of the rows in `[lower, upper)` (`upper` null: to the end) by (ts, insertion),
   * and return its batch with the rows awaited; `undefined` when the upper has not passed `from`.
   */
  protected abstract probe(
    from: bigint,
  ): { updates: readonly Update[]; upper: Frontier } | undefined | Promise<{ updates: readonly Update[]; upper: Frontier } | undefined>

  /**
   * The decision of a probe at frontier `from` given the shard's frontiers: `undefined` (wait),
   * a `SinceError` (the history was compacted away), or the batch up to the upper, reading rows
   * with `readRange` only when the range above the as-of is not empty.
   */
  protected step<R>(from: bigint, frontiers: ShardFrontiers, readRange: (lower: bigint, upper: Frontier) => R): ListenBatch<R> | undefined {
    const { upper, compactedSince } = frontiers
    this.#lastUpper = upper
    if (!frontierLessThan(from, upper)) return undefined
    if (compactedSince !== undefined && compactedSince > this.asOf && compactedSince >= from) {
      throw new SinceError(
        `listen on ${this.shardId} at frontier ${formatFrontier(from)} lost its history: the shard was compacted to since [${compactedSince}]`,
        compactedSince,
      )
    }
    // Times at or below the as-of belong to the snapshot, not to the listen.
    const lower = from > this.asOf ? from : this.asOf + 1n
    if (lower > U64_MAX || !isBefore(lower, upper)) return { updates: [], upper }
    return { updates: readRange(lower, upper), upper }
  }
}
