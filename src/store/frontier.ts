/**
 * Helpers on {@link Frontier} for a totally ordered time: `t` is the antichain `[t]`, `null` the
 * empty antichain `[]`. The empty antichain is greater than every time and every other frontier
 * (it admits no time: nothing is open any more), so `null` sorts last everywhere here.
 */
import type { Frontier } from './shard-store.js'

/** -1, 0 or 1 as `a` is before, equal to or after `b` (`null` is the greatest). */
export function compareFrontiers(a: Frontier, b: Frontier): -1 | 0 | 1 {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  return a < b ? -1 : 1
}

/** Whether two frontiers are the same antichain. */
export function frontierEquals(a: Frontier, b: Frontier): boolean {
  return compareFrontiers(a, b) === 0
}

/** `a < b` (`null` is the greatest). */
export function frontierLessThan(a: Frontier, b: Frontier): boolean {
  return compareFrontiers(a, b) < 0
}

/** `a <= b` (`null` is the greatest). */
export function frontierLessEqual(a: Frontier, b: Frontier): boolean {
  return compareFrontiers(a, b) <= 0
}

/** Whether time `t` is beyond (greater or equal to) frontier `f`; nothing is beyond `[]`. */
export function isBeyond(t: bigint, f: Frontier): boolean {
  return f !== null && f <= t
}

/** Whether time `t` is still open at frontier `f`, i.e. `t < f` (every time is below `[]`). */
export function isBefore(t: bigint, f: Frontier): boolean {
  return f === null || t < f
}

/** The least upper bound (the later frontier). */
export function joinFrontiers(a: Frontier, b: Frontier): Frontier {
  return compareFrontiers(a, b) >= 0 ? a : b
}

/** Persist's element-array form: `[t]` or `[]` (as `inspect` prints frontiers). */
export function frontierToArray(f: Frontier): bigint[] {
  return f === null ? [] : [f]
}

/** `[5]` or `[]`, the form used in messages. */
export function formatFrontier(f: Frontier): string {
  return f === null ? '[]' : `[${f}]`
}

/** The time itself, or `[]` for the empty frontier: how catalog messages print an upper or since. */
export function frontierText(f: Frontier): string {
  return f === null ? '[]' : f.toString()
}
