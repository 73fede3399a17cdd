/**
 * Undo (`undo COLLECTION KEY`): what the key held just before its last change, read from its
 * history (see `DebugCatalog.history`). The write itself is a debug edit (put that value back) or
 * delete (the key was absent before), so it has their epoch bump, fencing and retry behaviour.
 */
import { AmbiguousKeyError } from '../errors.js'
import { displayJson, type JsonValue } from '../json/lossless-json.js'
import type { HistoryEntry } from './debug-catalog.js'

/** What undoing a key's last change writes. */
export type UndoPlan =
  /** The change at `undoneAt` put a value in place of `value` (or of nothing): put it back. */
  | { readonly kind: 'restore'; readonly undoneAt: bigint; readonly value: JsonValue }
  /** The key was absent before the change at `undoneAt`: delete it. */
  | { readonly kind: 'delete'; readonly undoneAt: bigint }

/**
 * The plan for undoing the last change of a key with `history` (oldest first), or `undefined`
 * when the key was never written (nothing to undo). The last change is the latest timestamp at
 * which a version was written or retracted; the state to go back to is the versions current just
 * before it. Several values current then (a damaged catalog) cannot be put back: `AmbiguousKeyError`.
 */
export function undoPlan(history: readonly HistoryEntry[], describeKey: string): UndoPlan | undefined {
  let last: bigint | undefined
  for (const e of history) {
    for (const t of [e.writtenAt, e.retractedAt]) if (t !== null && (last === undefined || t > last)) last = t
  }
  if (last === undefined) return undefined
  const undoneAt = last
  const before = history.filter((e) => e.writtenAt < undoneAt && (e.retractedAt === null || e.retractedAt >= undoneAt))
  if (before.length === 0) return { kind: 'delete', undoneAt }
  const [only] = before
  if (before.length > 1 || only === undefined || only.count !== undefined || only.undecodable !== undefined) {
    const what = only?.undecodable !== undefined && before.length === 1 ? 'a value that does not decode' : 'several values'
    throw new AmbiguousKeyError(`cannot undo the change at ${undoneAt} of ${describeKey}: it held ${what} before it`, {
      hint: `\`history\` lists them; put the right one back with \`edit\``,
      details: { values: before.map((e) => (e.undecodable === undefined ? displayJson(e.value) : e.raw)) },
    })
  }
  return { kind: 'restore', undoneAt, value: only.value }
}
