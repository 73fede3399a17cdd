/**
 * The upgrade check (Materialize's `catalog-debug upgrade-check`): would this build be able to
 * open the catalog? It opens a savepoint, which runs every migration in memory and commits
 * nothing, so it can run next to a live environment without disturbing it.
 *
 * Beyond the migrations it checks what a booting environment would trip over: every current row
 * must decode at catalog version 47, every item's `create_sql` must parse as the CREATE statement
 * of that item and name only items that exist (`sql/check-items.ts`), and, given a replica-size map, every managed cluster and
 * replica must use a known size. Problems are values in the report (`ok: false`, `errors`); only
 * store failures (busy, corrupt, version gate) are thrown.
 */

import { CatalogDebugError, IncompatibleCatalogVersionError, NotWritableError, ValidationError } from '../errors.js'
import { compareCodePoints, isJsonObject, type JsonObject, type JsonValue } from '../json/lossless-json.js'
import { humanVersion } from '../store/build-version.js'
import { isLargeKind, KIND_COLLECTIONS, type CollectionName } from './kinds/collections.js'
import { KIND_NAMES, type CollectionKindName, type KindName } from './kinds/kind-names.js'
import { CACHED_KINDS } from './catalog-state.js'
import { CATALOG_VERSION } from './constants.js'
import type { DurableCatalog } from './durable-catalog.js'
import { decodeMessage, smallKindProblems, STREAMED_KINDS, strictDecode } from './upgrade-check-kinds.js'
import type { UnopenedCatalog } from './unopened-catalog.js'
import type { UpgradeStepReport } from './upgrade/run-upgrades.js'

export interface UpgradeCheckOptions {
  /**
   * The replica sizes the target environment offers: a JSON object, size name → allocation (the
   * `CLUSTER_REPLICA_SIZES` map). When given, every managed cluster and replica must use one of
   * them; anything but an object is reported as an error.
   */
  readonly replicaSizes?: JsonValue
  /** Wall clock (epoch ms) for `durationMs`; default `Date.now`. */
  readonly now?: () => number
  /**
   * When the clock started, by `now` (default: when the call begins). Materialize starts it before
   * the store is opened, so a caller that opens the store first passes the earlier time.
   */
  readonly startedAt?: number
  /**
   * Called as rows are checked after the migrations (every current row decoded at version 47,
   * then every item's SQL), with the rows checked so far and their total.
   */
  readonly progress?: (done: number, total: number) => void
}

export interface UpgradeReport {
  readonly ok: boolean
  /** The catalog version found (`user_version`, exact: any u64), or `null` when the catalog has none. */
  readonly fromVersion: bigint | null
  readonly toVersion: typeof CATALOG_VERSION
  /** The build that ran the check. */
  readonly buildVersion: string
  /** The build as Materialize's line names it (`v0.91.0 (1a2b3c4d5)`, see `humanVersion`). */
  readonly humanVersion: string
  /**
   * The version of the last build that opened the catalog as the adapter does: the
   * `catalog_content_version` setting, or `new` when absent (Materialize's `last_seen_version`).
   */
  readonly lastSeenVersion: string
  /** What each migration step would change. */
  readonly steps: UpgradeStepReport[]
  readonly errors: string[]
  readonly durationMs: number
}

/** Errors an upgrade check reports as findings rather than throws. */
function isFinding(err: unknown): err is Error {
  return (
    err instanceof IncompatibleCatalogVersionError ||
    err instanceof NotWritableError ||
    err instanceof ValidationError ||
    (err instanceof CatalogDebugError && (err.code === 'invalid-catalog-data' || err.code === 'already-exists'))
  )
}

/** Runs the upgrade check on `unopened`. Writes nothing. */
export async function upgradeCheck(unopened: UnopenedCatalog, opts: UpgradeCheckOptions = {}): Promise<UpgradeReport> {
  const now = opts.now ?? Date.now
  const started = opts.startedAt ?? now()
  const errors: string[] = []
  let steps: UpgradeStepReport[] = []
  const found = await unopened.userVersion()
  const lastSeenVersion = (await unopened.catalogContentVersion()) ?? 'new'
  let catalog: DurableCatalog | undefined
  try {
    catalog = await unopened.openSavepoint({ leaveOut: STREAMED_KINDS })
    steps = [...catalog.upgradeSteps]
  } catch (err) {
    if (!isFinding(err)) throw err
    errors.push(err.message)
  }
  if (catalog !== undefined) {
    const counter = await progressCounter(unopened, catalog, opts.progress)
    const asOf = catalog.upper === 0n ? undefined : catalog.upper - 1n
    // Everything that needs the savepoint's contents first; then the catalog is let go, so that
    // the large collections are decoded (hundreds of thousands of rows, each parsed and dropped)
    // beside nothing else held: a runtime sizes its heap by what is alive.
    const small = await smallKindProblems(unopened, catalog, counter)
    const sizes =
      opts.replicaSizes === undefined
        ? []
        : isJsonObject(opts.replicaSizes)
          ? unknownSizes(catalog, opts.replicaSizes)
          : ['the replica size map must be a JSON object (size name → allocation)']
    catalog = undefined
    for (const kind of KIND_NAMES) {
      if (kind === 'Epoch') continue
      if (isLargeKind(kind)) {
        if (asOf !== undefined)
          errors.push(...(await undecodableLargeRows(unopened, asOf, kind, KIND_COLLECTIONS[kind as CollectionKindName], counter)))
      } else errors.push(...(small.undecodable.get(kind) ?? []))
    }
    errors.push(...small.inconsistent, ...small.itemSql, ...sizes)
  }
  return {
    ok: errors.length === 0,
    fromVersion: found,
    toVersion: CATALOG_VERSION,
    buildVersion: unopened.buildVersion,
    humanVersion: humanVersion(unopened.buildVersion),
    lastSeenVersion,
    steps,
    errors,
    durationMs: Math.max(0, now() - started),
  }
}

