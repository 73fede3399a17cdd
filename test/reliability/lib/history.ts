/**
 * A linearizability checker for the one register every writer races on: a shard's upper, read by
 * `fetchRecentUpper` and compare-and-set by `compareAndAppend` (each success moves it by one).
 *
 * The model makes the check exact and cheap (no porcupine-style search): a successful CAS with
 * expected upper k is the only way from k to k+1, so the successes must expect exactly
 * initial, initial+1, …, final−1, once each (one winner per upper), and their linearization order
 * is forced. What remains is whether points p_k ∈ [invoke_k, complete_k] exist with p_k increasing
 * such that every read (and every mismatch, which reports the upper it saw) returning v falls
 * between p_{v−1} and p_v. Each such op only bounds p_{v−1} from above and p_v from below, so
 * choosing every p_k as early as its bounds allow is optimal: one pass decides.
 *
 * Operations whose outcome is unknown (the client crashed or got an indeterminate error) are
 * resolved by the caller from the store's contents before checking: committed ones become
 * successes that complete at +∞, the others are dropped (a failed write constrains nothing).
 */

/** Times are from `process.hrtime` (CLOCK_MONOTONIC, one clock for every process on the host), in ns. */
export type HistoryOp =
  | { readonly kind: 'read'; readonly process: number; readonly inv: number; readonly cmp: number; readonly value: bigint }
  | {
      readonly kind: 'cas'
      readonly process: number
      readonly inv: number
      /** `Infinity` for an op that committed but whose completion was never observed. */
      readonly cmp: number
      readonly expected: bigint
      readonly outcome: 'ok' | 'mismatch'
      /** For a mismatch: the upper the store reported. */
      readonly current?: bigint | null
      /** What a successful CAS appended (to find it in the store). */
      readonly data?: string
    }

export interface LinearizabilityResult {
  readonly linearizable: boolean
  /** The first few problems found (empty when linearizable). */
  readonly problems: string[]
  /** Mismatches that reported a current upper below their expected one (must be 0). */
  readonly mismatchBelowExpected: number
  readonly checkMs: number
}

const EPS = 1e-3

/** Checks a history of reads and CASes of an upper that went from `initial` to `final`. */
export function checkUpperHistory(ops: readonly HistoryOp[], initial: bigint, final: bigint): LinearizabilityResult {
  const started = performance.now()
  const problems: string[] = []
  const note = (p: string): void => {
    if (problems.length < 10) problems.push(p)
  }
  const count = Number(final - initial)
  const lo = new Float64Array(count).fill(-Infinity)
  const hi = new Float64Array(count).fill(Infinity)
  const seen = new Uint8Array(count)
  let mismatchBelowExpected = 0

  for (const op of ops) {
    if (op.kind !== 'cas' || op.outcome !== 'ok') continue
    const k = Number(op.expected - initial)
    if (k < 0 || k >= count) {
      note(`a successful CAS expected upper ${op.expected}, outside [${initial}, ${final})`)
      continue
    }
    if (seen[k] === 1) note(`two successful CASes expected upper ${op.expected} (two winners for one upper)`)
    seen[k] = 1
    lo[k] = Math.max(lo[k]!, op.inv)
    hi[k] = Math.min(hi[k]!, op.cmp)
  }
  for (let k = 0; k < count; k++)
    if (seen[k] === 0) note(`no successful CAS took the upper from ${initial + BigInt(k)} (a gap or a lost acknowledged write)`)

  // Every observation of value v must fall between the CAS that made v and the one that left it.
  const observe = (v: bigint, inv: number, cmp: number, what: string): void => {
    if (v < initial || v > final) {
      note(`${what} observed upper ${v}, outside [${initial}, ${final}]`)
      return
    }
    const k = Number(v - initial)
    if (k > 0) hi[k - 1] = Math.min(hi[k - 1]!, cmp - EPS)
    if (k < count) lo[k] = Math.max(lo[k]!, inv + EPS)
  }
  for (const op of ops) {
    if (op.kind === 'read') observe(op.value, op.inv, op.cmp, `a read by process ${op.process}`)
    else if (op.outcome === 'mismatch') {
      if (op.current === null || op.current === undefined) {
        note(`a mismatch by process ${op.process} reported a finished shard`)
        continue
      }
      if (op.current === op.expected) note(`a mismatch by process ${op.process} reported current = expected = ${op.expected}`)
      if (op.current < op.expected) mismatchBelowExpected++
      observe(op.current, op.inv, op.cmp, `a mismatch by process ${op.process}`)
    }
  }

  let p = -Infinity
  for (let k = 0; k < count; k++) {
    p = Math.max(lo[k]!, p + EPS)
    if (p > hi[k]!) {
      note(`the CAS from upper ${initial + BigInt(k)} cannot be placed: it must follow ${lo[k]} but precede ${hi[k]} (ns)`)
      break
    }
  }
  return { linearizable: problems.length === 0, problems, mismatchBelowExpected, checkMs: performance.now() - started }
}

/** `process.hrtime` now, in ns, as a number (exact: far below 2^53 for any realistic uptime). */
export function nowNs(): number {
  return Number(process.hrtime.bigint())
}
