/**
 * The catalog's guard against fencing a running environment out of persist by version.
 *
 * Every state change of a shard stamps it with the writer's build version, and persist refuses
 * to touch state stamped more than one minor version ahead of its own build. So a reader from the
 * future that merely registers on the catalog shard could lock the running (older) environment
 * out. The catalog-upgrade shard records the version of the last *writable* open, i.e. the build
 * actually running the catalog; before touching anything, a catalog refuses to go on when this
 * build is more than one minor version ahead of it. The upgrade shard is read with `inspect`,
 * which never writes. An absent upgrade shard (a new environment) is not checked.
 */

import { IncompatibleVersionError, NotFoundError } from '../errors.js'
import type { ShardStore } from '../store/shard-store.js'
import { checkDataVersion, isDataVersionCompatible } from '../store/version-gate.js'

/**
 * Throws {@link IncompatibleVersionError} (code `incompatible-persist-version`) when `buildVersion`
 * is more than one minor version ahead of the version stamped on the upgrade shard. Returns the
 * stamped version, or `null` when the upgrade shard does not exist.
 */
export async function checkUpgradeShardVersion(store: ShardStore, upgradeShard: string, buildVersion: string): Promise<string | null> {
  let found: string
  try {
    found = (await store.inspect(upgradeShard)).applier_version
  } catch (err) {
    if (err instanceof NotFoundError) return null
    throw err
  }
  // The arguments are swapped on purpose: persist's gate asks whether *data* is too far ahead of
  // *code*; here the question is whether this build is too far ahead of the recorded version.
  if (!isDataVersionCompatible(found, buildVersion)) {
    throw new IncompatibleVersionError(
      `incompatible persist version ${found}, current: ${buildVersion}, make sure to upgrade the catalog one version at a time`,
      {
        code: 'incompatible-persist-version',
        details: { foundVersion: found, currentVersion: buildVersion },
        hint: `use a build of version ${found} (or at most one minor version newer) with this catalog`,
      },
    )
  }
  return found
}

/**
 * Persist's decode-time check on the catalog shard itself: state stamped more than one minor
 * version ahead of this build cannot be read safely (its rows may use a format this build does not
 * know), so persist halts rather than read it. Reads here never register a handle (they would not
 * stamp the shard), so the check has to be explicit. Reads the stamp with `inspect`, which never
 * writes; an absent shard passes. Throws {@link IncompatibleVersionError}
 * ("{build} received persist state from the future {stored}").
 */
export async function checkCatalogShardVersion(store: ShardStore, catalogShard: string, buildVersion: string): Promise<void> {
  let stored: string
  try {
    stored = (await store.inspect(catalogShard)).applier_version
  } catch (err) {
    if (err instanceof NotFoundError) return
    throw err
  }
  checkDataVersion(buildVersion, stored)
}
