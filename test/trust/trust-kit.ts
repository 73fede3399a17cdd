/**
 * Shared pieces of the "never make things worse" tests (issue 12) and of the reliability suite's
 * rows for them: running the real binary, hashing a store with its sidecar files, a one-line error
 * check, and a second OS user to run the command line as.
 */
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { CLI_BIN, spawnCli, type ProcessResult } from '../helpers/cli-process.js'
import { sha256File } from '../helpers/tmp.js'

export const ORG = '00000000-0000-4000-8000-000000000001'
export const ORG2 = '00000000-0000-4000-8000-000000000002'

/** Runs the CLI in a child process with `--yes`-free defaults. */
export function cli(
  args: readonly string[],
  opts: { env?: Record<string, string>; input?: string; cwd?: string } = {},
): Promise<ProcessResult> {
  return spawnCli(args, opts)
}

/** Runs `init` for ORG (or `org`) on `store`; asserts exit 0. */
export async function initStore(store: string, org = ORG): Promise<void> {
  const r = await cli(['--store', store, '--organization-id', org, 'init'])
  assert.equal(r.code, 0, r.stderr)
}

/**
 * The store file, its write-ahead log and rollback journal, hashed. (Not the `-shm` index: a
 * reader that owns the store may create it, empty of data, to read a WAL database.)
 */
export function storeHash(store: string): string {
  return ['', '-wal', '-journal'].map((s) => sha256File(store + s)).join(' ')
}

/** Asserts the run failed with exactly one `catalog-debug: error:` line (plus an optional hint) and `code`. */
export function assertOneLineError(r: ProcessResult, code: number, pattern?: RegExp): void {
  assert.equal(r.code, code, `exit ${r.code}, stderr: ${r.stderr}`)
  const lines = r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('hint:'))
  assert.equal(lines.length, 1, r.stderr)
  assert.match(lines[0] as string, /^catalog-debug: error: /)
  if (pattern !== undefined) assert.match(r.stderr, pattern)
}

/** The second OS user the several-users checks run the command line as (created when needed). */
export const READER = 'catdebug_reader'

/**
 * Why a second OS user cannot be used here (undefined when it can): it takes root (`useradd`,
 * `runuser`).
 */
export function secondUserUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (to create a second user with useradd and run as it with runuser)'
  for (const tool of ['useradd', 'runuser']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `needs ${tool}`
  }
  return undefined
}

/** The uid of the second user, created if needed. */
export function readerUid(): number {
  const id = spawnSync('id', ['-u', READER], { encoding: 'utf8' })
  if (id.status !== 0) execFileSync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', READER])
  return Number(execFileSync('id', ['-u', READER], { encoding: 'utf8' }).trim())
}

/** Runs the command line as the second user. */
export function asReader(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('runuser', ['-u', READER, '--', process.execPath, CLI_BIN, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}
