/**
 * Generates the shipped fixtures (see `docs/fixture-format.md`, "Shipped fixtures"):
 *
 *   fixtures/fresh-v47.ndjson                         a fresh catalog, as `catalog-debug init` creates it
 *   fixtures/demo-v47.ndjson                          the populated demo catalog, full history
 *   fixtures/demo-v42.ndjson … demo-v46.ndjson        the same catalog as versions 42..46 stored it
 *   fixtures/golden/upgrade/demo-vNN-upgraded.ndjson  each demo after a writable open upgraded it to 47
 *
 * Everything is built in in-memory stores through the catalog core, with a fixed organization id
 * and a fixed clock, so the output is byte-for-byte reproducible. Every fixture must verify clean.
 *
 *   npx tsc -p tsconfig.test.json && node build/scripts/make-fixtures.js [--check]
 *
 * `--check` writes nothing and exits 1 when a committed file differs (what the regression test does).
 */

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { rowLookup } from '../src/catalog/codec/row-lookup.js'
import {
  exportCatalog,
  fixtureLines,
  linesToText,
  loadFixtureLinesIntoMemory,
  readCatalogShard,
  textLines,
} from '../src/catalog/fixture/index.js'
import { openUnopenedCatalog } from '../src/catalog/index.js'
import { verifyStore } from '../src/catalog/verify/index.js'
import { openStore } from '../src/store/open-store.js'
import type { ShardStore } from '../src/store/shard-store.js'
import { buildDemoCatalog, buildFreshCatalog } from './fixtures/demo-catalog.js'
import { fixtureAtVersion } from './fixtures/older-versions.js'

/** The organization of every shipped fixture. */
export const FIXTURE_ORGANIZATION_ID = '3f5c8a2e-6b1d-4e7a-9c0f-1d2e3f4a5b6c'
/** The build version the in-memory stores run as (stamps nothing a fixture records). */
const BUILD_VERSION = '0.91.0'
/** Catalog versions shipped as demo fixtures, oldest first. */
export const DEMO_VERSIONS = [42, 43, 44, 45, 46, 47] as const

/** The clock of the in-memory stores: fixed start, one millisecond per call. */
function fixedClock(): () => bigint {
  let t = 1_709_251_200_000n
  return () => t++
}

async function memoryStore(): Promise<ShardStore> {
  return openStore(':memory:', { create: true, lookup: rowLookup, buildVersion: BUILD_VERSION, now: fixedClock() })
}

async function exportText(store: ShardStore, org: string): Promise<string> {
  return linesToText(exportCatalog(store, org))
}

async function assertVerifies(name: string, store: ShardStore, org: string): Promise<void> {
  const report = await verifyStore(store, org)
  if (report.findings.length > 0) {
    throw new Error(`${name} does not verify clean:\n${report.findings.map((f) => `  ${f.severity} ${f.check}: ${f.message}`).join('\n')}`)
  }
}

/** Loads a fixture, opens it writable (which upgrades it to 47) and exports the result. */
export async function upgradedText(fixture: string, name = 'fixture'): Promise<string> {
  const { store, organizationId } = await loadFixtureLinesIntoMemory(textLines(fixture), {
    name,
    buildVersion: BUILD_VERSION,
    now: fixedClock(),
  })
  try {
    const unopened = await openUnopenedCatalog(store, organizationId)
    await unopened.openWritable({ now: () => 1_709_251_200_000n })
    await assertVerifies(`${name} upgraded`, store, organizationId)
    return await exportText(store, organizationId)
  } finally {
    await store.close()
  }
}

/** Every shipped fixture: path relative to the repository root → contents. */
export async function generateFixtures(): Promise<Map<string, string>> {
  const org = FIXTURE_ORGANIZATION_ID
  const out = new Map<string, string>()

  const fresh = await memoryStore()
  try {
    await buildFreshCatalog(fresh, org)
    await assertVerifies('fresh-v47', fresh, org)
    out.set('fixtures/fresh-v47.ndjson', await exportText(fresh, org))
  } finally {
    await fresh.close()
  }

  const demo = await memoryStore()
  try {
    await buildDemoCatalog(demo, org)
    await assertVerifies('demo-v47', demo, org)
    const { header, updates } = await readCatalogShard(demo, org)
    for (const version of DEMO_VERSIONS) {
      const at = fixtureAtVersion(header, updates, version)
      const text = await linesToText(fixtureLines(at.header, at.updates))
      const name = `demo-v${version}.ndjson`
      const loaded = await loadFixtureLinesIntoMemory(textLines(text), { name, buildVersion: BUILD_VERSION, now: fixedClock() })
      try {
        await assertVerifies(name, loaded.store, org)
      } finally {
        await loaded.store.close()
      }
      out.set(`fixtures/${name}`, text)
      out.set(`fixtures/golden/upgrade/demo-v${version}-upgraded.ndjson`, await upgradedText(text, name))
    }
  } finally {
    await demo.close()
  }
  return out
}

/** The repository root: the nearest directory above this file holding package.json. */
export function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir)
    if (up === dir) throw new Error('package.json not found above scripts/')
    dir = up
  }
  return dir
}

/** Files under `root` whose contents differ from `files` (missing ones included). */
export function staleFixtures(root: string, files: ReadonlyMap<string, string>): string[] {
  const stale: string[] = []
  for (const [path, text] of files) {
    const full = join(root, path)
    if (!existsSync(full) || readFileSync(full, 'utf8') !== text) stale.push(path)
  }
  return stale
}

async function main(argv: readonly string[]): Promise<number> {
  const check = argv.includes('--check')
  const root = repositoryRoot()
  const files = await generateFixtures()
  const stale = staleFixtures(root, files)
  if (check) {
    for (const path of stale) process.stderr.write(`out of date: ${path}\n`)
    return stale.length === 0 ? 0 : 1
  }
  for (const [path, text] of files) {
    const full = join(root, path)
    mkdirSync(dirname(full), { recursive: true })
    writeFileSync(full, text)
    process.stderr.write(`${stale.includes(path) ? 'wrote    ' : 'unchanged'} ${path} (${textLines(text).length} lines)\n`)
  }
  return 0
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code
    },
    (err: unknown) => {
      process.stderr.write(`make-fixtures: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
      process.exitCode = 1
    },
  )
}
