/**
 * The catalog's named objects (databases, schemas, items, clusters, replicas, roles) with their
 * ids in display form, built from the current rows of their collections, row by row, in any
 * order. Pure: the rows come from `load-objects.ts`. A row missing the fields a kind needs is left out (and counted), never guessed.
 */
import type { JsonValue } from '../../json/lossless-json.js'
import { flatString } from '../flat-string.js'
import { idText, PUBLIC_ROLE_NAME } from './ids.js'
import { readCreateSql, type SqlReference } from './sql-references.js'

const OBJECT_KINDS = ['database', 'schema', 'item', 'cluster', 'replica', 'role'] as const
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
interface ItemObject extends Base {
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
interface ClusterObject extends Base {
  readonly kind: 'cluster'
  readonly managed: boolean
  readonly size: string | null
  readonly replicationFactor: bigint | null
  readonly availabilityZones: readonly string[]
}
interface ReplicaObject extends Base {
  readonly kind: 'replica'
  readonly cluster: string | null
  /** `Managed`, `Unmanaged`, … (the location variant), or `null`. */
  readonly location: string | null
  readonly size: string | null
  readonly availabilityZone: string | null
}
interface RoleMembership {
  /** The role this role belongs to. */
  readonly role: string
  readonly grantor: string | null
}
interface RoleObject extends Base {
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

/** The current rows `buildCatalogObjects` reads, by collection. */
interface ObjectRows {
  readonly database: readonly Row[]
  readonly schema: readonly Row[]
  readonly item: readonly Row[]
  readonly compute_instance: readonly Row[]
  readonly compute_replicas: readonly Row[]
  readonly role: readonly Row[]
  readonly comments: readonly Row[]
  readonly system_privileges: readonly Row[]
}
interface Row {
  readonly key: JsonValue
  readonly value: JsonValue
}

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
function compareIds(a: string, b: string): number {
  const rank = (id: string): [string, bigint] => {
    const m = /^([a-z]+)(\d+)$/.exec(id)
    return m === null ? [id === 'p' ? '~' : id, 0n] : [m[1]!, BigInt(m[2]!)]
  }
  const [pa, na] = rank(a)
  const [pb, nb] = rank(b)
  if (pa !== pb) return pa < pb ? -1 : 1
  return na < nb ? -1 : na > nb ? 1 : 0
}

type Obj = Readonly<Record<string, JsonValue>>

function obj(v: JsonValue | undefined): Obj | undefined {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v : undefined
}

/**
 * A string field, as a standalone copy: the decoder's strings are views into the stored row's
 * text, and an object kept for the whole command must not keep its row alive.
 */
function str(v: JsonValue | undefined): string | null {
  return typeof v === 'string' ? flatString(v) : null
}

function grants(v: JsonValue | undefined): Grant[] {
  if (!Array.isArray(v)) return []
  const out: Grant[] = []
  for (const item of v) {
    const g = obj(item)
    const grantee = idText(g?.grantee)
    const bits = obj(g?.acl_mode)?.bitflags
    if (grantee === null || typeof bits !== 'bigint') continue
    out.push({ grantee, grantor: idText(g?.grantor) ?? '?', bits })
  }
  return out
}

/** The only variant of a oneof-shaped object: `{"Managed": {...}}` → `["Managed", {...}]`. */
function variant(v: JsonValue | undefined): [string, Obj | undefined] | undefined {
  const o = obj(v)
  if (o === undefined) return undefined
  const first = Object.entries(o)[0]
  return first === undefined ? undefined : [first[0], obj(first[1])]
}

function clusterObject(id: string, v: Obj): ClusterObject {
  const config = variant(obj(v.config)?.variant)
  const managed = config?.[0] === 'Managed' ? config[1] : undefined
  const zones = managed?.availability_zones
  const factor = managed?.replication_factor
  return {
    kind: 'cluster',
    id,
    name: str(v.name) ?? '',
    owner: idText(v.owner_id),
    privileges: grants(v.privileges),
    managed: managed !== undefined,
    size: str(managed?.size),
    replicationFactor: typeof factor === 'bigint' ? factor : null,
    availabilityZones: Array.isArray(zones) ? zones.flatMap((z) => (typeof z === 'string' ? [flatString(z)] : [])) : [],
  }
}

function replicaObject(id: string, v: Obj): ReplicaObject {
  const location = variant(obj(v.config)?.location)
  return {
    kind: 'replica',
    id,
    name: str(v.name) ?? '',
    owner: idText(v.owner_id),
    privileges: [],
    cluster: idText(v.cluster_id),
    location: location?.[0] ?? null,
    size: str(location?.[1]?.size),
    availabilityZone: str(location?.[1]?.availability_zone),
  }
}

function itemObject(id: string, v: Obj): ItemObject {
  const def = variant(obj(v.definition)?.value)
  const sql = str(def?.[1]?.create_sql)
  const facts = sql === null ? undefined : readCreateSql(sql)
  return {
    kind: 'item',
    id,
    name: str(v.name) ?? '',
    owner: idText(v.owner_id),
    privileges: grants(v.privileges),
    schema: idText(v.schema_id),
    itemType: facts?.itemType ?? null,
    createSql: sql,
    references: (facts?.references ?? []).filter((r) => r.id !== id),
    cluster: facts?.clusterId ?? null,
    indexed: facts?.indexedId ?? null,
  }
}

function roleObject(id: string, v: Obj): RoleObject {
  const map = obj(v.membership)?.map
  const entries = obj(v.vars)?.entries
  const memberOf: RoleMembership[] = []
  for (const e of Array.isArray(map) ? map : []) {
    const role = idText(obj(e)?.key)
    if (role !== null) memberOf.push({ role, grantor: idText(obj(e)?.value) })
  }
  const vars: { name: string; value: string }[] = []
  for (const e of Array.isArray(entries) ? entries : []) {
    const name = str(obj(e)?.key)
    if (name === null) continue
    const val = obj(obj(e)?.val)
    const set = obj(val?.SqlSet)?.entries
    const value = typeof val?.Flat === 'string' ? flatString(val.Flat) : Array.isArray(set) ? flatString(set.join(', ')) : ''
    vars.push({ name, value })
  }
  const inherit = obj(v.attributes)?.inherit
  return {
    kind: 'role',
    id,
    name: str(v.name) ?? '',
    owner: null,
    privileges: [],
    inherit: typeof inherit === 'boolean' ? inherit : null,
    memberOf,
    vars,
  }
}

const COMMENT_TARGETS: Readonly<Record<string, ObjectKind>> = {
  Role: 'role',
  Database: 'database',
  Schema: 'schema',
  Cluster: 'cluster',
  ClusterReplica: 'replica',
}

function commentOf(key: Obj, value: Obj | undefined): ObjectComment | undefined {
  const target = variant(key.object)
  const text = str(value?.comment)
  if (target === undefined || text === null) return undefined
  const [variantName, inner] = target
  const kind = COMMENT_TARGETS[variantName] ?? 'item'
  let id: string | null
  if (kind === 'schema') id = idText(obj(obj(inner?.schema)?.spec)?.Id)
  else if (kind === 'replica') id = idText(inner?.replica_id)
  else id = idText(inner as JsonValue)
  if (id === null) return undefined
  const position = obj(key.sub_component)?.ColumnPos
  const column = typeof position === 'bigint' ? position : null
  return { kind, id, column, text }
}

type ObjectCollection = keyof ObjectRows

/** How each object collection's rows become objects: the key field holding the id, and the maker. */
const OBJECT_MAKERS: Readonly<
  Record<Exclude<ObjectCollection, 'comments' | 'system_privileges'>, readonly [string, (id: string, v: Obj) => CatalogObject]>
> = {
  database: [
    'id',
    (id, v) => ({ kind: 'database', id, name: str(v.name) as string, owner: idText(v.owner_id), privileges: grants(v.privileges) }),
  ],
  schema: [
    'id',
    (id, v) => ({
      kind: 'schema',
      id,
      name: str(v.name) as string,
      owner: idText(v.owner_id),
      privileges: grants(v.privileges),
      database: idText(v.database_id),
    }),
  ],
  item: ['gid', itemObject],
  compute_instance: ['id', clusterObject],
  compute_replicas: ['id', replicaObject],
  role: ['id', roleObject],
}

/**
 * Builds the objects row by row, in any order, so a reader can stream a collection into it and let
 * each row go (only the objects are kept, never the rows they came from).
 */
export class CatalogObjectsBuilder {
  readonly #objects: CatalogObject[] = []
  readonly #comments: ObjectComment[] = []
  readonly #systemPrivileges: SystemGrant[] = []
  #skipped = 0

