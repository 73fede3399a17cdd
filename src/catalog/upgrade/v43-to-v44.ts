/**
 * v43 → v44: no data changes. Upstream: "No-op migration for updating a comment in the proto
 * file". Only `user_version` moves.
 */

import type { MigrationStep } from './migration.js'

export const v43ToV44: MigrationStep = {
  from: 43,
  to: 44,
  description: 'no-op (a comment in the schema changed)',
  reads: [],
  migrate: () => [],
}
