/** `DefaultPrivileges` and `SystemPrivileges`. */

import { AclMode, DatabaseId, RoleId, SchemaId } from './common.js'
import { OBJECT_TYPES } from './enums.js'
import { enumeration, message, option, type Infer } from './schema.js'

/** A null `database_id`/`schema_id` means "in all databases/schemas". */
export const DefaultPrivilegesKey = message('DefaultPrivilegesKey', {
  role_id: option(RoleId),
  database_id: option(DatabaseId),
  schema_id: option(SchemaId),
  object_type: enumeration('ObjectType', OBJECT_TYPES),
  grantee: option(RoleId),
})
export type DefaultPrivilegesKey = Infer<typeof DefaultPrivilegesKey>

export const DefaultPrivilegesValue = message('DefaultPrivilegesValue', { privileges: option(AclMode) })
export type DefaultPrivilegesValue = Infer<typeof DefaultPrivilegesValue>

export const SystemPrivilegesKey = message('SystemPrivilegesKey', {
  grantee: option(RoleId),
  grantor: option(RoleId),
})
export type SystemPrivilegesKey = Infer<typeof SystemPrivilegesKey>

export const SystemPrivilegesValue = message('SystemPrivilegesValue', { acl_mode: option(AclMode) })
export type SystemPrivilegesValue = Infer<typeof SystemPrivilegesValue>
