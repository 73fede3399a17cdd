/**
 * `listen` in SQLite: the shared bookkeeping of `../state/polled-listen.ts`, each probe one
 * deferred read transaction (one WAL snapshot).
 */
import type { Frontier, Update } from '../shard-store.js'
import { checkSince, readableSince } from '../state/as-of.js'
import { PolledListen } from '../state/polled-listen.js'
import { decodeU64, encodeU64 } from '../u64.js'
import { type SqliteContext, readTx } from './context.js'
import { LISTEN_SQL, LISTEN_TO_END_SQL } from './queries.js'
import { readFrontiers } from './reads.js'

/** A listen on one shard of a SQLite store. */
export class SqliteListen extends PolledListen {
  private constructor(
    private readonly ctx: SqliteContext,
    shardId: string,
    asOf: bigint,
    waitTimeoutMs: number,
  ) {
    super(shardId, asOf, waitTimeoutMs)
  }

  /** Starts a listen at `asOf`; `SinceError` if `asOf` is before the shard's since. */
  static start(ctx: SqliteContext, shardId: string, asOf: bigint, waitTimeoutMs: number): SqliteListen {
    readTx(ctx, () => checkSince('listen', asOf, readableSince(readFrontiers(ctx, shardId), ctx.historyReads)))
    return new SqliteListen(ctx, shardId, asOf, waitTimeoutMs)
  }

  protected probe(from: bigint): { updates: readonly Update[]; upper: Frontier } | undefined {
    return readTx(this.ctx, () => this.step(from, readFrontiers(this.ctx, this.shardId), (lower, upper) => this.read(lower, upper)))
  }

  private read(lower: bigint, upper: Frontier): Update[] {
    const rows = (
      upper === null
        ? this.ctx.stmt(LISTEN_TO_END_SQL).all(this.shardId, encodeU64(lower))
        : this.ctx.stmt(LISTEN_SQL).all(this.shardId, encodeU64(lower), encodeU64(upper))
    ) as { data: string; ts: bigint; diff: bigint }[]
    return rows.map((r) => ({ data: r.data, ts: decodeU64(r.ts), diff: r.diff }))
  }
}
