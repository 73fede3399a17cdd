/**
 * Polling with capped exponential backoff, for reads at a time the shard has not reached yet
 * (persist's `wait_for_upper_past`). Each probe is a short read of its own, so nothing is held
 * while waiting.
 */

const FIRST_WAIT_MS = 5
const MAX_WAIT_MS = 200

/**
 * Calls `probe` until it returns a value other than `undefined`, sleeping between calls (5 ms,
 * doubling, at most 200 ms). After `deadlineMs` the probe runs one last time; if it is still not
 * ready, `onTimeout(waitedMs)` is thrown. Errors thrown by `probe` propagate at once.
 */
export async function pollUntil<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  deadlineMs: number,
  onTimeout: (waitedMs: number) => Error,
): Promise<T> {
  const start = Date.now()
  let wait = FIRST_WAIT_MS
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    const waited = Date.now() - start
    if (waited >= deadlineMs) throw onTimeout(waited)
    await sleep(Math.min(wait, deadlineMs - waited))
    wait = Math.min(wait * 2, MAX_WAIT_MS)
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
