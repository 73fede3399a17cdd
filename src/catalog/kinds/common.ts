/**
 * Message types shared by several kinds (`objects_v47.proto`, "Common Types"). They are the same
 * at every supported catalog version (42..47). Every message field and oneof is an `Option` in
 * prost: `option` where `from_proto` accepts `None`, `required` where it does not (`schema.ts`).
 */

import { KNOWN_ACL_BITS } from './enums.js'
import { bool, empty, flags, message, oneof, option, repeated, required, string, u32, u64 } from './schema.js'

/** `GlobalId`: an item id (`u1`, `s1`, transient, or the explain placeholder). */
export const GlobalId = message('GlobalId', {
  value: required(oneof('GlobalId', { System: u64, User: u64, Transient: u64, Explain: empty })),
})

function systemOrUser<const N extends string>(name: N) {
  return message(name, { value: required(oneof(name, { System: u64, User: u64 })) })
}

export const ClusterId = systemOrUser('ClusterId')
export const DatabaseId = systemOrUser('DatabaseId')
export const SchemaId = systemOrUser('SchemaId')
export const ReplicaId = systemOrUser('ReplicaId')

/** `RoleId`: `System < User < Public` in sort order. */
export const RoleId = message('RoleId', {
  value: required(oneof('RoleId', { System: u64, User: u64, Public: empty })),
})

export const ResolvedDatabaseSpecifier = message('ResolvedDatabaseSpecifier', {
  spec: required(oneof('ResolvedDatabaseSpecifier', { Ambient: empty, Id: DatabaseId })),
})

export const SchemaSpecifier = message('SchemaSpecifier', {
  spec: required(oneof('SchemaSpecifier', { Temporary: empty, Id: SchemaId })),
})

export const ResolvedSchema = message('ResolvedSchema', {
  database: required(ResolvedDatabaseSpecifier),
  schema: required(SchemaSpecifier),
})

export const ClusterReplicaId = message('ClusterReplicaId', {
  cluster_id: required(ClusterId),
  replica_id: required(ReplicaId),
})

/** `AclMode`: privilege bits (see `enums.ts` for the letters). */
export const AclMode = message('AclMode', { bitflags: flags('AclMode', KNOWN_ACL_BITS) })

export const MzAclItem = message('MzAclItem', {
  grantee: required(RoleId),
  grantor: required(RoleId),
  acl_mode: required(AclMode),
})

/** Wraps a string where Rust has `Option<String>` (a `null` wrapper is `None`). */
export const StringWrapper = message('StringWrapper', { inner: string })

export const Duration = message('Duration', { secs: u64, nanos: u32 })

export const EpochMillis = message('EpochMillis', { millis: u64 })

/** Materialize's opaque timestamp (epoch ms on the `M` timeline). */
export const Timestamp = message('Timestamp', { internal: u64 })

/** An item's definition: only `V1 { create_sql }` exists. */
export const CatalogItem = message('CatalogItem', {
  value: required(oneof('CatalogItem', { V1: message('CatalogItem.V1', { create_sql: string }) })),
})

/** `repeated MzAclItem privileges`, kept in insertion order. */
export const Privileges = repeated(MzAclItem)

export const ReplicaLogging = message('ReplicaLogging', {
  log_logging: bool,
  interval: option(Duration),
})

export const ReplicaMergeEffort = message('ReplicaMergeEffort', { effort: u32 })
