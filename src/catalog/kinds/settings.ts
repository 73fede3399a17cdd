/**
 * The name → scalar kinds: `Config`, `Setting`, `ServerConfiguration` (system variables),
 * `IdAlloc` and `Timestamp` (timeline oracle state).
 */

import { Timestamp } from './common.js'
import { message, string, u64, required } from './schema.js'

/** Keys at v47: `user_version`, `deploy_generation`, `system_config_synced`, `persist_txn_tables`, … */
export const ConfigKey = message('ConfigKey', { key: string })
export const ConfigValue = message('ConfigValue', { value: u64 })

export const SettingKey = message('SettingKey', { name: string })
export const SettingValue = message('SettingValue', { value: string })

export const ServerConfigurationKey = message('ServerConfigurationKey', { name: string })
export const ServerConfigurationValue = message('ServerConfigurationValue', { value: string })

export const IdAllocKey = message('IdAllocKey', { name: string })
export const IdAllocValue = message('IdAllocValue', { next_id: u64 })

/** `id` is the timeline's Display form: `M`, `E.<name>` or `U.<name>`. */
export const TimestampKey = message('TimestampKey', { id: string })
export const TimestampValue = message('TimestampValue', { ts: required(Timestamp) })
