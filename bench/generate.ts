/**
 * The benchmark data generator: a seeded, realistic synthetic catalog of a given number of
 * updates, written straight into a SQLite store (batched compare-and-appends through the store
 * API, with the catalog's lookup extractor) and as a fixture (`docs/fixture-format.md`).
 *
 * Results are cached under `bench/data/` (git-ignored), keyed by variant, size, seed and the
 * generator's version: `catalog-v47-100000-s1-g1.db`, `.ndjson`, and a `.json` manifest written
 * last, whose presence means the pair is complete.
 *
 * Run directly: `node build/bench/generate.js --size 10000 [--seed 1] [--variant v47|v42] [--force]`.
 */

import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { once } from 'node:events'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { compareCodePoints } from '../src/json/lossless-json.js'
import { encodeEpochRow, rowLookup } from '../src/catalog/codec/row-codec.js'
import { catalogShardDiagnostics, catalogShardIds, upgradeShardDiagnostics } from '../src/catalog/catalog-shards.js'
import { downgradeCriticalSince, openCriticalSince } from '../src/catalog/critical-since.js'
import { encodeHeader, encodeUpdate } from '../src/catalog/fixture/format.js'
import { openCatalog } from '../src/catalog/open-catalog.js'
import { openStore } from '../src/store/open-store.js'
import type { ShardStore, Update } from '../src/store/shard-store.js'
import { repoRoot } from './build-snapshot.js'
import { CatalogSimulation, initialRowsFor, type CatalogVariant, type SimUpdate } from './catalog-simulation.js'
import { Rng } from './rng.js'

/** Bumped whenever the generator's output changes, so stale cached catalogs are not reused. */
export const GENERATOR_VERSION = 6

/** The repository root (this file runs from `build/bench/`, or from a copy of `build/`). */
export const REPO_ROOT = repoRoot()
/** Where generated catalogs are cached: `BENCH_DATA`, else `bench/data/` (git-ignored). */
export const DEFAULT_DATA_DIR = process.env.BENCH_DATA || join(REPO_ROOT, 'bench', 'data')

/** The fixed boot time of every generated catalog (epoch ms), so output is reproducible. */
const START_MS = 1_700_000_000_000n

export interface GenerateOptions {
  /** Number of shard updates to generate (the catalog stops at the transaction that reaches it). */
  readonly size: number
  readonly seed?: number
  readonly variant?: CatalogVariant
  /** Where stores, fixtures and manifests go. Default `bench/data/`. */
  readonly dataDir?: string
  /** Also write the NDJSON fixture. Default true. */
  readonly fixture?: boolean
  /** Updates per compare-and-append. Default 5000. */
  readonly batchUpdates?: number
  /** Regenerate even when a cached copy exists. */
  readonly force?: boolean
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void
}

/** The manifest of a generated catalog. */
export interface GeneratedCatalog {
  readonly storePath: string
  readonly fixturePath: string | null
  readonly organizationId: string
  readonly variant: CatalogVariant
  readonly seed: number
  readonly requestedSize: number
  /** Updates actually stored in the catalog shard. */
  readonly updates: number
  readonly retractions: number
  readonly transactions: number
  readonly upper: string
  /** Updates per kind (`AuditLog`, `Item`, …, `Epoch`). */
  readonly byKind: Readonly<Record<string, number>>
  readonly storeBytes: number
  readonly fixtureBytes: number | null
  readonly generateMs: number
  readonly generatorVersion: number
  /** True when this call found the catalog in the cache. */
  readonly cached: boolean
}

/** The cache key of a generated catalog (file names without extension). */
export function catalogName(variant: CatalogVariant, size: number, seed: number): string {
  return `catalog-${variant}-${size}-s${seed}-g${GENERATOR_VERSION}`
}

/** The organization id a seed's catalogs live under. */
export function organizationIdFor(seed: number): string {
  return new Rng(seed ^ 0x5eed5eed).uuid()
}

