/**
 * The catalog's named objects (databases, schemas, items, clusters, replicas, roles) with their
 * ids in display form, kind by kind, with comments and system grants. Built from the current rows
 * of their collections by `objects-builder.ts`, which `load-objects.ts` feeds.
 */
import { PUBLIC_ROLE_NAME } from './ids.js'
import type { SqlReference } from './sql-references.js'

export const OBJECT_KINDS = ['database', 'schema', 'item', 'cluster', 'replica', 'role'] as const
export type ObjectKind = (typeof OBJECT_KINDS)[number]

/** One `MzAclItem`: role ids and the raw AclMode bits. */
export interface Grant {
  readonly grantee: string
  readonly grantor: string
  readonly bits: bigint
}

interface Base {
  readonly id: string
  readonly name: string
  /** The owner's role id (`null` when the row has none: roles, or a damaged row). */
  readonly owner: string | null
  readonly privileges: readonly Grant[]
}

interface DatabaseObject extends Base {
  readonly kind: 'database'
}
interface SchemaObject extends Base {
  readonly kind: 'schema'
  /** `null` for the ambient (system) schemas. */
  readonly database: string | null
}
export interface ItemObject extends Base {
  readonly kind: 'item'
  readonly schema: string | null
  /** From the `CREATE` head (`Table`, `MaterializedView`, …), or `null` when unreadable. */
  readonly itemType: string | null
  readonly createSql: string | null
  readonly references: readonly SqlReference[]
  /** `IN CLUSTER [id]`. */
  readonly cluster: string | null
  /** An index's relation (`ON [id AS …]`). */
  readonly indexed: string | null
}
export interface ClusterObject extends Base {
  readonly kind: 'cluster'
  readonly managed: boolean
  readonly size: string | null
  readonly replicationFactor: bigint | null
  readonly availabilityZones: readonly string[]
}
export interface ReplicaObject extends Base {
  readonly kind: 'replica'
  readonly cluster: string | null
  /** `Managed`, `Unmanaged`, … (the location variant), or `null`. */
  readonly location: string | null
  readonly size: string | null
  readonly availabilityZone: string | null
}
export interface RoleMembership {
  /** The role this role belongs to. */
  readonly role: string
  readonly grantor: string | null
}
export interface RoleObject extends Base {
  readonly kind: 'role'
  readonly inherit: boolean | null
  readonly memberOf: readonly RoleMembership[]
  readonly vars: readonly { readonly name: string; readonly value: string }[]
}

export type CatalogObject = DatabaseObject | SchemaObject | ItemObject | ClusterObject | ReplicaObject | RoleObject

/** A comment on an object (`column` set for a column's comment). */
export interface ObjectComment {
  readonly kind: ObjectKind
  readonly id: string
  readonly column: bigint | null
  readonly text: string
}

/** A system privilege grant (`system_privileges`). */
export interface SystemGrant extends Grant {}

/** Every named object, by kind and id, with comments and system privileges. */
export class CatalogObjects {
  readonly #byKind = new Map<ObjectKind, Map<string, CatalogObject>>()
  readonly comments: readonly ObjectComment[]
  readonly systemPrivileges: readonly SystemGrant[]
  /** Rows left out because they lack what their kind needs (an id or a name). */
  readonly skipped: number

  constructor(
    objects: readonly CatalogObject[],
    comments: readonly ObjectComment[],
    systemPrivileges: readonly SystemGrant[],
    skipped: number,
  ) {
    for (const k of OBJECT_KINDS) this.#byKind.set(k, new Map())
    for (const o of objects) this.#byKind.get(o.kind)!.set(o.id, o)
    this.comments = comments
    this.systemPrivileges = systemPrivileges
    this.skipped = skipped
  }

  /** The objects of one kind, in id order (system before user, then by number). */
  list<K extends ObjectKind>(kind: K): Extract<CatalogObject, { kind: K }>[] {
    return [...this.#byKind.get(kind)!.values()].sort((a, b) => compareIds(a.id, b.id)) as Extract<CatalogObject, { kind: K }>[]
  }

  get<K extends ObjectKind>(kind: K, id: string | null): Extract<CatalogObject, { kind: K }> | undefined {
    if (id === null) return undefined
    return this.#byKind.get(kind)!.get(id) as Extract<CatalogObject, { kind: K }> | undefined
  }

  /** Every object, kind by kind in {@link OBJECT_KINDS} order. */
  all(): CatalogObject[] {
    return OBJECT_KINDS.flatMap((k) => this.list(k))
  }

  /** A role's name (`PUBLIC` for `p`), or its id when the role is unknown. */
  roleName(id: string | null): string | null {
    if (id === null) return null
    if (id === 'p') return PUBLIC_ROLE_NAME
    return this.get('role', id)?.name ?? id
  }

  /**
   * The qualified name parts of an object: `[database, schema, item]` (the database left out for
   * an ambient schema), `[cluster, replica]`, or `[name]`. Unknown containers print as their id.
   */
  path(o: CatalogObject): string[] {
    switch (o.kind) {
      case 'schema': {
        if (o.database === null) return [o.name]
        return [this.get('database', o.database)?.name ?? o.database, o.name]
      }
      case 'item': {
        const schema = this.get('schema', o.schema)
        return [...(schema === undefined ? [o.schema ?? '?'] : this.path(schema)), o.name]
      }
      case 'replica':
        return [this.get('cluster', o.cluster)?.name ?? o.cluster ?? '?', o.name]
      default:
        return [o.name]
    }
  }

  /** {@link path} joined with dots, each part quoted when it needs it (`analytics.marts."odd.name"`). */
  fullName(o: CatalogObject): string {
    if (o.kind === 'role') return o.name
    return this.path(o).map(quoteNamePart).join('.')
  }
}

/** Quotes a name part that would not read back as itself (a dot, a quote, a space, upper case). */
function quoteNamePart(part: string): string {
  return /^[a-z_][a-z0-9_$@-]*$/.test(part) ? part : `"${part.replace(/"/g, '""')}"`
}

/** Id order: by prefix (`p` last, `s` before `u`), then by number. */
export function compareIds(a: string, b: string): number {
  const rank = (id: string): [string, bigint] => {
    const m = /^([a-z]+)(\d+)$/.exec(id)
    return m === null ? [id === 'p' ? '~' : id, 0n] : [m[1]!, BigInt(m[2]!)]
  }
  const [pa, na] = rank(a)
  const [pb, nb] = rank(b)
  if (pa !== pb) return pa < pb ? -1 : 1
  return na < nb ? -1 : na > nb ? 1 : 0
}
