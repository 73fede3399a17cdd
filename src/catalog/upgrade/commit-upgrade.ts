/**
 * `upgrade`'s write: a writable open, which fences the running writers, commits each migration
 * step as its own append and stamps the upgrade shard (`open-catalog.ts`). The open holds only the
 * kinds the migrations read or write (`MIGRATION_KINDS`): the rest of the catalog, its items
 * above all, is never loaded, so the write takes the same memory whatever the catalog's size.
 */

import { CACHED_KINDS } from '../catalog-state.js'
import type { UnopenedCatalog } from '../unopened-catalog.js'
import type { UpgradeStepReport } from './run-upgrades.js'

/** What the write did: the epoch it took and the steps it committed (none when already current). */
export interface CommittedUpgrade {
  readonly epoch: bigint
  readonly steps: readonly UpgradeStepReport[]
}

/** Migrates `unopened` to this build's catalog version and commits it. */
export async function commitUpgrade(unopened: UnopenedCatalog): Promise<CommittedUpgrade> {
  const catalog = await unopened.openWritable({ leaveOut: CACHED_KINDS })
  return { epoch: catalog.epoch, steps: catalog.upgradeSteps }
}
