/**
 * Applying a repair plan: exactly its updates, in ONE compare-and-append at the upper the plan was
 * made at (so the repair and its epoch bump commit together or not at all), as the plan's own
 * writer with the plan's idempotency token (so a commit whose outcome was lost, re-sent by a
 * retry or by running `--apply` again, is recognised as done instead of failing or repeating).
 *
 * A plan is input: before anything is written it is checked to be what a plan made by `repair`
 * is (its updates are the sum of its repairs, every row it inserts decodes exactly with the
 * catalog's version), and, while the catalog is still at the plan's upper, to fit it (every row
 * it touches ends up held once or not at all). A catalog that moved on is refused: the plan was
 * reviewed against a state that no longer exists.
 */

import { NotFoundError, RefusedError, UsageError } from '../../errors.js'
import type { LookupFilter, ShardStore } from '../../store/shard-store.js'
import { rowLookup } from '../codec/row-codec.js'
import { catalogShardIds } from '../catalog-shards.js'
import { holdCriticalSinceAfterCommit, openCriticalSince } from '../critical-since.js'
import { consolidatePlanned, type RepairPlan } from './plan.js'
import { isWritableRow } from './repair-context.js'

export interface ApplyResult {
  /** Whether the plan's write is in the catalog (now, or from an earlier run of the same plan). */
  readonly committed: boolean
  /** The write had already committed (a retry, or the same plan applied twice): nothing new written. */
  readonly alreadyApplied: boolean
  /** The catalog's upper after the write. */
  readonly upper: bigint
  readonly updates: number
}

/** Checks that the plan is internally consistent; throws {@link UsageError} naming what is wrong. */
export function checkPlan(plan: RepairPlan): void {
  if (catalogShardIds(plan.organizationId).catalog !== plan.shardId) {
    throw new UsageError(`invalid repair plan: shard ${plan.shardId} is not the catalog shard of organization ${plan.organizationId}`)
  }
  const sum = consolidatePlanned(plan.repairs.flatMap((r) => r.updates))
  const same =
    sum.length === plan.updates.length && sum.every((u, i) => u.data === plan.updates[i]?.data && u.diff === plan.updates[i]?.diff)
  if (!same) throw new UsageError('invalid repair plan: its updates are not the sum of its repairs (was the file edited?)')
  for (const u of plan.updates) {
    if (u.diff > 0n && !isWritableRow(u.data, plan.catalogVersion)) {
      throw new UsageError(
        `invalid repair plan: a row it inserts does not decode as a catalog v${plan.catalogVersion} row: ${u.data.slice(0, 200)}`,
      )
    }
  }
}

function changed(plan: RepairPlan, upper: bigint | null): RefusedError {
  return new RefusedError(
    `the catalog changed since the plan was made (plan made at upper ${plan.upper}, the catalog is at upper ${upper ?? '[]'}); nothing was written`,
    { code: 'catalog-changed', hint: 'make and review a new plan with `catalog-debug repair`' },
  )
}

/**
 * How many times the catalog holds each row the plan touches (and every other row of their keys),
 * read through the lookup index so that the check costs the same on any catalog size; a row with
 * no lookup values (not a JSON row) makes it read the whole state.
 */
async function heldCounts(store: ShardStore, shard: string, asOf: bigint, texts: readonly string[]): Promise<Map<string, bigint>> {
  const filters = new Map<string, LookupFilter>()
  let whole = false
  for (const t of texts) {
    const [a, b] = rowLookup(t)
    if (a === null) whole = true
    else filters.set(`${a}\u0000${b ?? ''}`, b === null ? { a } : { a, b })
  }
  const held = new Map<string, bigint>()
  const reads = whole ? [undefined] : [...filters.values()]
  for (const where of reads) {
    for (const r of await store.snapshot(shard, asOf, where === undefined ? {} : { where })) {
      held.set(r.data, (held.get(r.data) ?? 0n) + r.diff)
    }
  }
  return held
}

/**
 * Applies `plan` to `store`. Throws {@link RefusedError} (`catalog-changed`) when the catalog is no
 * longer at the plan's upper, or the plan does not fit it; {@link UsageError} for an inconsistent
 * plan; transient store errors as they come (a retry re-sends the same append).
 */
export async function applyRepairPlan(store: ShardStore, plan: RepairPlan): Promise<ApplyResult> {
  checkPlan(plan)
  if (plan.updates.length === 0) return { committed: false, alreadyApplied: false, upper: plan.upper, updates: 0 }
  const shard = plan.shardId
  const upper = await store.fetchRecentUpper(shard)
  if (upper === 0n) {
    throw new NotFoundError(`no catalog for organization ${plan.organizationId} in this store (the plan was made for it)`, {
      hint: 'apply the plan to the store it was made from',
    })
  }
  if (upper === plan.upper) {
    const held = await heldCounts(
      store,
      shard,
      plan.upper - 1n,
      plan.updates.map((u) => u.data),
    )
    for (const u of plan.updates) {
      const after = (held.get(u.data) ?? 0n) + u.diff
      if (after !== 0n && after !== 1n) {
        throw new RefusedError(`the plan does not fit this catalog: it would leave a row held ${after} times: ${u.data.slice(0, 200)}`, {
          code: 'plan-mismatch',
          hint: 'was the plan made for another catalog? make a new one with `catalog-debug repair`',
        })
      }
    }
  }
  const ts = plan.upper
  const res = await store.compareAndAppend(
    shard,
    plan.updates.map((u) => ({ data: u.data, diff: u.diff, ts })),
    ts,
    ts + 1n,
    { writerId: plan.writerId, idempotencyToken: plan.idempotencyToken },
  )
  if (!res.ok) throw changed(plan, res.current)
  // Bookkeeping after the commit, as every catalog write does; never turns the commit into a failure.
  try {
    await openCriticalSince(store, shard)
    await holdCriticalSinceAfterCommit(store, shard, ts + 1n)
  } catch {
    // The repair stands; the since hold catches up with the next catalog write.
  }
  return { committed: true, alreadyApplied: res.alreadyCommitted, upper: ts + 1n, updates: plan.updates.length }
}
