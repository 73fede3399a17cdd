/**
 * `describe`: one object with everything an operator asks about it, ids turned into names: its
 * owner, privileges (AclMode bits decoded as `SHOW PRIVILEGES` names them), container, comments,
 * and per kind a cluster's replicas and items, a role's memberships both ways, an item's
 * references and dependents (from the resolved ids in `create_sql`). The neighbours are read from
 * the on-disk index by queries, each list in id order.
 */
import { ACL_MODE_BITS, aclModeLetters, unknownAclBits } from '../kinds/enums.js'
import type { CatalogObject, CatalogObjects, Grant, ObjectHead, ObjectKind } from './catalog-objects.js'
import type { Scan } from './object-index.js'

/** A named object as a description points at it. */
export interface ObjectRef {
  readonly kind: ObjectKind
  readonly id: string
  /** The full name (`analytics.marts.daily_revenue`). */
  readonly name: string
  /** Items only: `Table`, `MaterializedView`, … (`null` when unreadable). */
  readonly itemType?: string | null
}

export interface RoleRef {
  readonly id: string
  readonly name: string
}

/** One grant, decoded. */
export interface PrivilegeView {
  readonly grantee: RoleRef
  readonly grantor: RoleRef
  readonly bits: bigint
  /** `UC`, as `mz_aclitem` prints it. */
  readonly letters: string
  /** `["USAGE", "CREATE"]`, `["CREATEROLE"]`: the names and order of `SHOW PRIVILEGES`. */
  readonly privileges: readonly string[]
  /** Bits no privilege uses (environmentd would refuse them), or 0n. */
  readonly unknownBits: bigint
}

/** A reference from an item's `create_sql`: resolved to a catalog object when the catalog holds it. */
interface ReferenceView {
  readonly id: string
  /** The object's current full name, or the name written in the SQL when the catalog has no such item (a builtin). */
  readonly name: string
  /** Whether the catalog's `item` collection holds the id (builtins such as `pg_catalog.int4` do not). */
  readonly inCatalog: boolean
  readonly itemType: string | null
}

export interface MembershipView {
  readonly role: RoleRef
  readonly grantor: RoleRef | null
}

export interface ReplicaView {
  readonly id: string
  readonly name: string
  readonly location: string | null
  readonly size: string | null
  readonly availabilityZone: string | null
  readonly owner: RoleRef | null
}

export interface Description {
  readonly object: ObjectRef
  /** The name without qualifiers. */
  readonly shortName: string
  readonly owner: RoleRef | null
  readonly database: ObjectRef | null
  readonly schema: ObjectRef | null
  /** A replica's cluster, or the cluster an item runs in (`IN CLUSTER`). */
  readonly cluster: ObjectRef | null
  readonly privileges: readonly PrivilegeView[]
  readonly comments: readonly { readonly column: bigint | null; readonly text: string }[]
  /** What the object contains: a database's schemas, a schema's items, a cluster's items. */
  readonly contents: readonly ObjectRef[]
  /** Clusters: the configuration. */
  readonly clusterConfig?: {
    readonly managed: boolean
    readonly size: string | null
    readonly replicationFactor: bigint | null
    readonly availabilityZones: readonly string[]
  }
  /** Clusters: their replicas; replicas: themselves. */
  readonly replicas?: readonly ReplicaView[]
  readonly item?: {
    readonly createSql: string | null
    readonly references: readonly ReferenceView[]
    /** Items whose `create_sql` refers to this one. */
    readonly dependents: readonly ObjectRef[]
    /** An index's relation. */
    readonly indexes: ObjectRef | null
  }
  readonly role?: {
    readonly inherit: boolean | null
    readonly memberOf: readonly MembershipView[]
    readonly members: readonly MembershipView[]
    readonly systemPrivileges: readonly PrivilegeView[]
    readonly vars: readonly { readonly name: string; readonly value: string }[]
    /** Every object this role owns. */
    readonly owns: readonly ObjectRef[]
  }
}

/** A reference to `o`. */
export function objectRef(objects: CatalogObjects, o: ObjectHead): ObjectRef {
  const ref: ObjectRef = { kind: o.kind, id: o.id, name: objects.fullName(o) }
  return o.kind === 'item' ? { ...ref, itemType: o.itemType } : ref
}

function roleRef(objects: CatalogObjects, id: string): RoleRef {
  return { id, name: objects.roleName(id) ?? id }
}

/**
 * The order `SHOW PRIVILEGES` and Materialize's messages list privileges in (`AclMode::explode` in
 * `src/repr/src/adt/mz_acl_item.rs`: SELECT before INSERT), with their names there (`CREATEROLE`).
 */
const PRIVILEGE_NAME_ORDER = [
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'USAGE',
  'CREATE',
  'CREATE_ROLE',
  'CREATE_DB',
  'CREATE_CLUSTER',
] as const
const BIT_OF: ReadonlyMap<string, bigint> = new Map(ACL_MODE_BITS.map((b) => [b.name, b.bit]))

