/**
 * Child processes for the reliability scenarios: workers forked with an IPC channel (their
 * messages queued so none is missed), and the command line spawned as the real binary would run.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CLI_BIN } from '../../helpers/cli-process.js'

export const WORKERS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'workers')

export interface WorkerMessage {
  readonly type: string
  readonly [k: string]: unknown
}

export class Worker {
  readonly child: ChildProcess
  readonly messages: WorkerMessage[] = []
  stderr = ''
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  #waiters: { type: string; resolve: (m: WorkerMessage) => void; reject: (e: Error) => void }[] = []
  #exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined

  constructor(script: string, args: readonly string[], env?: NodeJS.ProcessEnv) {
    this.child = fork(join(WORKERS_DIR, script), [...args], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: env ?? process.env })
    this.child.stderr?.setEncoding('utf8').on('data', (d: string) => (this.stderr += d))
    this.child.on('message', (m: WorkerMessage) => {
      this.messages.push(m)
      const i = this.#waiters.findIndex((w) => w.type === m.type)
      if (i >= 0) this.#waiters.splice(i, 1)[0]!.resolve(m)
    })
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.#exitInfo = { code, signal }
        for (const w of this.#waiters.splice(0))
          w.reject(
            new Error(
              `worker ${script} exited (${code ?? signal}) before sending ${w.type}: ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`,
            ),
          )
        resolve({ code, signal })
      })
    })
  }

  /** The first message of `type` (already received or the next one). */
  waitFor(type: string): Promise<WorkerMessage> {
    const got = this.messages.find((m) => m.type === type)
    if (got !== undefined) return Promise.resolve(got)
    if (this.#exitInfo !== undefined)
      return Promise.reject(
        new Error(
          `worker exited (${this.#exitInfo.code ?? this.#exitInfo.signal}) without sending ${type}: ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`,
        ),
      )
    return new Promise((resolve, reject) => this.#waiters.push({ type, resolve, reject }))
  }

  send(m: WorkerMessage): void {
    this.child.send(m)
  }

  kill(): void {
    this.child.kill('SIGKILL')
  }
}

export interface CliRun {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  readonly inv: number
  readonly cmp: number
  /** Wall time in ms. */
  readonly ms: number
}

/**
 * Runs the command line in a child process (`build/test/helpers/cli-bin.js`, the test build of
 * `bin/catalog-debug.js`) with a clean environment. `killAfterMs` SIGKILLs it after that long.
 */
export function runCliProcess(
  args: readonly string[],
  opts: { killAfterMs?: number; onSpawn?: (c: ChildProcess) => void } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const inv = Number(process.hrtime.bigint())
    const started = performance.now()
    const child = spawn(process.execPath, [CLI_BIN, ...args], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] })
    opts.onSpawn?.(child)
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = opts.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer)
      resolve({ code, signal, stdout, stderr, inv, cmp: Number(process.hrtime.bigint()), ms: performance.now() - started })
    })
  })
}
