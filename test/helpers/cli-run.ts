/**
 * Runs `main` in process with captured streams: `{code, stdout, stderr}`. Colour is off unless
 * the caller says otherwise; the environment is exactly what the caller passes (never the real
 * one), so CATALOG_DEBUG_* variables of the machine running the tests play no part.
 */
import { Readable, Writable } from 'node:stream'
import { main, type CliIo } from '../../src/cli/main.js'
import type { RetryClock } from '../../src/retry.js'

export interface CapturedRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export class Capture extends Writable {
  text = ''
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.text += chunk.toString()
    cb()
  }
}

export interface RunOptions {
  readonly env?: Record<string, string | undefined>
  /** Text on stdin (stdin is then a pipe). */
  readonly stdin?: string
  readonly isTTY?: Partial<CliIo['isTTY']>
  readonly cwd?: string
  readonly retryClock?: RetryClock
  readonly now?: () => number
  readonly stdout?: NodeJS.WritableStream
}

/** A retry clock that never waits (time jumps forward instead). */
export function instantClock(): RetryClock {
  let t = 0
  return {
    now: () => t,
    sleep: async (ms) => {
      t += ms
    },
  }
}

export async function runCli(argv: readonly string[], opts: RunOptions = {}): Promise<CapturedRun> {
  const stdout = new Capture()
  const stderr = new Capture()
  const code = await main(argv, {
    stdout: opts.stdout ?? stdout,
    stderr,
    stdin: Readable.from(opts.stdin === undefined ? [] : [opts.stdin]),
    env: { ...opts.env },
    isTTY: { stdin: false, stdout: false, stderr: false, ...opts.isTTY },
    cwd: opts.cwd ?? process.cwd(),
    columns: 80,
    retryClock: opts.retryClock ?? instantClock(),
    now: opts.now ?? (() => 0),
  })
  return { code, stdout: stdout.text, stderr: stderr.text }
}
