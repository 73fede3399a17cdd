/**
 * A plan as a fixture patch: the catalog's full history with the plan's write appended at the
 * plan's upper, as the fixture the catalog would export once the plan is applied. `catalog-debug
 * diff CATALOG REPAIRED.ndjson` then shows exactly the rows the plan changes, and a fixture
 * `--store` (which is never written) gets its repaired copy this way.
 */

import { UpperMismatchError } from '../../errors.js'
import { canonicalize } from '../../json/lossless-json.js'
import type { ShardStore } from '../../store/shard-store.js'
import { readCatalogShard, userVersionOf } from '../fixture/export.js'
import { consolidateUpdates } from '../fixture/format.js'
import { fixtureLines } from '../fixture/writer.js'
import type { RepairPlan } from './plan.js'

/**
 * The fixture lines of the catalog in `store` with `plan` applied. Throws (transient)
 * {@link UpperMismatchError} if the catalog is no longer at the plan's upper. Never writes.
 */
export async function repairedFixtureLines(store: ShardStore, plan: RepairPlan): Promise<AsyncGenerator<string>> {
  const { header, updates } = await readCatalogShard(store, plan.organizationId)
  if (header.upper !== plan.upper) {
    throw new UpperMismatchError(
      `the catalog moved from upper ${plan.upper} to ${header.upper ?? '[]'} while the repaired fixture was made`,
    )
  }
  if (plan.updates.length === 0) return fixtureLines(header, updates)
  // Fixtures hold canonical rows: a non-canonical row was exported canonically, so its
  // retraction is too (and cancels it, as the store's retraction cancels the stored bytes).
  const patched = consolidateUpdates([
    ...updates,
    ...plan.updates.map((u) => ({ ts: plan.upper, diff: u.diff, data: canonicalize(u.data) })),
  ])
  return fixtureLines({ ...header, since: plan.upper, upper: plan.upper + 1n, catalogVersion: userVersionOf(patched) }, patched)
}
