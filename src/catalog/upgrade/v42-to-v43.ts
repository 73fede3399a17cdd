/**
 * v42 → v43: no data changes. Upstream: "No-op migration for removing storage objects" (the
 * storage-controller messages left the proto file; no stored kind used them). Only `user_version`
 * moves.
 */

import type { MigrationStep } from './migration.js'

export const v42ToV43: MigrationStep = {
  from: 42,
  to: 43,
  description: 'no-op (storage objects removed from the schema)',
  reads: [],
  migrate: () => [],
}
