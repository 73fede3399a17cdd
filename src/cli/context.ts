/**
 * What a command implementation gets besides its arguments: the streams, the output module, the
 * resolved global options, the retry policy wired to the spinner, and the command's declared
 * effect, which binds what it may open (see `store-access.ts`).
 */
import { isAbsolute, resolve } from 'node:path'
import { retry, type AttemptInfo } from '../retry.js'
import type { CommandEffect } from './command.js'
import type { CliIo } from './io.js'
import type { GlobalOptions } from './options.js'
import type { Output } from './output.js'
import type { Invocation } from './write-record.js'

export interface RetryingOptions {
  /** Narrows which errors are retried (default: transient ones). */
  readonly retryable?: (err: unknown) => boolean
}

export interface CommandContext {
  readonly io: CliIo
  readonly out: Output
  readonly options: GlobalOptions
  /**
   * Runs one attempt of store work under the retry policy. Every retry is shown (spinner text on
   * a terminal) with what is retried and why; `label` names the work ("reading the epoch").
   */
  retrying<T>(label: string, attempt: (info: AttemptInfo) => Promise<T>, options?: RetryingOptions): Promise<T>
  /** A path given on the command line, resolved against the run's working directory. */
  resolvePath(path: string): string
  /** Wall-clock milliseconds (fixed in tests). */
  now(): number
  /** The command run, for the write records of the stores it writes (see `write-record.ts`). */
  readonly invocation: Invocation | undefined
  /**
   * What the command declared it does to a store (`command.ts`), put here by `main`: opening a
   * store in a mode the declaration does not allow is a bug (see `store-access.ts`).
   */
  readonly effect: CommandEffect
  /** The stores open right now, so that `main` closes any a handler left open. */
  readonly openStores: Set<{ close(): Promise<void> }>
}

export function createContext(
  io: CliIo,
  out: Output,
  options: GlobalOptions,
  effect: CommandEffect,
  invocation?: Invocation,
): CommandContext {
  return {
    invocation,
    effect,
    openStores: new Set(),
    io,
    out,
    options,
    async retrying(label, attempt, opts = {}) {
      const started = performance.now()
      try {
        return await retry(attempt, {
          timeoutMs: options.retryTimeoutMs,
          ...(io.retryClock === undefined ? {} : { clock: io.retryClock }),
          ...(opts.retryable === undefined ? {} : { retryable: opts.retryable }),
          onRetry: (e) => {
            const when = e.finalAttemptNext ? 'final attempt' : `attempt ${e.attempt + 1}`
            out.progress(`retrying ${label} (${when} in ${Math.round(e.waitMs)} ms): ${e.reason}`)
          },
        })
      } finally {
        out.stopSpinner()
        out.timing(label, performance.now() - started)
      }
    },
    resolvePath: (path) => (isAbsolute(path) ? path : resolve(io.cwd, path)),
    now: io.now ?? (() => Date.now()),
  }
}
