/**
 * The catalog's named objects (databases, schemas, items, clusters, replicas, roles) with their
 * ids in display form, kind by kind, with comments and system grants. Built from the current rows
 * of their collections by `objects-builder.ts`, which `load-objects.ts` feeds.
 */
import { PUBLIC_ROLE_NAME } from './ids.js'
import type { ObjectIndex, Scan } from './object-index.js'
import type { SqlReference } from './sql-references.js'

export const OBJECT_KINDS = ['database', 'schema', 'item', 'cluster', 'replica', 'role'] as const
export type ObjectKind = (typeof OBJECT_KINDS)[number]

/** One `MzAclItem`: role ids and the raw AclMode bits. */
export interface Grant {
  readonly grantee: string
  readonly grantor: string
  readonly bits: bigint
}

/** What every object has, and what the queries of find, describe and graph read (kept on disk). */
interface Head {
  readonly id: string
  readonly name: string
  /** The owner's role id (`null` when the row has none: roles, or a damaged row). */
  readonly owner: string | null
}
interface DatabaseHead extends Head {
  readonly kind: 'database'
}
interface SchemaHead extends Head {
  readonly kind: 'schema'
  /** `null` for the ambient (system) schemas. */
  readonly database: string | null
}
interface ItemHead extends Head {
  readonly kind: 'item'
  readonly schema: string | null
  /** From the `CREATE` head (`Table`, `MaterializedView`, …), or `null` when unreadable. */
  readonly itemType: string | null
  /** `IN CLUSTER [id]`. */
  readonly cluster: string | null
  /** An index's relation (`ON [id AS …]`). */
  readonly indexed: string | null
}
interface ClusterHead extends Head {
  readonly kind: 'cluster'
}
interface ReplicaHead extends Head {
  readonly kind: 'replica'
  readonly cluster: string | null
}
interface RoleHead extends Head {
  readonly kind: 'role'
}
/** An object as a scan returns it: enough to name it, place it and draw its edges. */
export type ObjectHead = DatabaseHead | SchemaHead | ItemHead | ClusterHead | ReplicaHead | RoleHead

interface Privileged {
  readonly privileges: readonly Grant[]
}
interface DatabaseObject extends DatabaseHead, Privileged {}
interface SchemaObject extends SchemaHead, Privileged {}
export interface ItemObject extends ItemHead, Privileged {
  readonly createSql: string | null
  readonly references: readonly SqlReference[]
}
export interface ClusterObject extends ClusterHead, Privileged {
  readonly managed: boolean
  readonly size: string | null
  readonly replicationFactor: bigint | null
  readonly availabilityZones: readonly string[]
}
export interface ReplicaObject extends ReplicaHead, Privileged {
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
export interface RoleObject extends RoleHead, Privileged {
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

/** Heads of containers and roles remembered at most, so that naming many items reads each once. */
const CACHED_HEADS = 4096

/**
 * Every named object, with comments and system privileges. The objects live in an on-disk index
 * ({@link ObjectIndex}); what memory holds is a bounded cache of the heads that names and edges
 * refer to (databases, schemas, clusters, roles) and the system grants. Close it when done (it
 * holds a scratch database).
 */
export class CatalogObjects {
  readonly #index: ObjectIndex
  readonly #heads = new Map<string, ObjectHead | null>()
  readonly systemPrivileges: readonly SystemGrant[]
  /** Rows left out because they lack what their kind needs (an id or a name). */
  readonly skipped: number

  constructor(index: ObjectIndex, systemPrivileges: readonly SystemGrant[], skipped: number) {
    this.#index = index
    this.systemPrivileges = systemPrivileges
    this.skipped = skipped
  }

  /** The on-disk index, for the queries of find, describe and graph. */
  get index(): ObjectIndex {
    return this.#index
  }

  /** One object with every field, or `undefined`. */
  get<K extends ObjectKind>(kind: K, id: string | null): Extract<CatalogObject, { kind: K }> | undefined {
    if (id === null) return undefined
    return this.#index.object(kind, id) as Extract<CatalogObject, { kind: K }> | undefined
  }

  /** One object's head (what a scan returns), or `undefined`; containers' and roles' from the cache. */
  head(kind: ObjectKind, id: string | null): ObjectHead | undefined {
    if (id === null) return undefined
    if (kind === 'item' || kind === 'replica') return this.#index.head(kind, id)
    const key = `${kind}:${id}`
    let h = this.#heads.get(key)
    if (h === undefined) {
      if (this.#heads.size >= CACHED_HEADS) this.#heads.clear()
      h = this.#index.head(kind, id) ?? null
      this.#heads.set(key, h)
    }
    return h ?? undefined
  }

  /** Whether the catalog holds an object of `kind` with `id`. */
  has(kind: ObjectKind, id: string | null): boolean {
    return this.head(kind, id) !== undefined
  }

  /** The objects a scan selects, in id order (see {@link Scan}). */
  scan(scan: Scan): Iterable<ObjectHead> {
    return this.#index.scan(scan)
  }

  /** A role's name (`PUBLIC` for `p`), or its id when the role is unknown. */
  roleName(id: string | null): string | null {
    if (id === null) return null
    if (id === 'p') return PUBLIC_ROLE_NAME
    return this.head('role', id)?.name ?? id
  }

  /**
   * The qualified name parts of an object: `[database, schema, item]` (the database left out for
   * an ambient schema), `[cluster, replica]`, or `[name]`. Unknown containers print as their id.
   */
  path(o: ObjectHead): string[] {
    switch (o.kind) {
      case 'schema': {
        if (o.database === null) return [o.name]
        return [this.head('database', o.database)?.name ?? o.database, o.name]
      }
      case 'item': {
        const schema = this.head('schema', o.schema)
        return [...(schema === undefined ? [o.schema ?? '?'] : this.path(schema)), o.name]
      }
      case 'replica':
        return [this.head('cluster', o.cluster)?.name ?? o.cluster ?? '?', o.name]
      default:
        return [o.name]
    }
  }

  /** {@link path} joined with dots, each part quoted when it needs it (`analytics.marts."odd.name"`). */
  fullName(o: ObjectHead): string {
    if (o.kind === 'role') return o.name
    return this.path(o).map(quoteNamePart).join('.')
  }

  /** Lets go of the on-disk index (its file is gone with it). */
  close(): void {
    this.#index.close()
  }
}

/** Quotes a name part that would not read back as itself (a dot, a quote, a space, upper case). */
function quoteNamePart(part: string): string {
  return /^[a-z_][a-z0-9_$@-]*$/.test(part) ? part : `"${part.replace(/"/g, '""')}"`
}

/**
 * The sort key of an id, in two texts ordered as {@link compareIds} orders ids: the prefix (`~`
 * for `p`, so it sorts last) and the number as its digit count then its digits.
 */
export function idOrder(id: string): [prefix: string, number: string] {
  const m = /^([a-z]+)(\d+)$/.exec(id)
  if (m === null) return [id === 'p' ? '~' : id, '00000010']
  const digits = BigInt(m[2]!).toString()
  return [m[1]!, `${String(digits.length).padStart(7, '0')}${digits}`]
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
