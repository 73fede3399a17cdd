/**
 * The operator tests' command line: the CLI in a child process against one store (a SQLite file
 * or a PostgreSQL URL), holding the demo catalog (`fixtures/demo-v47.ndjson`) imported into it.
 */
import assert from 'node:assert/strict'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type ProcessResult, type SpawnOptions, spawnCli } from './cli-process.js'

/** The demo fixture in the source tree (tests run from build/test/helpers). */
export const DEMO_FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures', 'demo-v47.ndjson')

/** Runs `catalog-debug --store STORE ARGS…`. */
export function cliOn(store: string, args: readonly string[], opts: SpawnOptions = {}): Promise<ProcessResult> {
  return spawnCli(['--store', store, ...args], opts)
}

/** Runs it and asserts the exit code (showing stderr when it differs); returns stdout. */
export async function okOn(store: string, args: readonly string[], code = 0, opts: SpawnOptions = {}): Promise<string> {
  const r = await cliOn(store, args, opts)
  assert.equal(r.code, code, `catalog-debug ${args.join(' ')} exited ${r.code}: ${r.stderr}`)
  return r.stdout
}

/** Imports the demo catalog into a new store. */
export async function importDemo(store: string, extra: readonly string[] = []): Promise<void> {
  await okOn(store, ['import', DEMO_FIXTURE, ...extra])
}