/** Generates (or finds in the cache) a catalog; see the module comment. */
export async function generateCatalog(opts: GenerateOptions): Promise<GeneratedCatalog> {
  const seed = opts.seed ?? 1
  const variant = opts.variant ?? 'v47'
  const dataDir = opts.dataDir ?? DEFAULT_DATA_DIR
  const wantFixture = opts.fixture ?? true
  const base = join(dataDir, catalogName(variant, opts.size, seed))
  const manifestPath = `${base}.json`
  if (opts.force !== true && existsSync(manifestPath) && existsSync(`${base}.db`)) {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as GeneratedCatalog
    if (!wantFixture || (m.fixturePath !== null && existsSync(m.fixturePath))) return { ...m, cached: true }
  }
  mkdirSync(dataDir, { recursive: true })
  const started = performance.now()
  const tmpStore = `${base}.db.tmp-${process.pid}`
  const tmpFixture = `${base}.ndjson.tmp-${process.pid}`
  for (const p of [tmpStore, `${tmpStore}-wal`, `${tmpStore}-shm`, tmpFixture]) rmSync(p, { force: true })

  const organizationId = organizationIdFor(seed)
  const shards = catalogShardIds(organizationId)
  const initial = await freshCatalogRows(organizationId)
  const initialRows = initialRowsFor(variant, initial.rows)

  const store = await openStore(tmpStore, { create: true, lookup: rowLookup, busyTimeoutMs: 30_000 })
  const body = wantFixture ? createWriteStream(`${tmpFixture}.body`, { encoding: 'utf8' }) : undefined
  const byKind: Record<string, number> = {}
  let updates = 0
  let retractions = 0
  let transactions = 0
  let upper = 0n
  try {
    await store.openShard(shards.catalog, catalogShardDiagnostics(organizationId))
    await openCriticalSince(store, shards.catalog)
    await store.openShard(shards.upgrade, upgradeShardDiagnostics(organizationId))
    await appendOrFail(store, shards.upgrade, [], 0n, 1n)
    await appendOrFail(store, shards.catalog, [], 0n, 1n)
    upper = 1n

    let batch: SimUpdate[] = []
    let batchLower = upper
    const flush = async (nextUpper: bigint): Promise<void> => {
      await appendOrFail(store, shards.catalog, batch, batchLower, nextUpper)
      if (body !== undefined) await writeFixtureLines(body, batch)
      for (const u of batch) {
        const kind = rowLookup(u.data)[0] ?? 'unknown'
        byKind[kind] = (byKind[kind] ?? 0) + 1
        if (u.diff < 0n) retractions++
      }
      updates += batch.length
      batch = []
      batchLower = nextUpper
      upper = nextUpper
    }

    // As a writable open would: the first epoch at ts 1, the initial contents at ts 2.
    batch.push({ data: encodeEpochRow(initial.epoch), ts: 1n, diff: 1n })
    for (const data of initialRows) batch.push({ data, ts: 2n, diff: 1n })
    const sim = new CatalogSimulation(seed, variant, initialRows, 2n, initial.epoch, START_MS, opts.size)
    const batchSize = opts.batchUpdates ?? 5000
    let total = batch.length
    let lastLog = performance.now()
    while (total < opts.size) {
      const txn = sim.nextTransaction()
      transactions++
      batch.push(...txn)
      total += txn.length
      if (batch.length >= batchSize) await flush(sim.nextTs)
      if (opts.log !== undefined && performance.now() - lastLog > 5000) {
        opts.log(`generate ${variant} ${opts.size}: ${total} updates`)
        lastLog = performance.now()
      }
    }
    if (batch.length > 0) await flush(sim.nextTs)
    await downgradeCriticalSince(store, shards.catalog, upper)
    const problems = await store.integrityCheck()
    if (problems.length > 0) throw new Error(`generated store fails its integrity check: ${problems.join('; ')}`)
  } finally {
    await store.close()
    if (body !== undefined) {
      body.end()
      await once(body, 'close')
    }
  }

  let fixturePath: string | null = null
  let fixtureBytes: number | null = null
  if (wantFixture) {
    fixturePath = `${base}.ndjson`
    const header = encodeHeader({
      organizationId,
      since: upper - 1n,
      upper,
      catalogVersion: variant === 'v42' ? 42n : 47n,
      consolidated: false,
    })
    await concatenate(tmpFixture, `${header}\n`, `${tmpFixture}.body`)
    renameSync(tmpFixture, fixturePath)
    fixtureBytes = statSync(fixturePath).size
  }
  // Closing the last connection checkpointed the WAL into the file; a WAL with content left
  // over would mean the copy below is not the whole store.
  if (existsSync(`${tmpStore}-wal`) && statSync(`${tmpStore}-wal`).size > 0) throw new Error(`${tmpStore}-wal was not checkpointed`)
  rmSync(`${tmpStore}-wal`, { force: true })
  rmSync(`${tmpStore}-shm`, { force: true })
  renameSync(tmpStore, `${base}.db`)
  const manifest: GeneratedCatalog = {
    storePath: `${base}.db`,
    fixturePath,
    organizationId,
    variant,
    seed,
    requestedSize: opts.size,
    updates,
    retractions,
    transactions,
    upper: upper.toString(),
    byKind,
    storeBytes: statSync(`${base}.db`).size,
    fixtureBytes,
    generateMs: Math.round(performance.now() - started),
    generatorVersion: GENERATOR_VERSION,
    cached: false,
  }
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`)
  return manifest
}

/** The rows of a freshly initialised catalog, from the catalog core itself (in an in-memory store). */
async function freshCatalogRows(organizationId: string): Promise<{ rows: string[]; epoch: bigint }> {
  const mem = await openStore(':memory:', { create: true, lookup: rowLookup })
  try {
    const shards = catalogShardIds(organizationId)
    const catalog = await openCatalog(mem, shards, 'writable', { replicaSize: '25cc', now: () => START_MS })
    const upper = await mem.fetchRecentUpper(shards.catalog)
    if (upper === null) throw new Error('fresh catalog shard is finished')
    const rows = (await mem.snapshot(shards.catalog, upper - 1n)).flatMap((u) => Array.from({ length: Number(u.diff) }, () => u.data))
    return { rows, epoch: catalog.epoch }
  } finally {
    await mem.close()
  }
}

async function appendOrFail(store: ShardStore, shard: string, updates: readonly Update[], expected: bigint, next: bigint): Promise<void> {
  const res = await store.compareAndAppend(shard, updates, expected, next)
  if (!res.ok)
    throw new Error(
      `generator lost a compare-and-append at ${expected} (current ${String(res.current)}): is another process writing ${shard}?`,
    )
}

/** Fixture lines of one batch, in fixture order (ts, then data bytes, then diff). */
async function writeFixtureLines(out: NodeJS.WritableStream, batch: readonly SimUpdate[]): Promise<void> {
  const sorted = [...batch].sort((a, b) =>
    a.ts !== b.ts ? (a.ts < b.ts ? -1 : 1) : compareCodePoints(a.data, b.data) || (a.diff < b.diff ? -1 : a.diff > b.diff ? 1 : 0),
  )
  let chunk = ''
  for (const u of sorted) chunk += `${encodeUpdate(u)}\n`
  if (!out.write(chunk)) await once(out, 'drain')
}

async function concatenate(target: string, head: string, bodyPath: string): Promise<void> {
  const out = createWriteStream(target)
  out.write(head)
  const input = createReadStream(bodyPath)
  input.pipe(out)
  await once(out, 'close')
  rmSync(bodyPath, { force: true })
}

function parseArgs(argv: readonly string[]): GenerateOptions {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`)
    return i >= 0 ? argv[i + 1] : undefined
  }
  const size = Number(get('size') ?? '10000')
  if (!Number.isInteger(size) || size <= 0) throw new Error('--size must be a positive integer')
  const variant = (get('variant') ?? 'v47') as CatalogVariant
  if (variant !== 'v47' && variant !== 'v42' && variant !== 'audit') throw new Error('--variant must be v47, v42 or audit')
  return {
    size,
    seed: Number(get('seed') ?? '1'),
    variant,
    force: argv.includes('--force'),
    fixture: !argv.includes('--no-fixture'),
    log: (l) => process.stderr.write(`${l}\n`),
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const m = await generateCatalog(parseArgs(process.argv.slice(2)))
  process.stdout.write(`${JSON.stringify(m, null, 2)}\n`)
}
