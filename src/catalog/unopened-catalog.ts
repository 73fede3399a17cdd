/**
 * The unopened catalog (Materialize's `UnopenedPersistCatalogState`): what can be read before the
 * catalog is opened — whether it is initialised, its epoch, its configs, traces — and the doors
 * to the open modes and the debug mode.
 *
 * Creating one checks the catalog-upgrade shard's version and the catalog shard's stamp (see
 * `persist-version-gate.ts`) and nothing else: unlike Materialize, which registers handles on the catalog shard (stamping it with
 * its version), the unopened catalog never writes. Every read happens at the shard's current read
 * point, through the lookup index.
 */

import { UninitializedError } from '../errors.js'
import type { ShardStore } from '../store/shard-store.js'
import type { CollectionName } from './kinds/collections.js'
import { catalogShardIds, type CatalogShardIds } from './catalog-shards.js'
import { atReadPoint, readConfigs, readEpoch, readSetting, type ReadPoint } from './catalog-reads.js'
import { CATALOG_CONTENT_VERSION_KEY, DEPLOY_GENERATION_KEY, USER_VERSION_KEY } from './constants.js'
// The open modes and the debug mode load when first used: reads (epoch, configs, traces) never
// need them, and they are most of the catalog's code (start-up of `epoch`, `dump`).
import type { KeyReadResult } from './key-read.js'
import type { JsonValue } from '../json/lossless-json.js'
import type { DebugCatalog } from './debug-catalog.js'
import type { DurableCatalog } from './durable-catalog.js'
import type { OpenOptions } from './open-catalog.js'
import { checkCatalogShardVersion, checkUpgradeShardVersion } from './persist-version-gate.js'
// Traces load with the first trace: `epoch` and the open modes never need them.
import type { DisplayTraceEntry, TraceEntry, TraceOptions, TraceStats } from './trace.js'
import type { ConsolidatedDisplay, ConsolidatedDisplayOptions } from './trace-consolidated.js'

type TraceModule = typeof import('./trace.js')

export interface UnopenedCatalogOptions {
  /**
   * The build version checked against the catalog-upgrade shard (default: the store's build
   * version, which is also what the store stamps on every write).
   */
  readonly buildVersion?: string
  /**
   * Read the catalog as it was at this time (time travel): every read of this catalog (configs,
   * epoch, traces, {@link UnopenedCatalog.get}) happens at `asOf` instead of the current point.
   * Any time from the catalog shard's since up to its upper − 1; others are a `NotFoundError`
   * (`as-of-before-since`, `as-of-not-readable`) that says which times are readable.
   */
  readonly asOf?: bigint
}

/**
 * Prepares to open the catalog of `organizationId` in `store`. Throws
 * {@link IncompatibleVersionError} (`incompatible-persist-version`) when this build is more than
 * one minor version ahead of the build that last opened the catalog writable. Never writes.
 */
export async function openUnopenedCatalog(
  store: ShardStore,
  organizationId: string,
  opts: UnopenedCatalogOptions = {},
): Promise<UnopenedCatalog> {
  const shards = catalogShardIds(organizationId)
  const buildVersion = opts.buildVersion ?? store.buildVersion
  const upgradeVersion = await checkUpgradeShardVersion(store, shards.upgrade, buildVersion)
  await checkCatalogShardVersion(store, shards.catalog, buildVersion)
  return new UnopenedCatalog(store, shards, buildVersion, upgradeVersion, opts.asOf)
}

/** The configs and version of the catalog at one read point (`null` point: never written). */
interface ConfigView {
  readonly asOf: bigint | null
  readonly configs: ReadonlyMap<string, bigint>
}

export class UnopenedCatalog {
  readonly store: ShardStore
  readonly shards: CatalogShardIds
  /** The build version this catalog was checked with. */
  readonly buildVersion: string
  /** The version stamped on the catalog-upgrade shard (`null`: the shard does not exist yet). */
  readonly upgradeShardVersion: string | null
  /** The time every read happens at (`undefined`: the current point of each read). */
  readonly asOf: bigint | undefined

  /** @internal Use {@link openUnopenedCatalog}. */
  constructor(store: ShardStore, shards: CatalogShardIds, buildVersion: string, upgradeShardVersion: string | null, asOf?: bigint) {
    this.store = store
    this.shards = shards
    this.buildVersion = buildVersion
    this.upgradeShardVersion = upgradeShardVersion
    this.asOf = asOf
  }

