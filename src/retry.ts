/**
 * The one retry policy every command that touches the store runs through.
 *
 * Schedule (Materialize's `Retry::default().max_duration(30s).clamp_backoff(1s)`, in
 * `src/catalog-debug/src/main.rs` and `src/catalog/src/durable/impls/persist.rs`): the first attempt runs at once; after a failure
 * the next one waits 125 ms, then 250, 500, and from then on 1 s (each wait doubled and clamped
 * to 1 s). A wait never reaches past the deadline (30 s by default): it is shortened so the next
 * attempt starts exactly at the deadline. An attempt that starts at or after the deadline is the
 * final one; if it fails, its error is thrown. So at least one attempt always runs, and with a
 * timeout of 0 exactly one.
 *
 * Unlike Materialize, which retries every error, only errors for which {@link isTransient} holds
 * (a busy store, a debug write that lost a race) are retried; any other error is thrown at once.
 * Each attempt re-runs the whole operation, so it re-reads whatever state it depends on.
 */
import { isTransient } from './errors.js'

export const DEFAULT_INITIAL_BACKOFF_MS = 125
export const DEFAULT_BACKOFF_FACTOR = 2
export const DEFAULT_CLAMP_BACKOFF_MS = 1_000
export const DEFAULT_RETRY_TIMEOUT_MS = 30_000

/** Time source and sleeper; tests inject a fake one so the schedule is exact and instant. */
export interface RetryClock {
  /** Milliseconds on any monotonic scale. */
  now(): number
  sleep(ms: number): Promise<void>
}

/** The real clock: `performance.now()` and `setTimeout`. */
export const systemClock: RetryClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}

/** What the policy tells its observer before each wait. */
export interface RetryEvent {
  /** The attempt that just failed, counting from 1. */
  readonly attempt: number
  /** How long the policy will wait before the next attempt. */
  readonly waitMs: number
  /** Time since the first attempt started. */
  readonly elapsedMs: number
  /** Whether the next attempt is the last one (it starts at or after the deadline). */
  readonly finalAttemptNext: boolean
  /** The error of the failed attempt. */
  readonly error: unknown
  /** One line saying why: the error's message. */
  readonly reason: string
}

export interface RetryOptions {
  /** Stop starting new attempts after this long (ms); then run one final attempt. Default 30 s. */
  readonly timeoutMs?: number
  readonly initialBackoffMs?: number
  readonly factor?: number
  readonly clampBackoffMs?: number
  readonly clock?: RetryClock
  /** Which errors to retry. Default {@link isTransient}. */
  readonly retryable?: (err: unknown) => boolean
  /** Called before every wait; must not throw. */
  readonly onRetry?: (event: RetryEvent) => void
}

/** Passed to each attempt. */
export interface AttemptInfo {
  /** Counting from 1. */
  readonly attempt: number
  /** True when no further attempt will follow a failure of this one. */
  readonly final: boolean
}

/**
 * Runs `operation` until it succeeds, fails with an error that is not retryable, or fails on its
 * final attempt. Resolves with the operation's result; rejects with the last error, unchanged
 * (so the caller still sees its code and category).
 */
export async function retry<T>(operation: (info: AttemptInfo) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const clock = options.clock ?? systemClock
  const timeoutMs = Math.max(0, options.timeoutMs ?? DEFAULT_RETRY_TIMEOUT_MS)
  const clamp = options.clampBackoffMs ?? DEFAULT_CLAMP_BACKOFF_MS
  const factor = options.factor ?? DEFAULT_BACKOFF_FACTOR
  const retryable = options.retryable ?? isTransient
  let backoff = Math.min(options.initialBackoffMs ?? DEFAULT_INITIAL_BACKOFF_MS, clamp)
  const start = clock.now()
  let final = timeoutMs === 0
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation({ attempt, final })
    } catch (err) {
      if (final || !retryable(err)) throw err
      const elapsedMs = clock.now() - start
      // The deadline passed while this attempt ran: one final attempt, at once.
      const waitMs = Math.max(0, Math.min(backoff, timeoutMs - elapsedMs))
      final = elapsedMs + waitMs >= timeoutMs
      backoff = Math.min(backoff * factor, clamp)
      options.onRetry?.({ attempt, waitMs, elapsedMs, finalAttemptNext: final, error: err, reason: reasonOf(err) })
      if (waitMs > 0) await clock.sleep(waitMs)
    }
  }
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/**
 * Parses a duration as the command line accepts it: `250ms`, `30s`, `2m`, or a bare number of
 * milliseconds. Returns undefined when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(text)
  if (m === null) return undefined
  const n = Number(m[1])
  const unit = m[2] ?? 'ms'
  const ms = unit === 'm' ? n * 60_000 : unit === 's' ? n * 1_000 : n
  return Number.isFinite(ms) ? Math.round(ms) : undefined
}