/** Counts checked rows for the progress callback (a no-op without one). */
export interface Counter {
  tick(n?: number): void
}

/**
 * The counter of the rows {@link smallKindProblems} and {@link undecodableLargeRows} go through: the
 * rows the savepoint holds, the updates of the streamed kinds and of the large collections at the
 * read point.
 */
async function progressCounter(
  unopened: UnopenedCatalog,
  catalog: DurableCatalog,
  progress: ((done: number, total: number) => void) | undefined,
): Promise<Counter> {
  if (progress === undefined) return { tick: () => {} }
  let total = 0
  for (const kind of CACHED_KINDS) {
    if (catalog.state.holds(kind)) for (const e of catalog.state.table(kind).values()) total += e.rows.length
  }
  if (catalog.upper > 0n) {
    for (const kind of KIND_NAMES) {
      if (isLargeKind(kind) || (STREAMED_KINDS as readonly string[]).includes(kind))
        total += Number((await unopened.store.countUpdates(unopened.shards.catalog, catalog.upper - 1n, { a: kind })).total)
    }
  }
  let done = 0
  return {
    tick: (n = 1) => {
      done += n
      progress(done, total)
    },
  }
}

function decodeError(text: string, collection: CollectionName): string | undefined {
  return decodeMessage(strictDecode(text), text, collection)
}

/**
 * The current rows of a large kind that do not decode, in stored-text order (the order of its
 * consolidated snapshot), from its updates streamed in bounded memory: every update is decoded,
 * and only the texts that fail are kept, with the sum of their diffs; those summing above zero
 * are current. The consolidated snapshot would hold the whole audit log at once.
 */
async function undecodableLargeRows(
  unopened: UnopenedCatalog,
  asOf: bigint,
  kind: KindName,
  collection: CollectionName,
  counter: Counter,
): Promise<string[]> {
  const failing = new Map<string, { error: string; diff: bigint }>()
  for await (const batch of unopened.store.snapshotBatches(unopened.shards.catalog, asOf, { where: { a: kind } })) {
    for (const u of batch) {
      const known = failing.get(u.data)
      if (known !== undefined) known.diff += u.diff
      else {
        const error = decodeError(u.data, collection)
        if (error !== undefined) failing.set(u.data, { error, diff: u.diff })
      }
    }
    counter.tick(batch.length)
  }
  return [...failing]
    .filter(([, f]) => f.diff > 0n)
    .sort(([a], [b]) => compareCodePoints(a, b))
    .map(([, f]) => f.error)
}

/** Managed clusters and replicas whose size the target environment does not offer. */
function unknownSizes(catalog: DurableCatalog, sizes: JsonObject): string[] {
  const errors: string[] = []
  const known = (size: JsonValue | undefined): boolean => typeof size === 'string' && Object.hasOwn(sizes, size)
  for (const { key, value } of catalog.collection('compute_instance')) {
    const managed = pick(value, 'config', 'variant', 'Managed')
    if (managed !== undefined && !known(pick(managed, 'size'))) {
      errors.push(`cluster ${describe(key, value)} uses unknown replica size ${JSON.stringify(pick(managed, 'size') ?? null)}`)
    }
  }
  for (const { key, value } of catalog.collection('compute_replicas')) {
    const managed = pick(value, 'config', 'location', 'Managed')
    if (managed !== undefined && !known(pick(managed, 'size'))) {
      errors.push(`replica ${describe(key, value)} uses unknown replica size ${JSON.stringify(pick(managed, 'size') ?? null)}`)
    }
  }
  return errors
}

function pick(v: JsonValue | undefined, ...path: string[]): JsonValue | undefined {
  let cur = v
  for (const p of path) {
    if (!isJsonObject(cur)) return undefined
    cur = cur[p]
  }
  return cur ?? undefined
}

function describe(key: JsonValue, value: JsonValue): string {
  const name = pick(value, 'name')
  const id = pick(key, 'id', 'value')
  const idText = isJsonObject(id) ? Object.entries(id).map(([k, n]) => `${k === 'System' ? 's' : 'u'}${String(n)}`)[0] : '?'
  return `${idText} '${typeof name === 'string' ? name : '?'}'`
}