/** Decodes one grant. */
function privilegeView(objects: CatalogObjects, g: Grant): PrivilegeView {
  return {
    grantee: roleRef(objects, g.grantee),
    grantor: roleRef(objects, g.grantor),
    bits: g.bits,
    letters: aclModeLetters(g.bits),
    privileges: PRIVILEGE_NAME_ORDER.filter((name) => (g.bits & BIT_OF.get(name)!) !== 0n).map((name) => name.replace(/_/g, '')),
    unknownBits: unknownAclBits(g.bits),
  }
}

function refOf(objects: CatalogObjects, kind: ObjectKind, id: string | null): ObjectRef | null {
  const o = objects.head(kind, id)
  return o === undefined ? (id === null ? null : { kind, id, name: id }) : objectRef(objects, o)
}

function replicaView(objects: CatalogObjects, r: Extract<CatalogObject, { kind: 'replica' }>): ReplicaView {
  return {
    id: r.id,
    name: r.name,
    location: r.location,
    size: r.size,
    availabilityZone: r.availabilityZone,
    owner: r.owner === null ? null : roleRef(objects, r.owner),
  }
}

/** References to the objects a scan selects, in id order. */
function refsOf(objects: CatalogObjects, scan: Scan): ObjectRef[] {
  return Array.from(objects.scan(scan), (o) => objectRef(objects, o))
}

/** What `o` contains: a database's schemas, a schema's items, the items that run in a cluster. */
function contentsOf(objects: CatalogObjects, o: CatalogObject): ObjectRef[] {
  if (o.kind === 'database') return refsOf(objects, { kind: 'schema', parent: o.id })
  if (o.kind === 'schema') return refsOf(objects, { kind: 'item', parent: o.id })
  if (o.kind === 'cluster') return refsOf(objects, { clusterOfItems: o.id })
  return []
}

/** Describes `o`, reading its neighbours from the catalog's objects. */
export function describeObject(objects: CatalogObjects, o: CatalogObject): Description {
  let database: ObjectRef | null = null
  let schema: ObjectRef | null = null
  let cluster: ObjectRef | null = null
  if (o.kind === 'schema') database = refOf(objects, 'database', o.database)
  if (o.kind === 'item') {
    schema = refOf(objects, 'schema', o.schema)
    const s = objects.head('schema', o.schema)
    database = s?.kind !== 'schema' ? null : refOf(objects, 'database', s.database)
    cluster = refOf(objects, 'cluster', o.cluster)
  }
  if (o.kind === 'replica') cluster = refOf(objects, 'cluster', o.cluster)
  const base: Description = {
    object: objectRef(objects, o),
    shortName: o.name,
    owner: o.owner === null ? null : roleRef(objects, o.owner),
    database,
    schema,
    cluster,
    privileges: o.privileges.map((g) => privilegeView(objects, g)),
    comments: objects.index.commentsOf(o.kind, o.id),
    contents: contentsOf(objects, o),
  }
  switch (o.kind) {
    case 'cluster':
      return {
        ...base,
        clusterConfig: { managed: o.managed, size: o.size, replicationFactor: o.replicationFactor, availabilityZones: o.availabilityZones },
        replicas: Array.from(objects.scan({ kind: 'replica', parent: o.id }), (r) => replicaView(objects, objects.get('replica', r.id)!)),
      }
    case 'replica':
      return { ...base, replicas: [replicaView(objects, o)] }
    case 'item':
      return {
        ...base,
        item: {
          createSql: o.createSql,
          references: o.references.map((r) => {
            const target = objects.head('item', r.id)
            return target?.kind !== 'item'
              ? { id: r.id, name: r.path.join('.'), inCatalog: false, itemType: null }
              : { id: r.id, name: objects.fullName(target), inCatalog: true, itemType: target.itemType }
          }),
          dependents: refsOf(objects, { referencing: o.id }),
          indexes: o.indexed === null ? null : refOf(objects, 'item', o.indexed),
        },
      }
    case 'role': {
      const membership = (role: string, grantor: string | null): MembershipView => ({
        role: roleRef(objects, role),
        grantor: grantor === null ? null : roleRef(objects, grantor),
      })
      const members: MembershipView[] = []
      for (const r of objects.scan({ membersOf: o.id })) {
        for (const m of objects.get('role', r.id)?.memberOf ?? []) if (m.role === o.id) members.push(membership(r.id, m.grantor))
      }
      return {
        ...base,
        role: {
          inherit: o.inherit,
          memberOf: o.memberOf.map((m) => membership(m.role, m.grantor)),
          members,
          systemPrivileges: objects.systemPrivileges.filter((g) => g.grantee === o.id).map((g) => privilegeView(objects, g)),
          vars: o.vars,
          owns: refsOf(objects, { owner: o.id }),
        },
      }
    }
    default:
      return base
  }
}