  /** One current row of `collection`. */
  add(collection: ObjectCollection, r: Row): void {
    if (collection === 'comments') {
      const key = obj(r.key)
      const c = key === undefined ? undefined : commentOf(key, obj(r.value))
      if (c === undefined) this.#skipped++
      else this.#comments.push(c)
      return
    }
    if (collection === 'system_privileges') {
      const grantee = idText(obj(r.key)?.grantee)
      const bits = obj(obj(r.value)?.acl_mode)?.bitflags
      if (grantee === null || typeof bits !== 'bigint') this.#skipped++
      else this.#systemPrivileges.push({ grantee, grantor: idText(obj(r.key)?.grantor) ?? '?', bits })
      return
    }
    const [keyField, make] = OBJECT_MAKERS[collection]
    const id = idText(obj(r.key)?.[keyField])
    const v = obj(r.value)
    if (id === null || v === undefined || typeof v.name !== 'string') this.#skipped++
    else this.#objects.push(make(id, v))
  }

  /** A row left out before it got here (it does not decode). */
  skip(): void {
    this.#skipped++
  }

  /**
   * The objects. Comments are listed by object, then the object's own before its columns' by
   * position, and system grants by grantee, then grantor: the order of their keys, whatever order
   * the rows came in.
   */
  finish(): CatalogObjects {
    const byColumn = (a: bigint | null, b: bigint | null): number => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1)
    this.#comments.sort(
      (a, b) => OBJECT_KINDS.indexOf(a.kind) - OBJECT_KINDS.indexOf(b.kind) || compareIds(a.id, b.id) || byColumn(a.column, b.column),
    )
    this.#systemPrivileges.sort((a, b) => compareIds(a.grantee, b.grantee) || compareIds(a.grantor, b.grantor))
    return new CatalogObjects(this.#objects, this.#comments, this.#systemPrivileges, this.#skipped)
  }
}
