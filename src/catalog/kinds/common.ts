/**
 * Message types shared by several kinds (`objects_v47.proto`, "Common Types"). They are the same
 * at every supported catalog version (42..47).
 */

import { bool, empty, message, oneof, option, repeated, string, u32, u64, type Infer } from './schema.js'

/** `GlobalId`: an item id (`u1`, `s1`, transient, or the explain placeholder). */
export const GlobalId = message('GlobalId', {
  value: option(oneof('GlobalId', { System: u64, User: u64, Transient: u64, Explain: empty })),
})
export type GlobalId = Infer<typeof GlobalId>

function systemOrUser<const N extends string>(name: N) {
  return message(name, { value: option(oneof(name, { System: u64, User: u64 })) })
}

export const ClusterId = systemOrUser('ClusterId')
export type ClusterId = Infer<typeof ClusterId>
export const DatabaseId = systemOrUser('DatabaseId')
export type DatabaseId = Infer<typeof DatabaseId>
export const SchemaId = systemOrUser('SchemaId')
export type SchemaId = Infer<typeof SchemaId>
export const ReplicaId = systemOrUser('ReplicaId')
export type ReplicaId = Infer<typeof ReplicaId>

/** `RoleId`: `System < User < Public` in sort order. */
export const RoleId = message('RoleId', {
  value: option(oneof('RoleId', { System: u64, User: u64, Public: empty })),
})
export type RoleId = Infer<typeof RoleId>

export const ResolvedDatabaseSpecifier = message('ResolvedDatabaseSpecifier', {
  spec: option(oneof('ResolvedDatabaseSpecifier', { Ambient: empty, Id: DatabaseId })),
})
export type ResolvedDatabaseSpecifier = Infer<typeof ResolvedDatabaseSpecifier>

export const SchemaSpecifier = message('SchemaSpecifier', {
  spec: option(oneof('SchemaSpecifier', { Temporary: empty, Id: SchemaId })),
})
export type SchemaSpecifier = Infer<typeof SchemaSpecifier>

export const ResolvedSchema = message('ResolvedSchema', {
  database: option(ResolvedDatabaseSpecifier),
  schema: option(SchemaSpecifier),
})
export type ResolvedSchema = Infer<typeof ResolvedSchema>

export const ClusterReplicaId = message('ClusterReplicaId', {
  cluster_id: option(ClusterId),
  replica_id: option(ReplicaId),
})
export type ClusterReplicaId = Infer<typeof ClusterReplicaId>

/** `AclMode`: privilege bits (see `enums.ts` for the letters). */
export const AclMode = message('AclMode', { bitflags: u64 })
export type AclMode = Infer<typeof AclMode>

export const MzAclItem = message('MzAclItem', {
  grantee: option(RoleId),
  grantor: option(RoleId),
  acl_mode: option(AclMode),
})
export type MzAclItem = Infer<typeof MzAclItem>

/** Wraps a string where Rust has `Option<String>` (a `null` wrapper is `None`). */
export const StringWrapper = message('StringWrapper', { inner: string })
export type StringWrapper = Infer<typeof StringWrapper>

export const Duration = message('Duration', { secs: u64, nanos: u32 })
export type Duration = Infer<typeof Duration>

export const EpochMillis = message('EpochMillis', { millis: u64 })
export type EpochMillis = Infer<typeof EpochMillis>

/** Materialize's opaque timestamp (epoch ms on the `M` timeline). */
export const Timestamp = message('Timestamp', { internal: u64 })
export type Timestamp = Infer<typeof Timestamp>

/** An item's definition: only `V1 { create_sql }` exists. */
export const CatalogItem = message('CatalogItem', {
  value: option(oneof('CatalogItem', { V1: message('CatalogItem.V1', { create_sql: string }) })),
})
export type CatalogItem = Infer<typeof CatalogItem>

/** `repeated MzAclItem privileges`, kept in insertion order. */
export const Privileges = repeated(MzAclItem)

export const ReplicaLogging = message('ReplicaLogging', {
  log_logging: bool,
  interval: option(Duration),
})
export type ReplicaLogging = Infer<typeof ReplicaLogging>

export const ReplicaMergeEffort = message('ReplicaMergeEffort', { effort: u32 })
export type ReplicaMergeEffort = Infer<typeof ReplicaMergeEffort>
