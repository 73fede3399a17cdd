/**
 * Creating a new catalog: a writable open of an empty catalog, which writes the initial contents
 * (`initialize.ts`) at persist timestamps 0 (empty append), 1 (epoch 2) and 2 (the contents).
 */

import { AlreadyExistsError } from '../errors.js'
import type { ShardStore } from '../store/shard-store.js'
import type { DurableCatalog } from './durable-catalog.js'
import type { CreationSession } from './creation-session.js'
import { openUnopenedCatalog, type UnopenedCatalog } from './unopened-catalog.js'

export interface InitializeOptions {
  /** Size of the `quickstart` cluster and its replica `r1`. */
  readonly replicaSize: string
  /** A user role created with every privilege on the default objects. */
  readonly bootstrapRole?: string | null
  /** The `deploy_generation` to record (default 0). */
  readonly deployGeneration?: bigint | null
  /** Boot time in epoch ms (recorded as the timeline timestamp and on the audit events). */
  readonly now?: () => bigint | number
  /** Build version checked against the upgrade shard (default: the store's). */
  readonly buildVersion?: string
  /** Refuse (AlreadyExistsError) a catalog initialised between the check and the write, instead of opening it. */
  readonly initializeOnly?: boolean
  /**
   * The creation this call is an attempt of (`init` under a retry policy): see `CreationSession`.
   * An append an earlier attempt left pending is re-sent first; if it landed, the catalog it
   * completed is returned (read-only: its epoch is the one that attempt took) instead of refused.
   */
  readonly session?: CreationSession
}

/**
 * Initialises the catalog of `organizationId` and returns it opened writable. Throws
 * {@link AlreadyExistsError} when the catalog is already initialised (open it instead).
 */
export async function initializeCatalog(store: ShardStore, organizationId: string, opts: InitializeOptions): Promise<DurableCatalog> {
  const unopened = await openUnopenedCatalog(
    store,
    organizationId,
    opts.buildVersion === undefined ? {} : { buildVersion: opts.buildVersion },
  )
  const done = await resendPending(store, unopened, opts.session)
  if (done !== undefined) return done
  if (await unopened.isInitialized()) {
    throw new AlreadyExistsError(`the catalog of organization ${organizationId} is already initialized`, {
      hint: 'open it instead; a new catalog needs an empty store or another organization id',
    })
  }
  return unopened.openWritable({
    replicaSize: opts.replicaSize,
    bootstrapRole: opts.bootstrapRole ?? null,
    deployGeneration: opts.deployGeneration ?? null,
    ...(opts.now === undefined ? {} : { now: opts.now }),
    ...(opts.initializeOnly === undefined ? {} : { initializeOnly: opts.initializeOnly }),
    ...(opts.session === undefined ? {} : { session: opts.session }),
  })
}

/**
 * Re-sends the append an earlier attempt left pending (same updates, uppers and token). Landed
 * then or now: the attempt's remaining step (the upgrade shard's stamp) is done and the catalog
 * returned. Never landed and the shard moved on: `undefined`, the caller starts afresh.
 */
async function resendPending(
  store: ShardStore,
  unopened: UnopenedCatalog,
  session: CreationSession | undefined,
): Promise<DurableCatalog | undefined> {
  const p = session?.takePending(unopened.shards.catalog)
  if (session === undefined || p === undefined || p.updates === undefined) return undefined
  const updates = p.updates
  const identity = { writerId: session.writerId, idempotencyToken: p.token }
  const res = await session.appending(p, () => store.compareAndAppend(p.shardId, updates, p.expectedUpper, p.newUpper, identity))
  if (!res.ok) return undefined
  const { stampUpgradeShard } = await import('./open-catalog.js')
  await stampUpgradeShard(store, unopened.shards)
  return unopened.openReadOnly()
}
