/**
 * v44 → v45: the "system configuration synced at least once" flag moves from the system
 * configuration variable `config_has_synced_once` (`"on"`/`"off"`) to the config
 * `system_config_synced` (1/0), which can be read before the system configuration is.
 *
 * The old row is deleted (retracted with its stored text); the config is inserted as 1 when the
 * old value was exactly `"on"`, else 0 — and as 0 when there was no old row at all.
 */

import { SYSTEM_CONFIG_SYNCED_KEY } from '../constants.js'
import type { MigrationAction, MigrationStep } from './migration.js'

/** The system configuration variable the flag used to live in. */
export const LEGACY_SYNCED_ONCE_NAME = 'config_has_synced_once'

export const v44ToV45: MigrationStep = {
  from: 44,
  to: 45,
  description: `move system configuration ${LEGACY_SYNCED_ONCE_NAME} to config ${SYSTEM_CONFIG_SYNCED_KEY}`,
  reads: ['ServerConfiguration'],
  inserts: ['Config'],
  migrate(rows) {
    const actions: MigrationAction[] = []
    let synced = 0n
    for (const row of rows) {
      if (row.kind !== 'ServerConfiguration' || row.key.name !== LEGACY_SYNCED_ONCE_NAME) continue
      actions.push({ action: 'delete', row })
      const value = (row.value as { value?: unknown } | null)?.value
      if (value === 'on') synced = 1n
    }
    actions.push({ action: 'insert', row: { kind: 'Config', key: { key: SYSTEM_CONFIG_SYNCED_KEY }, value: { value: synced } } })
    return actions
  },
}
