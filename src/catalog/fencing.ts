/**
 * Fencing: how a catalog learns that another writer got there first, and the errors it raises.
 *
 * Every commit is a compare-and-append at the upper this catalog last saw. Exactly one writer wins
 * each upper, so a mismatch means someone else wrote in between; a writable catalog cannot merge
 * foreign writes into its in-memory state, so it is fenced for good. Every writer also bumps the
 * epoch when it opens (and debug edits bump it again), so a newer epoch in the shard names the
 * catalog that fenced this one.
 */

import { FenceError, UpperMismatchError } from '../errors.js'
import { frontierText } from '../store/frontier.js'
import type { Frontier } from '../store/shard-store.js'

/** `current catalog upper {X} fenced by new catalog upper {Y}` (a lost compare-and-append). */
export function upperFence(expected: Frontier, current: Frontier): FenceError {
  return new FenceError(`current catalog upper ${frontierText(expected)} fenced by new catalog upper ${frontierText(current)}`, {
    details: { expectedUpper: expected, currentUpper: current },
    hint: 'another process wrote to the catalog; re-open it to continue',
  })
}

/** `current catalog epoch {X} fenced by new catalog epoch {Y}` (a newer writer opened the catalog). */
export function epochFence(current: bigint, fence: bigint): FenceError {
  return new FenceError(`current catalog epoch ${current} fenced by new catalog epoch ${fence}`, {
    details: { currentEpoch: current, fenceEpoch: fence },
    hint: 'another process opened the catalog for writing; re-open it to continue',
  })
}

/**
 * A debug write lost a race (the upper moved between reading and appending). Transient: the retry
 * policy re-runs the whole attempt, re-reading every value, so no concurrent edit is lost.
 */
export function debugUpperMismatch(expected: Frontier, current: Frontier): UpperMismatchError {
  return new UpperMismatchError(
    `catalog upper moved from ${frontierText(expected)} to ${frontierText(current)} while writing; the edit must be re-read and retried`,
    { details: { expectedUpper: expected, currentUpper: current } },
  )
}
