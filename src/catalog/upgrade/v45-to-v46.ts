/**
 * v45 → v46: `ClusterValue.linked_object_id` (field 2) is removed, so every cluster row is
 * rewritten without it, managed or not. A row that does not carry the field re-encodes to the
 * same bytes and needs no update.
 */

import { cloneJson, type MigrationAction, type MigrationStep } from './migration.js'

export const v45ToV46: MigrationStep = {
  from: 45,
  to: 46,
  description: 'drop linked_object_id from every cluster',
  reads: ['Cluster'],
  migrate(rows) {
    const actions: MigrationAction[] = []
    for (const row of rows) {
      if (row.kind !== 'Cluster' || typeof row.value !== 'object' || row.value === null || Array.isArray(row.value)) continue
      const after = cloneJson(row.value)
      delete after.linked_object_id
      actions.push({ action: 'update', before: row, after })
    }
    return actions
  },
}
