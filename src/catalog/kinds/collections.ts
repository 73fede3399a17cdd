/**
 * The 18 collections of Materialize's catalog-debug (`CollectionType`, serde snake_case names) and
 * how they map to update kinds. `Epoch` belongs to no collection.
 */

import { canonicalJson, type JsonValue } from '../../json/lossless-json.js'
import { UsageError } from '../../errors.js'
import type { CollectionKindName } from './kind-names.js'

/** Collection names in name order (the order `dump` lists them in). */
export const COLLECTION_NAMES = [
  'audit_log',
  'comments',
  'compute_instance',
  'compute_introspection_source_index',
  'compute_replicas',
  'config',
  'database',
  'default_privileges',
  'id_alloc',
  'item',
  'role',
  'schema',
  'setting',
  'storage_usage',
  'system_configuration',
  'system_gid_mapping',
  'system_privileges',
  'timestamp',
] as const
export type CollectionName = (typeof COLLECTION_NAMES)[number]

/** The kind of every row in a collection. */
export const COLLECTION_KINDS: { readonly [C in CollectionName]: CollectionKindName } = {
  audit_log: 'AuditLog',
  comments: 'Comment',
  compute_instance: 'Cluster',
  compute_introspection_source_index: 'ClusterIntrospectionSourceIndex',
  compute_replicas: 'ClusterReplica',
  config: 'Config',
  database: 'Database',
  default_privileges: 'DefaultPrivileges',
  id_alloc: 'IdAlloc',
  item: 'Item',
  role: 'Role',
  schema: 'Schema',
  setting: 'Setting',
  storage_usage: 'StorageUsage',
  system_configuration: 'ServerConfiguration',
  system_gid_mapping: 'GidMapping',
  system_privileges: 'SystemPrivileges',
  timestamp: 'Timestamp',
}

/** The collection a kind's rows belong to. */
export const KIND_COLLECTIONS = Object.fromEntries(COLLECTION_NAMES.map((c) => [COLLECTION_KINDS[c], c])) as {
  readonly [K in CollectionKindName]: CollectionName
}

/**
 * Append-only collections that can grow without bound; Materialize keeps them out of its in-memory
 * snapshot, and commands should stream or count them rather than load them.
 */
export const LARGE_COLLECTIONS = ['audit_log', 'storage_usage'] as const satisfies readonly CollectionName[]

const NAMES: ReadonlySet<string> = new Set(COLLECTION_NAMES)

/** Whether `s` names one of the 18 collections. */
export function isCollectionName(s: string): s is CollectionName {
  return NAMES.has(s)
}

/** Whether `c` is one of {@link LARGE_COLLECTIONS}. */
export function isLargeCollection(c: CollectionName): boolean {
  return c === 'audit_log' || c === 'storage_usage'
}

/** Parses a collection name as typed by an operator. Throws {@link UsageError} listing every name. */
export function parseCollectionName(s: string): CollectionName {
  if (isCollectionName(s)) return s
  throw new UsageError(`unknown collection ${JSON.stringify(s)}, expected one of: ${COLLECTION_NAMES.join(', ')}`, {
    code: 'unknown-collection',
  })
}

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

/**
 * The uniqueness rules (transaction.rs `Transaction::new`); collections not listed have none. Items
 * also have a type/function conflict rule in environmentd that is not expressed here.
 */
export const UNIQUENESS: { readonly [C in CollectionName]?: UniquenessRule } = {
  database: { fields: ['name'], description: 'database name' },
  schema: { fields: ['database_id', 'name'], description: 'schema name per database' },
  item: { fields: ['schema_id', 'name'], description: 'item name per schema' },
  role: { fields: ['name'], description: 'role name' },
  compute_instance: { fields: ['name'], description: 'cluster name' },
  compute_replicas: { fields: ['cluster_id', 'name'], description: 'replica name per cluster' },
}

/**
 * The text two values of `collection` share exactly when they violate its uniqueness rule, or
 * `null` when the collection has no rule. `value` is a decoded value of the collection.
 */
export function uniquenessKey(collection: CollectionName, value: JsonValue): string | null {
  const rule = UNIQUENESS[collection]
  if (rule === undefined || typeof value !== 'object' || value === null || Array.isArray(value)) return null
  return canonicalJson(rule.fields.map((f) => value[f] ?? null))
}
