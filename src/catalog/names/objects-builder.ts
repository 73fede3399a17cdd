/**
 * Turning the current rows of the object collections into {@link CatalogObjects}: one maker per
 * kind (the key field holding the id, the fields each kind needs), comments and system grants,
 * and a builder that takes rows one by one in any order and writes them to the on-disk index. A row missing what its kind needs is left
 * out and counted, never guessed.
 */
import type { JsonValue } from '../../json/lossless-json.js'
import { flatString } from '../flat-string.js'
import {
  CatalogObjects,
  compareIds,
  type CatalogObject,
  type ClusterObject,
  type Grant,
  type ItemObject,
  type ObjectComment,
  type ObjectKind,
  type ReplicaObject,
  type RoleMembership,
  type RoleObject,
  type SystemGrant,
} from './catalog-objects.js'
import { idText } from './ids.js'
import { ObjectIndex } from './object-index.js'
import { readCreateSql } from './sql-references.js'

/** The collections whose current rows the builder takes. */
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
 * each row go: every object goes to the on-disk index (the last row of a kind and id wins); only
 * the system grants (a handful) stay in memory. Call {@link finish} at the end, or
 * {@link abandon} when reading fails.
 */
export class CatalogObjectsBuilder {
  readonly #index = new ObjectIndex()
  readonly #systemPrivileges: SystemGrant[] = []
  #skipped = 0

  /** One current row of `collection`. */
  add(collection: ObjectCollection, r: Row): void {
    if (collection === 'comments') {
      const key = obj(r.key)
      const c = key === undefined ? undefined : commentOf(key, obj(r.value))
      if (c === undefined) this.#skipped++
      else this.#index.addComment(c)
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
    if (id === null || v === undefined || typeof v.name !== 'string') {
      this.#skipped++
      return
    }
    this.#index.add(make(id, v))
  }

  /** A row left out before it got here (it does not decode). */
  skip(): void {
    this.#skipped++
  }

  /**
   * The objects, indexed. System grants are listed by grantee, then grantor: the order of their
   * keys, whatever order the rows came in (comments are ordered by the queries that read them).
   */
  finish(): CatalogObjects {
    this.#index.finishLoading()
    this.#systemPrivileges.sort((a, b) => compareIds(a.grantee, b.grantee) || compareIds(a.grantor, b.grantor))
    return new CatalogObjects(this.#index, this.#systemPrivileges, this.#skipped)
  }

  /** Lets go of what was built (reading failed). */
  abandon(): void {
    this.#index.close()
  }
}
