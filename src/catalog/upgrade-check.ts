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
import { decodeRow, type DecodeRowResult } from './codec/row-codec.js'
import { isLargeKind, KIND_COLLECTIONS, type CollectionName } from './kinds/collections.js'
import { KIND_NAMES, type CollectionKindName, type KindName } from './kinds/kind-names.js'
import { CACHED_KINDS } from './catalog-state.js'
import { CATALOG_VERSION, USER_VERSION_KEY } from './constants.js'
import { checkItemSqlEntries, itemSqlEntry, type ItemSqlEntry } from './sql/index.js'
import { decodeCommittedEntry, type DurableCatalog } from './durable-catalog.js'
import type { UnopenedCatalog } from './unopened-catalog.js'
import type { UpgradeStepReport } from './upgrade/run-upgrades.js'
import type { StoredRow } from './catalog-reads.js'
import type { CommittedEntry } from './table-transaction.js'
import { replayStreamedKind } from './streamed-kind.js'
import { decodeVersions } from './trace.js'
import { flatString } from './flat-string.js'

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

/**
 * The cached kinds the check reads from the store key by key instead of holding them in the
 * savepoint (`streamed-kind.ts`): the items, most of a catalog's memory. The migrations never read
 * them, and the check reads each once.
 */
const STREAMED_KINDS: readonly CollectionKindName[] = ['Item']

/** Counts checked rows for the progress callback (a no-op without one). */
interface Counter {
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

function strictDecode(text: string): DecodeRowResult {
  return decodeRow(text, CATALOG_VERSION, { strict: true })
}

function decodeMessage(r: DecodeRowResult, text: string, collection: CollectionName): string | undefined {
  return r.ok ? undefined : `${collection}: row does not decode at catalog version ${CATALOG_VERSION}: ${r.reason}: ${text.slice(0, 300)}`
}

function decodeError(text: string, collection: CollectionName): string | undefined {
  return decodeMessage(strictDecode(text), text, collection)
}

/** What {@link smallKindProblems} finds. */
interface SmallKindProblems {
  /** Per small kind, its rows that would not decode at version 47 after the migrations. */
  readonly undecodable: Map<KindName, string[]>
  /** The inconsistencies of the migrated contents (anomalies, a wrong `user_version`). */
  readonly inconsistent: string[]
  /** Items whose SQL would not plan (see {@link itemSqlProblems}). */
  readonly itemSql: string[]
}

/**
 * The problems of the small collections, from the migrated in-memory state and, for the kinds it
 * leaves out ({@link STREAMED_KINDS}: never migrated), from the store key by key: rows that would
 * not decode at version 47, inconsistencies, and the items' SQL. (The large collections are
 * streamed from the store: they are never migrated.)
 *
 * Each item's SQL entry is taken from the decode of its latest row, so that an item is decoded
 * once: a row that decodes strictly at the catalog's version is exactly what the collection's rows
 * yield for it; any other row is decoded as they decode it.
 */
async function smallKindProblems(unopened: UnopenedCatalog, catalog: DurableCatalog, counter: Counter): Promise<SmallKindProblems> {
  const undecodable = new Map<KindName, string[]>()
  const streamedAnomalies = new Map<CollectionKindName, readonly string[]>()
  const items: ItemSqlEntry[] = []
  const versions = decodeVersions(catalog.userVersion ?? null)
  // The texts many items repeat (schema ids, database and schema names, cluster ids), held once.
  const texts = new Map<string, string>()
  const intern = (text: string): string => {
    let held = texts.get(text)
    if (held === undefined) {
      held = flatString(text)
      texts.set(held, held)
    }
    return held
  }
  for (const kind of KIND_NAMES) {
    if (kind === 'Epoch' || isLargeKind(kind)) continue
    const collection = KIND_COLLECTIONS[kind as CollectionKindName]
    /** Checks one key's rows: each must decode; an item's latest row gives its SQL entry. */
    const check = (e: CommittedEntry, errors: string[], entries: ItemSqlEntry[]): void => {
      const rows = e.rows
      for (let i = 0; i < rows.length; i++) {
        const text = (rows[i] as StoredRow).data
        const r = strictDecode(text)
        const error = decodeMessage(r, text, collection)
        if (error !== undefined) errors.push(error)
        if (kind === 'Item' && i === rows.length - 1) {
          const own =
            r.ok && versions[0] === CATALOG_VERSION && r.row.kind === 'Item' ? r.row : decodeCommittedEntry(e, collection, versions)
          const entry = itemSqlEntry({ key: own.key, value: own.value }, intern)
          if (entry !== undefined) entries.push(entry)
        }
      }
    }
    if (catalog.state.holds(kind as CollectionKindName)) {
      const errors: string[] = []
      for (const e of catalog.state.table(kind as CollectionKindName).values()) {
        check(e, errors, items)
        counter.tick(e.rows.length)
      }
      undecodable.set(kind, errors)
      continue
    }
    const streamed = await replayStreamedKind(
      unopened.store,
      unopened.shards.catalog,
      catalog.upper - 1n,
      kind as CollectionKindName,
      () => {
        const errors: string[] = []
        const entries: ItemSqlEntry[] = []
        return { key: (k) => check(k.entry, errors, entries), finish: () => ({ errors, entries }) }
      },
      (n) => counter.tick(n),
    )
    undecodable.set(kind, streamed.result.errors)
    for (const entry of streamed.result.entries) items.push(entry)
    streamedAnomalies.set(kind as CollectionKindName, streamed.anomalies)
  }
  const inconsistent = catalog.state.anomaliesWith(streamedAnomalies).map((a) => `inconsistent catalog: ${a}`)
  if (catalog.state.config(USER_VERSION_KEY) !== BigInt(CATALOG_VERSION))
    inconsistent.push(`user_version is not ${CATALOG_VERSION} after the migrations`)
  return { undecodable, inconsistent, itemSql: itemSqlProblems(catalog, items) }
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

/**
 * Items whose `create_sql` Materialize could not parse or resolve when it opens the catalog, from
 * the items' entries (taken by {@link smallKindProblems}: only what the checks need of each item).
 */
function itemSqlProblems(catalog: DurableCatalog, items: readonly ItemSqlEntry[]): string[] {
  return checkItemSqlEntries(items, {
    schemas: catalog.collection('schema'),
    databases: catalog.collection('database'),
    clusters: catalog.collection('compute_instance'),
    comments: catalog.collectionRows('comments'),
  }).map((f) => f.message)
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
