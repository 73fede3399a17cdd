/**
 * `listen`: every update at a time greater than the as-of, in upper-sized steps.
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
import { U64_MAX, decodeU64, encodeU64 } from '../u64.js'
import { pollUntil } from '../wait-for.js'
import { type SqliteContext, readTx } from './context.js'
import { LISTEN_SQL, LISTEN_TO_END_SQL } from './queries.js'
import { checkSince, readFrontiers } from './reads.js'

/** A listen on one shard of a SQLite store (see the module comment). */
export class SqliteListen implements Listen {
  #frontier: Frontier
  #expired = false

  private constructor(
    private readonly ctx: SqliteContext,
    private readonly shardId: string,
    private readonly asOf: bigint,
    private readonly waitTimeoutMs: number,
  ) {
    this.#frontier = asOf
  }

  /** Starts a listen at `asOf`; `SinceError` if `asOf` is before the shard's since. */
  static start(ctx: SqliteContext, shardId: string, asOf: bigint, waitTimeoutMs: number): SqliteListen {
    readTx(ctx, () => checkSince('listen', asOf, readFrontiers(ctx, shardId).since))
    return new SqliteListen(ctx, shardId, asOf, waitTimeoutMs)
  }

  get frontier(): Frontier {
    return this.#frontier
  }

  async fetchNext(): Promise<ListenEvent[]> {
    if (this.#expired) throw new LeaseExpiredError(`listen on ${this.shardId} was expired`)
    const from = this.#frontier
    if (from === null) return [{ type: 'progress', upper: null }]
    let lastUpper: Frontier = from
    const events = await pollUntil(
      () => readTx(this.ctx, () => {
        const { upper, compactedSince } = readFrontiers(this.ctx, this.shardId)
        lastUpper = upper
        if (!frontierLessThan(from, upper)) return undefined
        if (compactedSince !== undefined && compactedSince > this.asOf && compactedSince >= from) {
          throw new SinceError(
            `listen on ${this.shardId} at frontier ${formatFrontier(from)} lost its history: the shard was compacted to since [${compactedSince}]`,
            compactedSince,
          )
        }
        return this.read(from, upper)
      }),
      this.waitTimeoutMs,
      (waited) => new AsOfNotYetAvailableError(
        `listen on ${this.shardId}: the upper is still ${formatFrontier(lastUpper)}, not past ${formatFrontier(from)} (waited ${waited} ms)`,
      ),
    )
    this.#frontier = events.upper
    return events.updates.length > 0
      ? [{ type: 'updates', updates: events.updates }, { type: 'progress', upper: events.upper }]
      : [{ type: 'progress', upper: events.upper }]
  }

  async expire(): Promise<void> {
    this.#expired = true
  }

  private read(from: bigint, upper: Frontier): { updates: Update[]; upper: Frontier } {
    // Times at or below the as-of belong to the snapshot, not to the listen.
    const lower = from > this.asOf ? from : this.asOf + 1n
    if (lower > U64_MAX || !isBefore(lower, upper)) return { updates: [], upper }
    const rows = (upper === null
      ? this.ctx.stmt(LISTEN_TO_END_SQL).all(this.shardId, encodeU64(lower))
      : this.ctx.stmt(LISTEN_SQL).all(this.shardId, encodeU64(lower), encodeU64(upper))) as { data: string; ts: bigint; diff: bigint }[]
    return { updates: rows.map((r) => ({ data: r.data, ts: decodeU64(r.ts), diff: r.diff })), upper }
  }
}
