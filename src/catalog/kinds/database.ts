/** `Database` and `Schema`. */

import { DatabaseId, Privileges, RoleId, SchemaId } from './common.js'
import { message, option, string, required } from './schema.js'

export const DatabaseKey = message('DatabaseKey', { id: required(DatabaseId) })

export const DatabaseValue = message('DatabaseValue', {
  name: string,
  owner_id: required(RoleId),
  privileges: Privileges,
})

export const SchemaKey = message('SchemaKey', { id: required(SchemaId) })

/** `database_id` is null for the ambient (system) schemas. */
export const SchemaValue = message('SchemaValue', {
  database_id: option(DatabaseId),
  name: string,
  owner_id: required(RoleId),
  privileges: Privileges,
})
