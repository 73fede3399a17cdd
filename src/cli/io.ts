/**
 * The process surroundings a command line run sees. `main` takes a partial one so that tests run
 * commands in process with captured streams, a fixed environment and fixed clocks.
 */
import { isatty } from 'node:tty'
import type { RetryClock } from '../retry.js'

/** What `main` writes to: a Node writable stream (process.stdout, a file, a test buffer). */
export type CliWritable = NodeJS.WritableStream

export interface CliIo {
  readonly stdout: CliWritable
  readonly stderr: CliWritable
  readonly stdin: NodeJS.ReadableStream
  readonly env: Readonly<Record<string, string | undefined>>
  /** Whether each standard stream is an interactive terminal. */
  readonly isTTY: { readonly stdin: boolean; readonly stdout: boolean; readonly stderr: boolean }
  /** Relative paths (`--store`, `@file`, TARGET) resolve against this. */
  readonly cwd: string
  /** Terminal width for help text; undefined lets yargs decide (80 when not a terminal). */
  readonly columns?: number
  /** Clock of the retry policy (tests inject a fake one). */
  readonly retryClock?: RetryClock
  /** Wall clock in ms handed to the store and catalog (tests pass a fixed one). */
  readonly now?: () => number
  /**
   * Calls `listener` on an interrupt (SIGINT, SIGTERM) until the returned function is called; for
   * commands that run until stopped (`watch`). While registered, an interrupt no longer kills the
   * process: the command ends on its own, and flushes its output.
   */
  readonly onInterrupt: (listener: () => void) => () => void
}

/** {@link CliIo.onInterrupt} on the real process's signals. */
function processInterrupts(listener: () => void): () => void {
  const signals = ['SIGINT', 'SIGTERM'] as const
  for (const s of signals) process.on(s, listener)
  return () => {
    for (const s of signals) process.off(s, listener)
  }
}

/** The real process, but stdin (see {@link resolveIo}). */
function processIoButStdin(): Omit<CliIo, 'stdin'> {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    isTTY: {
      // What `process.stdin.isTTY` says, without creating process.stdin.
      stdin: isatty(0),
      stdout: process.stdout.isTTY === true,
      stderr: process.stderr.isTTY === true,
    },
    cwd: process.cwd(),
    columns: process.stdout.isTTY === true ? process.stdout.columns : undefined,
    onInterrupt: processInterrupts,
  }
}

/**
 * Fills what the caller left out from the real process. `process.stdin` is created on first use
 * (that costs milliseconds of start-up), so only a command that reads stdin pays for it.
 */
export function resolveIo(partial: Partial<CliIo> = {}): CliIo {
  const { stdin, ...given } = partial
  const real = processIoButStdin()
  const io = { ...real, ...given, isTTY: { ...real.isTTY, ...given.isTTY } }
  return Object.defineProperty(
    io,
    'stdin',
    stdin !== undefined ? { value: stdin, enumerable: true } : { get: () => process.stdin, enumerable: true },
  ) as CliIo
}
