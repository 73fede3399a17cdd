/**
 * `listen` in PostgreSQL: the shared bookkeeping of `../state/polled-listen.ts`, each probe one
 * REPEATABLE READ, READ ONLY transaction.
 */
import type { Frontier, Update } from '../shard-store.js'
import { checkSince, readableSince } from '../state/as-of.js'
import { PolledListen } from '../state/polled-listen.js'
import { decodeU64, encodeU64 } from '../u64.js'
import { type PgContext, decodeData } from './context.js'
import type { Query } from './pool.js'
import { LISTEN_SQL, LISTEN_TO_END_SQL } from './queries.js'
import { readFrontiers } from './reads.js'

/** A listen on one shard of a PostgreSQL store. */
export class PgListen extends PolledListen {
  private constructor(
    private readonly ctx: PgContext,
    shardId: string,
    asOf: bigint,
  ) {
    super(shardId, asOf, ctx.waitTimeoutMs)
  }

  /** Starts a listen at `asOf`; `SinceError` if `asOf` is before the shard's since. */
  static async start(ctx: PgContext, shardId: string, asOf: bigint): Promise<PgListen> {
    await ctx.pool.read(`listen on ${shardId}`, async (q) =>
      checkSince('listen', asOf, readableSince(await readFrontiers(q, shardId), ctx.historyReads)),
    )
    return new PgListen(ctx, shardId, asOf)
  }

  protected probe(from: bigint): Promise<{ updates: readonly Update[]; upper: Frontier } | undefined> {
    return this.ctx.pool.read(`listen on ${this.shardId}`, async (q) => {
      const batch = this.step(from, await readFrontiers(q, this.shardId), (lower, upper) => this.read(q, lower, upper))
      return batch === undefined ? undefined : { updates: await batch.updates, upper: batch.upper }
    })
  }

  private async read(q: Query, lower: bigint, upper: Frontier): Promise<Update[]> {
    const res =
      upper === null
        ? await q<{ data: Buffer; ts: bigint; diff: bigint }>(LISTEN_TO_END_SQL, [this.shardId, encodeU64(lower)])
        : await q<{ data: Buffer; ts: bigint; diff: bigint }>(LISTEN_SQL, [this.shardId, encodeU64(lower), encodeU64(upper)])
    return res.rows.map((r) => ({ data: decodeData(r.data), ts: decodeU64(r.ts), diff: r.diff }))
  }
}
