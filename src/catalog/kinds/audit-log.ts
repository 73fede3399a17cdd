/**
 * `AuditLog` rows: key only (`AuditLogKey`), value `()`. The `details` oneof gained
 * `CreateSourceSinkV3` (field 29) in v46; v42..v45 do not know that variant.
 */

import { EpochMillis, StringWrapper } from './common.js'
import { AUDIT_EVENT_TYPES, AUDIT_OBJECT_TYPES } from './enums.js'
import { bool, enumeration, message, oneof, option, string, u64, required } from './schema.js'

const FullNameV1 = message('FullNameV1', { database: string, schema: string, item: string })
const FN = required(FullNameV1)
const SW = option(StringWrapper)

const IdFullName = message('IdFullNameV1', { id: string, name: FN })

/** Detail payloads in the oneof's declaration order (which is its sort order, not field-number order). */
const detailsV42 = {
  CreateClusterReplicaV1: message('CreateClusterReplicaV1', {
    cluster_id: string,
    cluster_name: string,
    replica_id: SW,
    replica_name: string,
    logical_size: string,
    disk: bool,
    billed_as: option(string),
    internal: bool,
  }),
  DropClusterReplicaV1: message('DropClusterReplicaV1', {
    cluster_id: string,
    cluster_name: string,
    replica_id: SW,
    replica_name: string,
  }),
  CreateSourceSinkV1: message('CreateSourceSinkV1', { id: string, name: FN, size: SW }),
  CreateSourceSinkV2: message('CreateSourceSinkV2', { id: string, name: FN, size: SW, external_type: string }),
  AlterSourceSinkV1: message('AlterSourceSinkV1', { id: string, name: FN, old_size: SW, new_size: SW }),
  AlterSetClusterV1: message('AlterSetClusterV1', { id: string, name: FN, old_cluster: SW, new_cluster: SW }),
  GrantRoleV1: message('GrantRoleV1', { role_id: string, member_id: string, grantor_id: string }),
  GrantRoleV2: message('GrantRoleV2', { role_id: string, member_id: string, grantor_id: string, executed_by: string }),
  RevokeRoleV1: message('RevokeRoleV1', { role_id: string, member_id: string }),
  RevokeRoleV2: message('RevokeRoleV2', { role_id: string, member_id: string, grantor_id: string, executed_by: string }),
  UpdatePrivilegeV1: message('UpdatePrivilegeV1', {
    object_id: string,
    grantee_id: string,
    grantor_id: string,
    privileges: string,
  }),
  AlterDefaultPrivilegeV1: message('AlterDefaultPrivilegeV1', {
    role_id: string,
    database_id: SW,
    schema_id: SW,
    grantee_id: string,
    privileges: string,
  }),
  UpdateOwnerV1: message('UpdateOwnerV1', { object_id: string, old_owner_id: string, new_owner_id: string }),
  IdFullNameV1: IdFullName,
  RenameClusterV1: message('RenameClusterV1', { id: string, old_name: string, new_name: string }),
  RenameClusterReplicaV1: message('RenameClusterReplicaV1', {
    cluster_id: string,
    replica_id: string,
    old_name: string,
    new_name: string,
  }),
  RenameItemV1: message('RenameItemV1', { id: string, old_name: FN, new_name: FN }),
  IdNameV1: message('IdNameV1', { id: string, name: string }),
  SchemaV1: message('SchemaV1', { id: string, name: string, database_name: string }),
  SchemaV2: message('SchemaV2', { id: string, name: string, database_name: SW }),
  RenameSchemaV1: message('RenameSchemaV1', {
    id: string,
    database_name: option(string),
    old_name: string,
    new_name: string,
  }),
  UpdateItemV1: message('UpdateItemV1', { id: string, name: FN }),
}

const detailsV46 = {
  ...detailsV42,
  CreateSourceSinkV3: message('CreateSourceSinkV3', { id: string, name: FN, external_type: string }),
}

const eventFields = {
  id: u64,
  event_type: enumeration('EventType', AUDIT_EVENT_TYPES),
  object_type: enumeration('ObjectType', AUDIT_OBJECT_TYPES),
  user: SW,
  occurred_at: required(EpochMillis),
}

/** `AuditLogEventV1` at v42..v45. */
const AuditLogEventV1V42 = message('AuditLogEventV1', {
  ...eventFields,
  details: required(oneof('AuditLogEventV1.details', detailsV42)),
})

/** `AuditLogEventV1` at v46..v47. */
const AuditLogEventV1V46 = message('AuditLogEventV1', {
  ...eventFields,
  details: required(oneof('AuditLogEventV1.details', detailsV46)),
})

/** `AuditLogKey` at v42..v45. */
export const AuditLogKeyV42 = message('AuditLogKey', {
  event: required(oneof('AuditLogKey', { V1: AuditLogEventV1V42 })),
})

/** `AuditLogKey` at v46..v47. Events sort by `id` (the first field). */
export const AuditLogKeyV46 = message('AuditLogKey', {
  event: required(oneof('AuditLogKey', { V1: AuditLogEventV1V46 })),
})