  /** Runs `read` at this catalog's read point (current, or the as-of). */
  #at<T>(read: (point: ReadPoint | null) => Promise<T>): Promise<T> {
    return atReadPoint(this.store, this.shards.catalog, this.asOf, read)
  }

  get organizationId(): string {
    return this.shards.organizationId
  }

  async #configs(): Promise<ConfigView> {
    return this.#at(async (point) => {
      if (point === null) return { asOf: null, configs: new Map() }
      const entries = await readConfigs(this.store, this.shards.catalog, point.asOf)
      return { asOf: point.asOf, configs: new Map([...entries].map(([k, e]) => [k, e.value])) }
    })
  }

  /** Whether the catalog has been initialised (its `config` collection is not empty). */
  async isInitialized(): Promise<boolean> {
    return (await this.#configs()).configs.size > 0
  }

  /** Every config (`user_version`, `deploy_generation`, …). Empty when uninitialised. */
  async configs(): Promise<Map<string, bigint>> {
    return new Map((await this.#configs()).configs)
  }

  /** The current epoch. Throws {@link UninitializedError} when the catalog has none. */
  async epoch(): Promise<bigint> {
    const found = await this.#at(async (point) =>
      point === null
        ? null
        : {
            epoch: (await readEpoch(this.store, this.shards.catalog, point.asOf)).epoch,
            configs: (await readConfigs(this.store, this.shards.catalog, point.asOf)).size,
          },
    )
    if (found === null || found.epoch === null) throw new UninitializedError()
    // An epoch without contents: a creation (init, import, copy) stopped between its writes.
    if (found.configs === 0) throw incompleteCatalog(this.organizationId)
    return found.epoch
  }

  /** The catalog version (`user_version`), or `null` when uninitialised. */
  async userVersion(): Promise<bigint | null> {
    return (await this.#configs()).configs.get(USER_VERSION_KEY) ?? null
  }

  /** The deployment generation (`deploy_generation`), or `null` when absent. */
  async deployGeneration(): Promise<bigint | null> {
    return (await this.#configs()).configs.get(DEPLOY_GENERATION_KEY) ?? null
  }

  /** The `catalog_content_version` setting the adapter writes, or `null` when absent. */
  async catalogContentVersion(): Promise<string | null> {
    return this.#at(async (point) =>
      point === null ? null : readSetting(this.store, this.shards.catalog, point.asOf, CATALOG_CONTENT_VERSION_KEY),
    )
  }

  /**
   * The current value(s) of one key at this catalog's read point (none: absent; several: the key is
   * ambiguous). Throws {@link UninitializedError}, and `UsageError`/`ValidationError` for a key that
   * does not fit the collection. Never writes.
   */
  async get(collection: CollectionName, key: string | JsonValue): Promise<KeyReadResult> {
    const { readKey } = await import('./key-read.js')
    return this.#at((point) => readKey(this.store, this.shards.catalog, point, collection, key))
  }

  /** The read point and decode versions of a trace; throws {@link UninitializedError} when uninitialised. */
  async #traceStart(): Promise<{ asOf: bigint; versions: number[]; t: TraceModule }> {
    const view = await this.#configs()
    if (view.asOf === null) throw new UninitializedError()
    if (view.configs.size === 0) {
      const { epoch } = await readEpoch(this.store, this.shards.catalog, view.asOf)
      throw epoch === null ? new UninitializedError() : incompleteCatalog(this.organizationId)
    }
    const t = await import('./trace.js')
    return { asOf: view.asOf, versions: t.decodeVersions(view.configs.get(USER_VERSION_KEY) ?? null), t }
  }

  /**
   * One collection's trace (never `Epoch`): every stored update at its timestamp (with
   * `atReadPoint`, at the read point), streamed, or with `consolidated` the current contents sorted by key (with `unordered` too, in no order and in less memory). Throws {@link UninitializedError}
   * when the catalog is uninitialised. See `trace.ts`.
   */
  async *trace(collection: CollectionName, opts: TraceOptions): AsyncGenerator<TraceEntry> {
    const { asOf, versions, t } = await this.#traceStart()
    if (opts.consolidated && opts.unordered === true)
      yield* t.traceCurrentUnordered(this.store, this.shards.catalog, asOf, collection, versions, opts.onRead)
    else if (opts.consolidated) yield* await t.traceConsolidated(this.store, this.shards.catalog, asOf, collection, versions)
    else if (opts.atReadPoint !== true) yield* t.traceUnconsolidated(this.store, this.shards.catalog, asOf, collection, versions)
    else for await (const e of t.traceUnconsolidated(this.store, this.shards.catalog, asOf, collection, versions)) yield { ...e, ts: asOf }
  }

  /**
   * {@link trace} for printing: the same entries in the same order, in batches, keys and values as
   * their display JSON. Rows stored canonically that decode exactly skip building decoded values.
   */
  async *traceDisplay(collection: CollectionName, opts: TraceOptions): AsyncGenerator<DisplayTraceEntry[]> {
    const { asOf, versions, t } = await this.#traceStart()
    if (!opts.consolidated) {
      yield* t.traceDisplayUnconsolidated(this.store, this.shards.catalog, asOf, collection, versions)
      return
    }
    const c = await import('./trace-consolidated.js')
    yield* (await c.traceDisplayConsolidated(this.store, this.shards.catalog, asOf, collection, versions)).batches()
  }

  /**
   * The consolidated {@link traceDisplay} of one collection with its statistics, from one read
   * (the statistics of {@link traceStats} come from the same rows).
   */
  async traceDisplayConsolidated(collection: CollectionName, opts: ConsolidatedDisplayOptions = {}): Promise<ConsolidatedDisplay> {
    const { asOf, versions } = await this.#traceStart()
    const c = await import('./trace-consolidated.js')
    return c.traceDisplayConsolidated(this.store, this.shards.catalog, asOf, collection, versions, opts)
  }

  /** Counts of one collection's trace, without reading it out when unconsolidated. */
  async traceStats(collection: CollectionName, opts: TraceOptions): Promise<TraceStats> {
    const { asOf, t } = await this.#traceStart()
    return t.traceStats(this.store, this.shards.catalog, asOf, collection, opts)
  }

  /** {@link traceStats} of several collections at one read point (unconsolidated: in one pass when that is cheaper). */
  async traceStatsOf(collections: readonly CollectionName[], opts: TraceOptions): Promise<Map<CollectionName, TraceStats>> {
    const { asOf, t } = await this.#traceStart()
    return t.traceStatsMany(this.store, this.shards.catalog, asOf, collections, opts)
  }

  /** Updates that belong to no collection (not JSON, no or an unknown kind). Scans the shard. */
  async *traceUnattributed(): AsyncGenerator<TraceEntry> {
    const { asOf, t } = await this.#traceStart()
    yield* t.traceUnattributed(this.store, this.shards.catalog, asOf)
  }

  /** Opens read-only: never writes, runs no migrations. Refuses an uninitialised catalog. */
  openReadOnly(opts: Pick<OpenOptions, 'deployGeneration'> = {}): Promise<DurableCatalog> {
    return import('./open-catalog.js').then((m) => m.openCatalog(this.store, this.shards, 'readonly', opts))
  }

  /** Opens as a savepoint: migrations and commits in memory only; writes nothing. Refuses an uninitialised catalog. */
  openSavepoint(opts: OpenOptions = {}): Promise<DurableCatalog> {
    return import('./open-catalog.js').then((m) => m.openCatalog(this.store, this.shards, 'savepoint', opts))
  }

  /** Opens writable: bumps the epoch (fencing earlier writers), migrates or initialises, stamps the upgrade shard. */
  openWritable(opts: OpenOptions = {}): Promise<DurableCatalog> {
    return import('./open-catalog.js').then((m) => m.openCatalog(this.store, this.shards, 'writable', opts))
  }

  /** The debug mode (edit, delete, history). Opening it writes nothing. */
  async openDebug(): Promise<DebugCatalog> {
    const { DebugCatalog } = await import('./debug-catalog.js')
    return new DebugCatalog(this.store, this.shards)
  }
}

/** A catalog with an epoch but no contents: its creation did not finish. "Not found" (exit 3). */
function incompleteCatalog(organizationId: string): UninitializedError {
  return new UninitializedError(
    `the catalog of organization ${organizationId} is incomplete: its creation did not finish; run the same init (or import) again to complete it`,
  )
}
