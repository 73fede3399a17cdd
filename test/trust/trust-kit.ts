/**
 * Shared pieces of the "never make things worse" tests (issue 12): running the real binary,
 * hashing a store with its sidecar files, and a one-line error check.
 */
import assert from 'node:assert/strict'
import { spawnCli, type ProcessResult } from '../helpers/cli-process.js'
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
