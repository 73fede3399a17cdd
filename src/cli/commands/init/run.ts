import { randomUUID } from 'node:crypto'
import type { CommandRunner } from '../../command.js'
import { EXIT_OK } from '../../exit-codes.js'
import { resolveOutputFormat } from '../../options.js'
import { displayLocation, withStore } from '../../store-access.js'
import { AlreadyExistsError, FenceError, isTransient, RefusedError, UsageError } from '../../../errors.js'
import { CreationSession, initializeCatalog } from '../../../catalog/index.js'
import { renderInit } from '../../../render/init.js'
import type { InitArgs } from './index.js'

/**
 * Creates the store if needed (exclusively, see `withStoreAt`) and writes a fresh catalog for the
 * organization. A catalog that exists already is refused (exit 4) however racing inits interleave:
 * the open only initialises (it never bumps the epoch of an initialised catalog), and losing a race
 * to another writer is retried, which then finds the catalog and refuses. A catalog whose creation
 * did not finish is completed. An attempt whose append committed but whose connection dropped
 * before the reply is recognised as done by the next attempt (see `CreationSession`).
 */
export const runInit: CommandRunner<InitArgs> = async (args, ctx) => {
  const organizationId = ctx.options.organizationId ?? randomUUID()
  const deployGeneration = parseU64('--deploy-generation', args.deployGeneration)
  const bootTime = parseU64('--now', args.now)
  const replicaSize = args.replicaSize ?? '1'
  // One creation across every retry attempt: an append whose reply was lost is recognised as ours.
  const session = new CreationSession()
  const epoch = await ctx.retrying(
    'initializing the catalog',
    () =>
      withStore(ctx, 'create', async (store) => {
        const catalog = await initializeCatalog(store, organizationId, {
          replicaSize,
          now: bootTime === undefined ? ctx.now : () => bootTime,
          ...(args.bootstrapRole === undefined ? {} : { bootstrapRole: args.bootstrapRole }),
          ...(deployGeneration === undefined ? {} : { deployGeneration }),
          initializeOnly: true,
          session,
        }).catch((err: unknown) => {
          // An existing catalog is not overwritten: a refusal (exit 4), like import and copy.
          if (err instanceof AlreadyExistsError)
            throw new RefusedError(err.message, {
              code: 'catalog-exists',
              ...(err.hint === undefined ? {} : { hint: err.hint }),
              cause: err,
            })
          throw err
        })
        return catalog.epoch
      }),
    { retryable: (err) => isTransient(err) || err instanceof FenceError },
  )
  const store = displayLocation(ctx.options.store as string)
  await ctx.out.data(renderInit({ organizationId, store, replicaSize, epoch }, resolveOutputFormat(args.output)))
  ctx.out.message(`initialized a catalog in ${store}`)
  return EXIT_OK
}

function parseU64(flag: string, text: string | undefined): bigint | undefined {
  if (text === undefined) return undefined
  if (!/^\d+$/.test(text) || BigInt(text) >= 2n ** 64n) throw new UsageError(`${flag} must be an integer from 0 to 2^64-1, got "${text}"`)
  return BigInt(text)
}
