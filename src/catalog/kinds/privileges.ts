/** `DefaultPrivileges` and `SystemPrivileges`. */

import { AclMode, DatabaseId, RoleId, SchemaId } from './common.js'
import { OBJECT_TYPES } from './enums.js'
import { enumeration, message, option } from './schema.js'

/** A null `database_id`/`schema_id` means "in all databases/schemas". */
export const DefaultPrivilegesKey = message('DefaultPrivilegesKey', {
  role_id: RoleId,
  database_id: option(DatabaseId),
  schema_id: option(SchemaId),
  object_type: enumeration('ObjectType', OBJECT_TYPES),
  grantee: RoleId,
})

export const DefaultPrivilegesValue = message('DefaultPrivilegesValue', { privileges: AclMode })

export const SystemPrivilegesKey = message('SystemPrivilegesKey', {
  grantee: RoleId,
  grantor: RoleId,
})

export const SystemPrivilegesValue = message('SystemPrivilegesValue', { acl_mode: AclMode })
