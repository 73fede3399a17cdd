/**
 * v46 → v47: managed clusters gain `optimizer_feature_overrides` (empty). Unmanaged clusters and
 * rows without a config are left alone.
 */

import { isJsonObject } from '../../json/lossless-json.js'
import { cloneJson, type MigrationAction, type MigrationStep } from './migration.js'

export const v46ToV47: MigrationStep = {
  from: 46,
  to: 47,
  description: 'add empty optimizer_feature_overrides to managed clusters',
  reads: ['Cluster'],
  migrate(rows) {
    const actions: MigrationAction[] = []
    for (const row of rows) {
      if (row.kind !== 'Cluster' || !isJsonObject(row.value)) continue
      const config = row.value.config
      const variant = isJsonObject(config) ? config.variant : undefined
      if (!isJsonObject(variant) || !isJsonObject(variant.Managed)) continue
      const after = cloneJson(row.value)
      const managed = (after.config as { variant: { Managed: Record<string, unknown> } }).variant.Managed
      managed.optimizer_feature_overrides = []
      actions.push({ action: 'update', before: row, after })
    }
    return actions
  },
}
