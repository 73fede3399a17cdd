/**
 * The fixed catalog the command-line tests run against: a fresh SQLite store in a temporary
 * directory, initialised by the catalog core with a fixed organization id and the clock at 0, so
 * every run produces the same rows, timestamps and ids.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { initializeCatalog } from '../../src/catalog/index.js'
import { rowLookup } from '../../src/catalog/codec/row-codec.js'
import { openStore } from '../../src/store/open-store.js'
import type { ShardStore } from '../../src/store/shard-store.js'

export const FIXTURE_ORG = '00000000-0000-4000-8000-000000000001'
export const OTHER_ORG = '00000000-0000-4000-8000-000000000002'
export const FIXTURE_HOST = 'fixture-host'

export interface FixtureDir {
  readonly dir: string
  /** Path of the store file. */
  readonly store: string
  cleanup(): void
}

export function tempDir(prefix = 'catalog-debug-cli-'): FixtureDir {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, store: join(dir, 'catalog.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Opens (creating) a store at `path` with the fixture's fixed clock and host name. */
export function openFixtureStore(path: string): Promise<ShardStore> {
  return openStore(path, { create: true, now: () => 0n, hostname: FIXTURE_HOST, lookup: rowLookup })
}

/** Creates the store with one initialised catalog per organization id given (default: the fixture's). */
export async function createFixtureCatalog(path: string, orgs: readonly string[] = [FIXTURE_ORG]): Promise<void> {
  const store = await openFixtureStore(path)
  try {
    for (const org of orgs) await initializeCatalog(store, org, { replicaSize: '1', now: () => 0 })
  } finally {
    await store.close()
  }
}
