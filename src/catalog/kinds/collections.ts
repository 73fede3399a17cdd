/**
 * One record per collection: everything the catalog knows about a collection is here, as
 * Materialize's `collection_impl!` (`src/catalog/src/durable/objects/state_update.rs`) states a
 * collection's name, kind and key/value types in one place.
 *
 * A record holds the collection's name (Materialize's catalog-debug `CollectionType`, serde
 * snake_case), the `kind` tag of its rows, its key and value schemas by the catalog version that
 * introduced each shape (frozen like `objects_vNN.proto`: a shape, once a version uses it, never
 * changes; `schema-sets.ts` picks the one in force at each version), whether it is large
 * (append-only and unbounded, kept out of memory), and its uniqueness rule, whose fields are also
 * the columns the transaction indexes values by. `Epoch` belongs to no collection.
 */

import { UsageError } from '../../errors.js'
import { canonicalJson, type JsonObject, type JsonValue } from '../../json/lossless-json.js'
import { AuditLogKeyV42, AuditLogKeyV46 } from './audit-log.js'
import {
  ClusterIntrospectionSourceIndexKey,
  ClusterIntrospectionSourceIndexValue,
  ClusterKey,
  ClusterReplicaKey,
  ClusterReplicaValue,
  ClusterValueV42,
  ClusterValueV46,
  ClusterValueV47,
} from './cluster.js'
import { DatabaseKey, DatabaseValue, SchemaKey, SchemaValue } from './database.js'
import { CommentKey, CommentValue, GidMappingKey, GidMappingValue, ItemKey, ItemValue } from './item.js'
import type { CollectionKindName } from './kind-names.js'
import { DefaultPrivilegesKey, DefaultPrivilegesValue, SystemPrivilegesKey, SystemPrivilegesValue } from './privileges.js'
import { RoleKey, RoleValue } from './role.js'
import { unit, type MessageSchema, type Schema } from './schema.js'
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
import type { CatalogVersion } from './versions.js'
import { closestMatches } from '../names/closest.js'

/** A key schema and a value schema ({@link unit}, JSON `null`, for the key-only collections). */
export type Shape = readonly [key: MessageSchema<JsonObject>, value: Schema<JsonValue>]

/**
 * A name-uniqueness rule of Materialize's catalog transaction: two different keys of the collection
 * may not have values that agree on all of `fields` (compared as decoded values; two nulls agree).
 */
export interface UniquenessRule {
  /** Top-level value fields, in the order they qualify each other (`['database_id', 'name']`). */
  readonly fields: readonly string[]
  /** What must be unique, for messages ("schema name per database"). */
  readonly description: string
}

/** Everything about one collection. */
export interface CollectionDef<N extends string = string> {
  readonly name: N
  /** The `kind` tag of the collection's rows. */
  readonly kind: CollectionKindName
  /**
   * Key and value schemas by the catalog version that introduced them; the first entry is the
   * oldest supported version. A version uses the entry with the greatest version not above it.
   */
  readonly shapes: { readonly [V in CatalogVersion]?: Shape }
  /**
   * Append-only and unbounded: never loaded into memory (Materialize keeps these out of its
   * snapshot too), streamed or counted instead, skipped by `dump --ignore-large-collections`.
   */
  readonly large: boolean
  /** The uniqueness rule (transaction.rs `Transaction::new`); none when absent. */
  readonly uniqueness?: UniquenessRule
}

function def<const N extends string>(d: CollectionDef<N>): CollectionDef<N> {
  return d
}

