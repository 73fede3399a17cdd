/** `StorageUsage` rows: key only (`StorageUsageKey`), value `()`. */

import { EpochMillis, StringWrapper } from './common.js'
import { message, oneof, option, u64, required } from './schema.js'

export const StorageUsageV1 = message('StorageUsageV1', {
  id: u64,
  shard_id: option(StringWrapper),
  size_bytes: u64,
  collection_timestamp: required(EpochMillis),
})

export const StorageUsageKey = message('StorageUsageKey', {
  usage: required(oneof('StorageUsageKey', { V1: StorageUsageV1 })),
})
