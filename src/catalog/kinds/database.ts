/** `Database` and `Schema`. */

import { DatabaseId, Privileges, RoleId, SchemaId } from './common.js'
import { message, option, string, type Infer } from './schema.js'

export const DatabaseKey = message('DatabaseKey', { id: option(DatabaseId) })
export type DatabaseKey = Infer<typeof DatabaseKey>

export const DatabaseValue = message('DatabaseValue', {
  name: string,
  owner_id: option(RoleId),
  privileges: Privileges,
})
export type DatabaseValue = Infer<typeof DatabaseValue>

export const SchemaKey = message('SchemaKey', { id: option(SchemaId) })
export type SchemaKey = Infer<typeof SchemaKey>

/** `database_id` is null for the ambient (system) schemas. */
export const SchemaValue = message('SchemaValue', {
  database_id: option(DatabaseId),
  name: string,
  owner_id: option(RoleId),
  privileges: Privileges,
})
export type SchemaValue = Infer<typeof SchemaValue>