/** Every collection, in name order (the order `dump` lists them in). */
export const COLLECTIONS = [
  def({ name: 'audit_log', kind: 'AuditLog', large: true, shapes: { 42: [AuditLogKeyV42, unit], 46: [AuditLogKeyV46, unit] } }),
  def({ name: 'comments', kind: 'Comment', large: false, shapes: { 42: [CommentKey, CommentValue] } }),
  def({
    name: 'compute_instance',
    kind: 'Cluster',
    large: false,
    shapes: { 42: [ClusterKey, ClusterValueV42], 46: [ClusterKey, ClusterValueV46], 47: [ClusterKey, ClusterValueV47] },
    uniqueness: { fields: ['name'], description: 'cluster name' },
  }),
  def({
    name: 'compute_introspection_source_index',
    kind: 'ClusterIntrospectionSourceIndex',
    large: false,
    shapes: { 42: [ClusterIntrospectionSourceIndexKey, ClusterIntrospectionSourceIndexValue] },
  }),
  def({
    name: 'compute_replicas',
    kind: 'ClusterReplica',
    large: false,
    shapes: { 42: [ClusterReplicaKey, ClusterReplicaValue] },
    uniqueness: { fields: ['cluster_id', 'name'], description: 'replica name per cluster' },
  }),
  def({ name: 'config', kind: 'Config', large: false, shapes: { 42: [ConfigKey, ConfigValue] } }),
  def({
    name: 'database',
    kind: 'Database',
    large: false,
    shapes: { 42: [DatabaseKey, DatabaseValue] },
    uniqueness: { fields: ['name'], description: 'database name' },
  }),
  def({
    name: 'default_privileges',
    kind: 'DefaultPrivileges',
    large: false,
    shapes: { 42: [DefaultPrivilegesKey, DefaultPrivilegesValue] },
  }),
  def({ name: 'id_alloc', kind: 'IdAlloc', large: false, shapes: { 42: [IdAllocKey, IdAllocValue] } }),
  // Items also have a type/function name conflict rule in environmentd that is not expressed here.
  def({
    name: 'item',
    kind: 'Item',
    large: false,
    shapes: { 42: [ItemKey, ItemValue] },
    uniqueness: { fields: ['schema_id', 'name'], description: 'item name per schema' },
  }),
  def({
    name: 'role',
    kind: 'Role',
    large: false,
    shapes: { 42: [RoleKey, RoleValue] },
    uniqueness: { fields: ['name'], description: 'role name' },
  }),
  def({
    name: 'schema',
    kind: 'Schema',
    large: false,
    shapes: { 42: [SchemaKey, SchemaValue] },
    uniqueness: { fields: ['database_id', 'name'], description: 'schema name per database' },
  }),
  def({ name: 'setting', kind: 'Setting', large: false, shapes: { 42: [SettingKey, SettingValue] } }),
  def({ name: 'storage_usage', kind: 'StorageUsage', large: true, shapes: { 42: [StorageUsageKey, unit] } }),
  def({
    name: 'system_configuration',
    kind: 'ServerConfiguration',
    large: false,
    shapes: { 42: [ServerConfigurationKey, ServerConfigurationValue] },
  }),
  def({ name: 'system_gid_mapping', kind: 'GidMapping', large: false, shapes: { 42: [GidMappingKey, GidMappingValue] } }),
  def({ name: 'system_privileges', kind: 'SystemPrivileges', large: false, shapes: { 42: [SystemPrivilegesKey, SystemPrivilegesValue] } }),
  def({ name: 'timestamp', kind: 'Timestamp', large: false, shapes: { 42: [TimestampKey, TimestampValue] } }),
] as const

export type CollectionName = (typeof COLLECTIONS)[number]['name']

/** Collection names in name order. */
export const COLLECTION_NAMES: readonly CollectionName[] = COLLECTIONS.map((c) => c.name)

const BY_NAME = new Map<string, CollectionDef<CollectionName>>(COLLECTIONS.map((c) => [c.name, c]))
const BY_KIND = new Map<string, CollectionDef<CollectionName>>(COLLECTIONS.map((c) => [c.kind, c]))

/** The record of a collection. */
export function collectionDef(c: CollectionName): CollectionDef<CollectionName> {
  return BY_NAME.get(c) as CollectionDef<CollectionName>
}

/** The kind of every row in a collection. */
export const COLLECTION_KINDS = Object.fromEntries(COLLECTIONS.map((c) => [c.name, c.kind])) as {
  readonly [C in CollectionName]: CollectionKindName
}

/** The collection a kind's rows belong to. */
export const KIND_COLLECTIONS = Object.fromEntries(COLLECTIONS.map((c) => [c.kind, c.name])) as {
  readonly [K in CollectionKindName]: CollectionName
}

/** The large collections (see {@link CollectionDef.large}), in name order. */
export const LARGE_COLLECTIONS: readonly CollectionName[] = COLLECTIONS.filter((c) => c.large).map((c) => c.name)

/** Whether `s` names one of the 18 collections. */
export function isCollectionName(s: string): s is CollectionName {
  return BY_NAME.has(s)
}

/** Whether a collection is large (see {@link CollectionDef.large}). */
export function isLargeCollection(c: CollectionName): boolean {
  return collectionDef(c).large
}

/** Whether a kind's rows are in a large collection (`Epoch` is not). */
export function isLargeKind(kind: string): boolean {
  return BY_KIND.get(kind)?.large === true
}

/** Parses a collection name as typed by an operator. Throws {@link UsageError} listing every name. */
export function parseCollectionName(s: string): CollectionName {
  if (isCollectionName(s)) return s
  const close = closestMatches(s, COLLECTION_NAMES)
  throw new UsageError(`unknown collection ${JSON.stringify(s)}, expected one of: ${COLLECTION_NAMES.join(', ')}`, {
    code: 'unknown-collection',
    ...(close.length === 0 ? {} : { hint: `did you mean ${close.join(' or ')}?` }),
  })
}

/**
 * The text two values of `collection` share exactly when they violate its uniqueness rule, or
 * `null` when the collection has no rule. `value` is a decoded value of the collection.
 */
export function uniquenessKey(collection: CollectionName, value: JsonValue): string | null {
  const rule = collectionDef(collection).uniqueness
  if (rule === undefined || typeof value !== 'object' || value === null || Array.isArray(value)) return null
  return canonicalJson(rule.fields.map((f) => value[f] ?? null))
}
