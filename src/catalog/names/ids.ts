/**
 * The display form of the catalog's id messages, as Materialize prints them: `u1` (user), `s1`
 * (system), `t1` (transient), `p` (the PUBLIC role). Ids of different kinds share this form (`u1`
 * is a database, a cluster and a role at once): an id names an object only together with its kind.
 */
import type { JsonValue } from '../../json/lossless-json.js'

/** `{"value":{"User":1}}` → `u1`; `null` when the message holds no id. Unknown variants print as their name. */
export function idText(id: JsonValue | undefined): string | null {
  if (id === null || id === undefined || typeof id !== 'object' || Array.isArray(id)) return null
  const inner = id.value
  if (inner === null || inner === undefined || typeof inner !== 'object' || Array.isArray(inner)) return null
  const [variant, n] = Object.entries(inner)[0] ?? []
  if (variant === undefined) return null
  switch (variant) {
    case 'User':
      return `u${String(n)}`
    case 'System':
      return `s${String(n)}`
    case 'Transient':
      return `t${String(n)}`
    case 'Public':
      return 'p'
    case 'Explain':
      return 'e'
    default:
      return variant
  }
}

/** The name Materialize shows for the PUBLIC pseudo-role (id `p`). */
export const PUBLIC_ROLE_NAME = 'PUBLIC'
