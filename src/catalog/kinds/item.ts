/** `Item`, `Comment` and `GidMapping` (the system item id mapping). */

import { CatalogItem, ClusterId, ClusterReplicaId, DatabaseId, GlobalId, Privileges, ResolvedSchema, RoleId, SchemaId } from './common.js'
import { CATALOG_ITEM_TYPES } from './enums.js'
import { enumeration, message, oneof, option, string, u64, required } from './schema.js'

export const ItemKey = message('ItemKey', { gid: required(GlobalId) })

export const ItemValue = message('ItemValue', {
  schema_id: required(SchemaId),
  name: string,
  definition: required(CatalogItem),
  owner_id: required(RoleId),
  privileges: Privileges,
})

/** Two oneofs: the commented object, then (null for the whole object) the column. */
export const CommentKey = message('CommentKey', {
  object: required(
    oneof('CommentKey.object', {
      Table: GlobalId,
      View: GlobalId,
      MaterializedView: GlobalId,
      Source: GlobalId,
      Sink: GlobalId,
      Index: GlobalId,
      Func: GlobalId,
      Connection: GlobalId,
      Type: GlobalId,
      Secret: GlobalId,
      Role: RoleId,
      Database: DatabaseId,
      Schema: ResolvedSchema,
      Cluster: ClusterId,
      ClusterReplica: ClusterReplicaId,
    }),
  ),
  sub_component: option(oneof('CommentKey.sub_component', { ColumnPos: u64 })),
})

/** The variants of `CommentKey.object` that name a catalog item by its `GlobalId` (the others name a role, database, schema, cluster or replica). */
export const COMMENT_ITEM_OBJECTS: ReadonlySet<string> = new Set([
  'Table',
  'View',
  'MaterializedView',
  'Source',
  'Sink',
  'Index',
  'Func',
  'Connection',
  'Type',
  'Secret',
])

export const CommentValue = message('CommentValue', { comment: string })

export const GidMappingKey = message('GidMappingKey', {
  schema_name: string,
  object_type: enumeration('CatalogItemType', CATALOG_ITEM_TYPES),
  object_name: string,
})

/** `id` is the system `GlobalId` number; `fingerprint` is opaque text. */
export const GidMappingValue = message('GidMappingValue', { id: u64, fingerprint: string })
