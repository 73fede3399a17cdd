/** `Role` and its attribute, membership and variable messages. */

import { RoleId } from './common.js'
import { bool, message, oneof, repeated, string, required } from './schema.js'

/** `inherit` is the only attribute stored at v47. */
export const RoleAttributes = message('RoleAttributes', { inherit: bool })

/** Entry key = the role this role belongs to, value = the grantor. Sorted by key (a Rust BTreeMap). */
export const RoleMembership = message('RoleMembership', {
  map: repeated(message('RoleMembership.Entry', { key: required(RoleId), value: required(RoleId) })),
})

/** Session variable defaults, sorted by key (a Rust BTreeMap). */
export const RoleVars = message('RoleVars', {
  entries: repeated(
    message('RoleVars.Entry', {
      key: string,
      val: required(oneof('RoleVars.Entry.val', { Flat: string, SqlSet: message('SqlSet', { entries: repeated(string) }) })),
    }),
  ),
})

export const RoleKey = message('RoleKey', { id: required(RoleId) })

export const RoleValue = message('RoleValue', {
  name: string,
  attributes: required(RoleAttributes),
  membership: required(RoleMembership),
  vars: required(RoleVars),
})
