/**
 * One logical debug write (`edit`, `delete`, `undo`) across all of its retry attempts, and what
 * such a write returns. The session is what makes a retried write exact: every attempt appends as
 * the same writer, and an attempt whose append threw leaves that append pending, to be re-sent
 * as it is by the next attempt ({@link DebugWriteOptions.session}). `debug-catalog.ts` does the
 * writes.
 */

import type { JsonValue } from '../json/lossless-json.js'
import { newWriterId } from '../store/ids.js'
import type { Update } from '../store/shard-store.js'
import type { CollectionName } from './kinds/collections.js'
import type { UndoPlan } from './undo.js'

export interface DebugWriteOptions {
  /** Compute the result but write nothing. */
  readonly dryRun?: boolean
  /**
   * The session of the logical write this call is one attempt of. Pass the same session to every
   * retry attempt (even through a new store and catalog): an attempt whose append failed with an
   * unknown outcome leaves it pending there, and the next attempt re-sends exactly that append
   * with the same idempotency token, so a write that did commit is reported as what it did,
   * never re-read as "no change" or "not found". Without one, each call is its own write.
   */
  readonly session?: DebugWriteSession
}

/** An append of a debug write whose outcome is not known (it threw), kept to be re-sent as is. */
export interface PendingDebugWrite {
  /** What the write is ("edit config {…} {…}"), so a session is never replayed for another write. */
  readonly request: string
  readonly updates: readonly Update[]
  readonly expectedUpper: bigint
  readonly token: string
  readonly result: EditResult | DeleteResult
}

/**
 * One logical debug write (edit or delete) across all of its retry attempts. It carries the
 * writer id every attempt appends as and, after an attempt whose append threw, that append
 * (`pending`). See {@link DebugWriteOptions.session}.
 */
export class DebugWriteSession {
  /** `w<uuid>`: the writer identity of every append of this session. */
  readonly writerId: string
  /** The append of a failed attempt whose outcome is unknown; cleared once its outcome is known. */
  pending: PendingDebugWrite | undefined
  /**
   * An undo's plan, decided by its first attempt: later attempts carry it out as it is, so an
   * attempt after one whose append did commit never "undoes" that undo.
   */
  undo: UndoPlan | undefined

  constructor(writerId: string = newWriterId()) {
    this.writerId = writerId
  }
}

/** The outcome of `DebugCatalog.edit`. Keys and values in proto declaration order. */
export interface EditResult {
  readonly collection: CollectionName
  readonly key: JsonValue
  /** The value the key had (`null`: it was absent). */
  readonly previous: JsonValue | null
  readonly value: JsonValue
  /** Whether the new value differs from the current one (identical: nothing is written). */
  readonly changed: boolean
  /** Whether the change was appended (false for a dry run or no change). */
  readonly committed: boolean
  /** The epoch bump that goes with the change (planned, for a dry run). Absent when nothing changes. */
  readonly epoch?: { readonly from: bigint; readonly to: bigint }
}

/** The outcome of `DebugCatalog.delete`. */
export interface DeleteResult {
  readonly collection: CollectionName
  readonly key: JsonValue
  /** The values retracted (normally one; several when the catalog held several for the key). */
  readonly deleted: JsonValue[]
  /** Whether the key was present (absent: nothing is written). */
  readonly found: boolean
  readonly committed: boolean
  readonly epoch?: { readonly from: bigint; readonly to: bigint }
}

/** The outcome of `DebugCatalog.undo`: the edit or delete it made, and the change it undid. */
export type UndoResult =
  | { readonly found: false; readonly collection: CollectionName; readonly key: JsonValue }
  | { readonly found: true; readonly undoneAt: bigint; readonly write: { readonly kind: 'edit'; readonly result: EditResult } }
  | { readonly found: true; readonly undoneAt: bigint; readonly write: { readonly kind: 'delete'; readonly result: DeleteResult } }
