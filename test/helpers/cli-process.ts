/**
 * Runs the command line in a child process (real pipes, real exit codes): `node
 * build/test/helpers/cli-bin.js …`. The child gets a clean environment: PATH plus what the
 * caller passes (no CATALOG_DEBUG_*, NO_COLOR or FORCE_COLOR leaking in from the machine).
 */
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const CLI_BIN = join(dirname(fileURLToPath(import.meta.url)), 'cli-bin.js')

export interface ProcessResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

export interface SpawnOptions {
  readonly env?: Record<string, string>
  /** Written to stdin, which is then closed; undefined leaves stdin an empty closed pipe. */
  readonly input?: string
  readonly cwd?: string
}

export function spawnCli(args: readonly string[], opts: SpawnOptions = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], {
      cwd: opts.cwd,
      env: { PATH: process.env.PATH ?? '', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
    child.stdin.end(opts.input ?? '')
  })
}
