/** `DefaultPrivileges` and `SystemPrivileges`. */

import { AclMode, DatabaseId, RoleId, SchemaId } from './common.js'
import { OBJECT_TYPES } from './enums.js'
import { enumeration, message, option, required } from './schema.js'

/** A null `database_id`/`schema_id` means "in all databases/schemas". */
export const DefaultPrivilegesKey = message('DefaultPrivilegesKey', {
  role_id: required(RoleId),
  database_id: option(DatabaseId),
  schema_id: option(SchemaId),
  object_type: enumeration('ObjectType', OBJECT_TYPES),
  grantee: required(RoleId),
})

export const DefaultPrivilegesValue = message('DefaultPrivilegesValue', { privileges: required(AclMode) })

export const SystemPrivilegesKey = message('SystemPrivilegesKey', {
  grantee: required(RoleId),
  grantor: required(RoleId),
})

export const SystemPrivilegesValue = message('SystemPrivilegesValue', { acl_mode: required(AclMode) })
