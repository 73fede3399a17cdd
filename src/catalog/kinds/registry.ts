/**
 * The key/value schemas of every kind, per catalog version.
 *
 * Upgrades must decode (and retract) old rows with the schema of the version that wrote them, so
 * schemas are chosen by version. Differences inside 42..47:
 * - v42..v45: `ClusterValue.linked_object_id` (field 2); no `CreateSourceSinkV3` audit detail;
 * - v46: `linked_object_id` gone, `CreateSourceSinkV3` added;
 * - v47: `ManagedCluster.optimizer_feature_overrides` added.
 * v42..v44 share v45's shapes (their migrations changed no data).
 */

import type { JsonObject, JsonValue } from '../../json/lossless-json.js'
import { IncompatibleCatalogVersionError } from '../../errors.js'
import { AuditLogKey, AuditLogKeyV42 } from './audit-log.js'
import {
  ClusterIntrospectionSourceIndexKey,
  ClusterIntrospectionSourceIndexValue,
  ClusterKey,
  ClusterReplicaKey,
  ClusterReplicaValue,
  ClusterValue,
  ClusterValueV42,
  ClusterValueV46,
} from './cluster.js'
import { KIND_COLLECTIONS, type CollectionName } from './collections.js'
import { DatabaseKey, DatabaseValue, SchemaKey, SchemaValue } from './database.js'
import { CommentKey, CommentValue, GidMappingKey, GidMappingValue, ItemKey, ItemValue } from './item.js'
import { isKeyOnlyKind, type CollectionKindName } from './kind-names.js'
import { DefaultPrivilegesKey, DefaultPrivilegesValue, SystemPrivilegesKey, SystemPrivilegesValue } from './privileges.js'
import { RoleKey, RoleValue } from './role.js'
import { i64, unit, type MessageSchema, type Schema } from './schema.js'
import {
  ConfigKey,
  ConfigValue,
  IdAllocKey,
  IdAllocValue,
  ServerConfigurationKey,
  ServerConfigurationValue,
  SettingKey,
  SettingValue,
  TimestampKey,
  TimestampValue,
} from './settings.js'
import { StorageUsageKey } from './storage-usage.js'
import { CATALOG_VERSION, isSupportedCatalogVersion, MIN_CATALOG_VERSION, type CatalogVersion } from './versions.js'

/** The schemas of one kind at one catalog version. */
export interface KindSchema {
  readonly kind: CollectionKindName
  readonly collection: CollectionName
  readonly key: MessageSchema<JsonObject>
  /** The value schema; {@link unit} (JSON `null`) for the key-only kinds. */
  readonly value: Schema<JsonValue>
  /** AuditLog and StorageUsage: rows have no `value` field. */
  readonly keyOnly: boolean
}

/** Every kind's schemas at one catalog version. */
export interface KindSet {
  readonly version: CatalogVersion
  /** All 18 collection kinds, in proto field order. */
  readonly all: readonly KindSchema[]
  kind(kind: CollectionKindName): KindSchema
  collection(collection: CollectionName): KindSchema
}

/** The `epoch` field of the `Epoch` row (`int64`; Rust's `NonZeroI64` is enforced by environmentd, not here). */
export const EPOCH_FIELD: Schema<bigint> = i64

type SchemaTable = { readonly [K in CollectionKindName]: readonly [MessageSchema<JsonObject>, Schema<JsonValue>] }

function table(version: CatalogVersion): SchemaTable {
  return {
    AuditLog: [version >= 46 ? AuditLogKey : AuditLogKeyV42, unit],
    Cluster: [ClusterKey, version >= 47 ? ClusterValue : version >= 46 ? ClusterValueV46 : ClusterValueV42],
    ClusterReplica: [ClusterReplicaKey, ClusterReplicaValue],
    Comment: [CommentKey, CommentValue],
    Config: [ConfigKey, ConfigValue],
    Database: [DatabaseKey, DatabaseValue],
    DefaultPrivileges: [DefaultPrivilegesKey, DefaultPrivilegesValue],
    IdAlloc: [IdAllocKey, IdAllocValue],
    ClusterIntrospectionSourceIndex: [ClusterIntrospectionSourceIndexKey, ClusterIntrospectionSourceIndexValue],
    Item: [ItemKey, ItemValue],
    Role: [RoleKey, RoleValue],
    Schema: [SchemaKey, SchemaValue],
    Setting: [SettingKey, SettingValue],
    StorageUsage: [StorageUsageKey, unit],
    ServerConfiguration: [ServerConfigurationKey, ServerConfigurationValue],
    GidMapping: [GidMappingKey, GidMappingValue],
    SystemPrivileges: [SystemPrivilegesKey, SystemPrivilegesValue],
    Timestamp: [TimestampKey, TimestampValue],
  }
}

const cache = new Map<CatalogVersion, KindSet>()

/**
 * The schemas of catalog `version` (default: the current one, 47). Throws
 * {@link IncompatibleCatalogVersionError} outside 42..47, with Materialize's message.
 */
export function kindsForVersion(version: number = CATALOG_VERSION): KindSet {
  if (!isSupportedCatalogVersion(version)) {
    throw new IncompatibleCatalogVersionError(
      `incompatible Catalog version ${version}, minimum: ${MIN_CATALOG_VERSION}, current: ${CATALOG_VERSION}`,
    )
  }
  let set = cache.get(version)
  if (set === undefined) {
    const t = table(version)
    const byKind = new Map<string, KindSchema>()
    const byCollection = new Map<string, KindSchema>()
    for (const kind of Object.keys(t) as CollectionKindName[]) {
      const [key, value] = t[kind]
      const k: KindSchema = { kind, collection: KIND_COLLECTIONS[kind], key, value, keyOnly: isKeyOnlyKind(kind) }
      byKind.set(kind, k)
      byCollection.set(k.collection, k)
    }
    const all = [...byKind.values()]
    set = {
      version,
      all,
      kind: (kind) => byKind.get(kind) as KindSchema,
      collection: (c) => byCollection.get(c) as KindSchema,
    }
    cache.set(version, set)
  }
  return set
}
