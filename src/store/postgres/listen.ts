/**
 * `listen`: every update at a time greater than the as-of, in upper-sized steps (mirrors
 * `../sqlite/listen.ts`).
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
import { type PgContext, decodeData } from './context.js'
import type { Query } from './pool.js'
import { LISTEN_SQL, LISTEN_TO_END_SQL } from './queries.js'
import { checkSince, readFrontiers } from './reads.js'

export class PgListen implements Listen {
  #frontier: Frontier
  #expired = false

  private constructor(
    private readonly ctx: PgContext,
    private readonly shardId: string,
    private readonly asOf: bigint,
  ) {
    this.#frontier = asOf
  }

  /** Starts a listen at `asOf`; `SinceError` if `asOf` is before the shard's since. */
  static async start(ctx: PgContext, shardId: string, asOf: bigint): Promise<PgListen> {
    await ctx.pool.read(`listen on ${shardId}`, async (q) => checkSince('listen', asOf, (await readFrontiers(q, shardId)).since))
    return new PgListen(ctx, shardId, asOf)
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
      () =>
        this.ctx.pool.read(`listen on ${this.shardId}`, async (q) => {
          const { upper, compactedSince } = await readFrontiers(q, this.shardId)
          lastUpper = upper
          if (!frontierLessThan(from, upper)) return undefined
          if (compactedSince !== undefined && compactedSince > this.asOf && compactedSince >= from) {
            throw new SinceError(
              `listen on ${this.shardId} at frontier ${formatFrontier(from)} lost its history: the shard was compacted to since [${compactedSince}]`,
              compactedSince,
            )
          }
          return this.read(q, from, upper)
        }),
      this.ctx.waitTimeoutMs,
      (waited) =>
        new AsOfNotYetAvailableError(
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

  private async read(q: Query, from: bigint, upper: Frontier): Promise<{ updates: Update[]; upper: Frontier }> {
    // Times at or below the as-of belong to the snapshot, not to the listen.
    const lower = from > this.asOf ? from : this.asOf + 1n
    if (lower > U64_MAX || !isBefore(lower, upper)) return { updates: [], upper }
    const res = upper === null
      ? await q<{ data: Buffer; ts: bigint; diff: bigint }>(LISTEN_TO_END_SQL, [this.shardId, encodeU64(lower)])
      : await q<{ data: Buffer; ts: bigint; diff: bigint }>(LISTEN_SQL, [this.shardId, encodeU64(lower), encodeU64(upper)])
    return { updates: res.rows.map((r) => ({ data: decodeData(r.data), ts: decodeU64(r.ts), diff: r.diff })), upper }
  }
}
