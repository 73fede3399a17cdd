/**
 * One creating write (`init`, `import`, `copy`) across all of its retry attempts, so that an
 * append whose outcome is unknown is recognised as done when it did land.
 *
 * A retry policy re-runs a command whose store connection dropped; if the drop came during the
 * COMMIT of the append that wrote the catalog's contents, the contents may be there, and a fresh
 * attempt would find the catalog existing and refuse ("already holds data", exit 4) although this
 * very command wrote it. So, as `edit` does (see `DebugWriteSession`), every append a creation
 * makes carries the session's writer id and a fresh idempotency token, and an append that threw
 * stays `pending` here. The next attempt first re-sends it, same token, same uppers: the store
 * answers `alreadyCommitted` if it landed (whatever happened to the shard since), commits it now
 * if the shard is still where it was, and mismatches only if it never landed and someone else
 * moved on, in which case the attempt starts afresh.
 */
import { newIdempotencyToken, newWriterId } from '../store/ids.js'
import type { Update, WriterIdentity } from '../store/shard-store.js'

/** An append of a creation whose outcome is not known (it threw). */
export interface PendingCreation {
  readonly shardId: string
  readonly expectedUpper: bigint
  readonly newUpper: bigint
  readonly token: string
  /** The updates (an in-memory append, `init`'s contents); absent for a streamed one, which is read again. */
  readonly updates?: readonly Update[]
  /** How many updates a streamed append had written when it threw. */
  readonly written?: { readonly written: number }
}

export class CreationSession {
  /** `w<uuid>`: the writer identity of every append of this creation. */
  readonly writerId: string = newWriterId()
  /** The append of a failed attempt whose outcome is unknown; cleared once it is re-sent. */
  #pending: PendingCreation | undefined

  /** A new identity for the next append (a fresh token under the session's writer id). */
  identity(): WriterIdentity {
    return { writerId: this.writerId, idempotencyToken: newIdempotencyToken() }
  }

  /**
   * Runs `append` as the pending one of this session: if it throws, it stays pending for the next
   * attempt (its outcome is unknown); once it returns, its outcome is known and it is cleared.
   */
  async appending<T>(pending: PendingCreation, append: () => Promise<T>): Promise<T> {
    this.#pending = pending
    const result = await append()
    this.#pending = undefined
    return result
  }

  /** Takes the pending append of `shardId` (clearing it), if an earlier attempt left one. */
  takePending(shardId: string): PendingCreation | undefined {
    const p = this.#pending
    if (p === undefined || p.shardId !== shardId) return undefined
    this.#pending = undefined
    return p
  }
}
