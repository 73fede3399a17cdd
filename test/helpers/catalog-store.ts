/**
 * Temporary SQLite stores for catalog tests: a fresh file per test, the catalog's lookup
 * extractor, a fixed build version, and a hash of the file for "nothing was written" checks.
 */

import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { rowLookup } from '../../src/catalog/codec/row-codec.js'
import { openStore } from '../../src/store/open-store.js'
import type { ShardStore } from '../../src/store/shard-store.js'

/** The organization every catalog test uses unless it needs two. */
export const TEST_ORG = '00000000-0000-4000-8000-000000000001'
/** The build version test stores stamp (the package's version line). */
export const TEST_BUILD = '0.91.0'

export interface TempStore {
  readonly dir: string
  readonly path: string
  /** Opens (creating on first use) a store on the file. */
  open(opts?: { readOnly?: boolean; buildVersion?: string }): Promise<ShardStore>
  /** sha256 of the database file and its WAL (hex), to prove a code path wrote nothing. */
  hash(): string
  cleanup(): void
}

export function tempStore(name = 'catalog'): TempStore {
  const dir = mkdtempSync(join(tmpdir(), `catalog-test-${name}-`))
  const path = join(dir, 'catalog.db')
  return {
    dir,
    path,
    open: (opts = {}) =>
      openStore(path, {
        create: opts.readOnly !== true,
        readOnly: opts.readOnly === true,
        lookup: rowLookup,
        buildVersion: opts.buildVersion ?? TEST_BUILD,
      }),
    hash: () => {
      const h = createHash('sha256')
      for (const f of [path, `${path}-wal`]) if (existsSync(f)) h.update(readFileSync(f))
      return h.digest('hex')
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** A fixed clock for initial contents (epoch ms). */
export const FIXED_NOW = (): bigint => 1_709_251_200_000n

/** Collects an async iterable. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}
