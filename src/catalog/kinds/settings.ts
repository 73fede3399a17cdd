/**
 * The name → scalar kinds: `Config`, `Setting`, `ServerConfiguration` (system variables),
 * `IdAlloc` and `Timestamp` (timeline oracle state).
 */

import { Timestamp } from './common.js'
import { message, option, string, u64, type Infer } from './schema.js'

/** Keys at v47: `user_version`, `deploy_generation`, `system_config_synced`, `persist_txn_tables`, … */
export const ConfigKey = message('ConfigKey', { key: string })
export type ConfigKey = Infer<typeof ConfigKey>
export const ConfigValue = message('ConfigValue', { value: u64 })
export type ConfigValue = Infer<typeof ConfigValue>

export const SettingKey = message('SettingKey', { name: string })
export type SettingKey = Infer<typeof SettingKey>
export const SettingValue = message('SettingValue', { value: string })
export type SettingValue = Infer<typeof SettingValue>

export const ServerConfigurationKey = message('ServerConfigurationKey', { name: string })
export type ServerConfigurationKey = Infer<typeof ServerConfigurationKey>
export const ServerConfigurationValue = message('ServerConfigurationValue', { value: string })
export type ServerConfigurationValue = Infer<typeof ServerConfigurationValue>

export const IdAllocKey = message('IdAllocKey', { name: string })
export type IdAllocKey = Infer<typeof IdAllocKey>
export const IdAllocValue = message('IdAllocValue', { next_id: u64 })
export type IdAllocValue = Infer<typeof IdAllocValue>

/** `id` is the timeline's Display form: `M`, `E.<name>` or `U.<name>`. */
export const TimestampKey = message('TimestampKey', { id: string })
export type TimestampKey = Infer<typeof TimestampKey>
export const TimestampValue = message('TimestampValue', { ts: option(Timestamp) })
export type TimestampValue = Infer<typeof TimestampValue>
