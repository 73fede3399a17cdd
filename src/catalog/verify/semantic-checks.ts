/**
 * Semantic checks over decoded rows: references point at existing objects, names are unique where
 * Materialize's transaction makes them unique, and every id allocator is above the ids in use.
 */

import { decodeRow, type CollectionRow } from '../codec/row-codec.js'
import { canonicalJson, isJsonObject, type JsonObject, type JsonValue } from '../../json/lossless-json.js'
import { ID_ALLOC } from '../constants.js'
import { COLLECTIONS, uniquenessKey, type CollectionName } from '../kinds/collections.js'
import { finding, type Finding } from './findings.js'
import type { ItemFacts } from './item-facts.js'
import type { CatalogIndex } from './row-checks.js'
import { COMMENT_ITEM_OBJECTS } from '../kinds/item.js'

type Rows = readonly CollectionRow[]

function obj(v: JsonValue | undefined): JsonObject | undefined {
  return isJsonObject(v ?? null) ? (v as JsonObject) : undefined
}

/** `{"value":{"User":3}}` → `['User', 3n]`; `{"value":{"Public":{}}}` → `['Public', undefined]`. */
function idParts(id: JsonValue | undefined): [string, bigint | undefined] | undefined {
  const inner = obj(obj(id)?.value)
  if (inner === undefined) return undefined
  const tag = Object.keys(inner)[0]
  if (tag === undefined) return undefined
  const n = inner[tag]
  return [tag, typeof n === 'bigint' ? n : undefined]
}

/** Display form of an id: `u3`, `s1`, `p`, else its JSON. */
function idText(id: JsonValue | undefined): string {
  const p = idParts(id)
  if (p === undefined) return canonicalJson(id ?? null)
  if (p[0] === 'Public') return 'p'
  if (p[0] === 'System') return `s${p[1]}`
  if (p[0] === 'User') return `u${p[1]}`
  return `${p[0].toLowerCase()}${p[1] ?? ''}`
}

function rowsOf(c: CatalogIndex, name: CollectionName): Rows {
  return c.byCollection.get(name) ?? []
}

/** An item row decoded again from its stored text (it decoded when it was read). */
function itemRow(c: CatalogIndex, item: ItemFacts): CollectionRow {
  const r = decodeRow(item.raw, c.version)
  if (!r.ok || r.row.kind === 'Epoch') throw new Error(`an item row that decoded no longer does: ${item.raw.slice(0, 200)}`)
  return r.row
}

/** Index of a collection by its key's id field (`id`, or `gid` for items). */
function byId(rows: Rows, field: 'id' | 'gid'): Map<string, CollectionRow> {
  const m = new Map<string, CollectionRow>()
  for (const r of rows) m.set(canonicalJson(r.key[field] ?? null), r)
  return m
}

function nameOf(r: CollectionRow): string {
  const name = obj(r.value)?.name
  return typeof name === 'string' ? JSON.stringify(name) : '(unnamed)'
}

function describe(label: string, r: CollectionRow, field: 'id' | 'gid' = 'id'): string {
  return `${label} ${idText(r.key[field])} ${nameOf(r)}`
}

/** Referential integrity. */
export function checkReferences(c: CatalogIndex): Finding[] {
  const out: Finding[] = []
  const databases = byId(rowsOf(c, 'database'), 'id')
  const schemas = byId(rowsOf(c, 'schema'), 'id')
  const items = new Map<string, ItemFacts>()
  for (const item of c.items) items.set(item.gid, item)
  const roles = byId(rowsOf(c, 'role'), 'id')
  const clusters = byId(rowsOf(c, 'compute_instance'), 'id')
  const replicas = byId(rowsOf(c, 'compute_replicas'), 'id')

  const missing = (what: string, owner: string, ref: JsonValue | undefined, row: CollectionRow, target?: CollectionRow): void => {
    out.push(
      finding(
        'referential-integrity',
        'error',
        `${owner} refers to ${what} ${idText(ref)}, which does not exist`,
        target === undefined ? [row.raw] : [row.raw, target.raw],
      ),
    )
  }
  const role = (ref: JsonValue | undefined, owner: string, row: CollectionRow, what = 'role'): void => {
    if (ref === null || ref === undefined) {
      out.push(finding('referential-integrity', 'error', `${owner} has no ${what}`, [row.raw]))
    } else if (!roles.has(canonicalJson(ref))) {
      missing(what, owner, ref, row)
    }
  }
  const privileges = (v: JsonObject, owner: string, row: CollectionRow): void => {
    const list = v.privileges
    if (!Array.isArray(list)) return
    list.forEach((p, i) => {
      const item = obj(p)
      if (item === undefined) return
      role(item.grantee, `${owner} privilege #${i + 1}`, row, 'grantee role')
      role(item.grantor, `${owner} privilege #${i + 1}`, row, 'grantor role')
    })
  }
  const owned = (r: CollectionRow, label: string, field: 'id' | 'gid' = 'id'): JsonObject => {
    const v = obj(r.value) ?? {}
    const who = describe(label, r, field)
    role(v.owner_id, who, r, 'owner role')
    privileges(v, who, r)
    return v
  }

  for (const r of databases.values()) owned(r, 'database')
  for (const r of schemas.values()) {
    const v = owned(r, 'schema')
    if (v.database_id !== null && v.database_id !== undefined && !databases.has(canonicalJson(v.database_id))) {
      missing('database', describe('schema', r), v.database_id, r)
    }
  }
  for (const item of items.values()) {
    // The facts show most items fine; the others are read again to say what is wrong.
    if (item.schema !== undefined && schemas.has(item.schema) && item.roles?.every((x) => roles.has(x)) === true) continue
    const r = itemRow(c, item)
    const v = owned(r, 'item', 'gid')
    if (v.schema_id === null || v.schema_id === undefined) {
      out.push(finding('referential-integrity', 'error', `${describe('item', r, 'gid')} has no schema`, [r.raw]))
    } else if (!schemas.has(canonicalJson(v.schema_id))) {
      missing('schema', describe('item', r, 'gid'), v.schema_id, r)
    }
  }
  for (const r of clusters.values()) owned(r, 'cluster')
  for (const r of replicas.values()) {
    const v = owned(r, 'cluster replica')
    if (!clusters.has(canonicalJson(v.cluster_id ?? null))) missing('cluster', describe('cluster replica', r), v.cluster_id, r)
  }
  for (const r of rowsOf(c, 'compute_introspection_source_index')) {
    if (!clusters.has(canonicalJson(r.key.cluster_id ?? null))) {
      missing('cluster', `introspection source index ${JSON.stringify(r.key.name)}`, r.key.cluster_id, r)
    }
  }
  for (const r of roles.values()) {
    const map = obj(obj(r.value)?.membership)?.map
    if (!Array.isArray(map)) continue
    for (const e of map) {
      const entry = obj(e)
      if (entry === undefined) continue
      role(entry.key, `${describe('role', r)} membership`, r, 'role (member of)')
      role(entry.value, `${describe('role', r)} membership`, r, 'grantor role')
    }
  }
  for (const r of rowsOf(c, 'default_privileges')) {
    const who = `default privilege ${canonicalJson(r.key)}`
    role(r.key.role_id, who, r, 'role')
    role(r.key.grantee, who, r, 'grantee role')
    if (r.key.database_id !== null && r.key.database_id !== undefined && !databases.has(canonicalJson(r.key.database_id)))
      missing('database', who, r.key.database_id, r)
    if (r.key.schema_id !== null && r.key.schema_id !== undefined && !schemas.has(canonicalJson(r.key.schema_id)))
      missing('schema', who, r.key.schema_id, r)
  }
  for (const r of rowsOf(c, 'system_privileges')) {
    const who = `system privilege ${canonicalJson(r.key)}`
    role(r.key.grantee, who, r, 'grantee role')
    role(r.key.grantor, who, r, 'grantor role')
  }
  for (const r of rowsOf(c, 'comments')) checkCommentTarget(r, { databases, schemas, items, roles, clusters, replicas }, out)
  return out
}

interface Indexes {
  readonly databases: Map<string, CollectionRow>
  readonly schemas: Map<string, CollectionRow>
  readonly items: Map<string, unknown>
  readonly roles: Map<string, CollectionRow>
  readonly clusters: Map<string, CollectionRow>
  readonly replicas: Map<string, CollectionRow>
}

function checkCommentTarget(r: CollectionRow, ix: Indexes, out: Finding[]): void {
  const object = obj(r.key.object)
  const tag = object === undefined ? undefined : Object.keys(object)[0]
  if (object === undefined || tag === undefined) return
  const target = object[tag] as JsonValue
  const who = `comment on ${tag} ${idText(target)}`
  const gone = (what: string, ref: JsonValue | undefined): void => {
    out.push(finding('referential-integrity', 'error', `${who} refers to ${what} ${idText(ref)}, which does not exist`, [r.raw]))
  }
  const has = (m: Map<string, unknown>, ref: JsonValue | undefined): boolean => m.has(canonicalJson(ref ?? null))
  if (COMMENT_ITEM_OBJECTS.has(tag)) {
    // Builtin (System) items live in the binary, not in the item collection.
    if (idParts(target)?.[0] === 'User' && !has(ix.items, target)) gone('item', target)
  } else if (tag === 'Role') {
    if (!has(ix.roles, target)) gone('role', target)
  } else if (tag === 'Database') {
    if (!has(ix.databases, target)) gone('database', target)
  } else if (tag === 'Cluster') {
    if (!has(ix.clusters, target)) gone('cluster', target)
  } else if (tag === 'Schema') {
    const db = obj(obj(obj(target)?.database)?.spec)?.Id
    const schema = obj(obj(obj(target)?.schema)?.spec)?.Id
    if (db !== undefined && !has(ix.databases, db)) gone('database', db)
    if (schema !== undefined && !has(ix.schemas, schema)) gone('schema', schema)
  } else if (tag === 'ClusterReplica') {
    const t = obj(target)
    const replica = ix.replicas.get(canonicalJson(t?.replica_id ?? null))
    if (replica === undefined) gone('cluster replica', t?.replica_id)
    else if (canonicalJson(obj(replica.value)?.cluster_id ?? null) !== canonicalJson(t?.cluster_id ?? null)) {
      out.push(
        finding(
          'referential-integrity',
          'error',
          `${who} names replica ${idText(t?.replica_id)} of cluster ${idText(t?.cluster_id)}, but that replica belongs to cluster ${idText(obj(replica.value)?.cluster_id)}`,
          [r.raw, replica.raw],
        ),
      )
    }
  }
}

const RULE_LABELS: { readonly [C in CollectionName]?: string } = {
  database: 'database',
  schema: 'schema',
  item: 'item',
  role: 'role',
  compute_instance: 'cluster',
  compute_replicas: 'cluster replica',
}

/** Name uniqueness per Materialize's transaction rules. */
export function checkUniqueNames(c: CatalogIndex): Finding[] {
  const out: Finding[] = []
  for (const { name: collection, uniqueness: rule } of COLLECTIONS) {
    if (rule === undefined) continue
    // Rows by the text they share when their names clash; items as facts, read again if they clash.
    const groups = new Map<string, (CollectionRow | ItemFacts)[]>()
    const add = (k: string | null, r: CollectionRow | ItemFacts): void => {
      if (k === null) return
      const g = groups.get(k)
      if (g === undefined) groups.set(k, [r])
      else g.push(r)
    }
    if (collection === 'item') for (const item of c.items) add(item.uniqueness, item)
    else for (const r of rowsOf(c, collection)) add(uniquenessKey(collection, r.value), r)
    const field = collection === 'item' ? 'gid' : 'id'
    for (const members of groups.values()) {
      if (members.length < 2) continue
      const g = members.map((r) => ('kind' in r ? r : itemRow(c, r)))
      const first = g[0] as CollectionRow
      const v = obj(first.value) ?? {}
      const scope = rule.fields
        .filter((f) => f !== 'name')
        .map((f) => ` in ${f.replace(/_id$/, '')} ${v[f] === null ? '(none)' : idText(v[f])}`)
        .join('')
      out.push(
        finding(
          'unique-names',
          'error',
          `${rule.description} ${nameOf(first)}${scope} is used by ${g.length} ${RULE_LABELS[collection] ?? collection}s: ${g.map((r) => idText(r.key[field])).join(', ')}`,
          g.map((r) => r.raw),
        ),
      )
    }
  }
  return out
}

/** An id in use: the id, what holds it (`item u5`), and that row's stored text when known. */
export interface IdUse {
  readonly id: bigint
  readonly label: string
  readonly raw: string | undefined
}

/** Ids of one variant (`User`/`System`/any) in a key or value field. */
function collectIds(
  rows: Rows,
  pick: (r: CollectionRow) => JsonValue | undefined,
  variant: 'User' | 'System' | 'any',
  label: string,
): IdUse[] {
  const out: IdUse[] = []
  for (const r of rows) {
    const p = idParts(pick(r))
    if (p === undefined || p[1] === undefined) continue
    if (variant !== 'any' && p[0] !== variant) continue
    out.push({ id: p[1], label: `${label} ${idText(pick(r))}`, raw: r.raw })
  }
  return out
}

function plainIds(rows: Rows, pick: (r: CollectionRow) => JsonValue | undefined, label: string): IdUse[] {
  const out: IdUse[] = []
  for (const r of rows) {
    const n = pick(r)
    if (typeof n === 'bigint') out.push({ id: n, label: `${label} ${n}`, raw: r.raw })
  }
  return out
}

function auditEvent(r: CollectionRow): JsonObject | undefined {
  return obj(obj(r.key.event)?.V1)
}

function storageUsage(r: CollectionRow): JsonObject | undefined {
  return obj(obj(r.key.usage)?.V1)
}

/** The ids an allocator is responsible for, as a list of ids and a way to describe one of them. */
interface IdList {
  readonly ids: readonly bigint[]
  use(i: number): IdUse
}

const listOf = (uses: readonly IdUse[]): IdList => ({ ids: uses.map((u) => u.id), use: (i) => uses[i] as IdUse })

/** One id allocator: its row (absent: missing), and the ids in use that it allocated. */
export interface AllocatorStatus {
  readonly name: string
  readonly row: CollectionRow | undefined
  /** How many ids in use it allocated. */
  readonly inUse: number
  /** The highest of them. */
  readonly max: bigint | undefined
  /** The ids in use at or above `next`: how many, and the highest (the first found, if held twice). */
  above(next: bigint): { count: number; worst: IdUse } | undefined
}

function status(name: string, row: CollectionRow | undefined, list: IdList): AllocatorStatus {
  const { ids } = list
  let max: bigint | undefined
  for (const id of ids) if (max === undefined || id > max) max = id
  return {
    name,
    row,
    inUse: ids.length,
    max,
    above(next) {
      let count = 0
      let worst = -1
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i] as bigint
        if (id < next) continue
        count++
        if (worst < 0 || id > (ids[worst] as bigint)) worst = i
      }
      return worst < 0 ? undefined : { count, worst: list.use(worst) }
    },
  }
}

/** Every id allocator the catalog needs, with its row and the ids in use it is responsible for. */
export function allocatorStatus(c: CatalogIndex): AllocatorStatus[] {
  const allocators = new Map<string, CollectionRow>()
  for (const r of rowsOf(c, 'id_alloc')) if (typeof r.key.name === 'string') allocators.set(r.key.name, r)
  const key = (r: CollectionRow, f: string): JsonValue | undefined => r.key[f]
  const val = (r: CollectionRow, f: string): JsonValue | undefined => obj(r.value)?.[f]
  const items = (): IdList => {
    const users = c.items.filter((i) => i.userId !== undefined)
    return {
      ids: users.map((i) => i.userId as bigint),
      use: (i) => {
        const item = users[i] as ItemFacts
        return { id: item.userId as bigint, label: `item u${item.userId}`, raw: item.raw }
      },
    }
  }
  const large = (collection: CollectionName, label: string, pick: (r: CollectionRow) => JsonValue | undefined): IdList => {
    const ids = c.largeIds.get(collection)
    if (ids === undefined) return listOf(plainIds(rowsOf(c, collection), pick, label))
    // Only the row of the largest id is kept: the one a finding names.
    return {
      ids: ids.ids,
      use: (i) => {
        const id = ids.ids[i] as bigint
        return { id, label: `${label} ${id}`, raw: id === ids.maxId ? ids.max?.raw : undefined }
      },
    }
  }
  const uses: readonly (readonly [string, () => IdList])[] = [
    [ID_ALLOC.user, items],
    [
      ID_ALLOC.system,
      () =>
        listOf([
          ...plainIds(rowsOf(c, 'system_gid_mapping'), (r) => val(r, 'id'), 'builtin object id'),
          ...plainIds(rowsOf(c, 'compute_introspection_source_index'), (r) => val(r, 'index_id'), 'introspection source index id'),
        ]),
    ],
    [ID_ALLOC.database, () => listOf(collectIds(rowsOf(c, 'database'), (r) => key(r, 'id'), 'User', 'database'))],
    [ID_ALLOC.schema, () => listOf(collectIds(rowsOf(c, 'schema'), (r) => key(r, 'id'), 'any', 'schema'))],
    [ID_ALLOC.userRole, () => listOf(collectIds(rowsOf(c, 'role'), (r) => key(r, 'id'), 'User', 'role'))],
    [ID_ALLOC.userCluster, () => listOf(collectIds(rowsOf(c, 'compute_instance'), (r) => key(r, 'id'), 'User', 'cluster'))],
    [ID_ALLOC.systemCluster, () => listOf(collectIds(rowsOf(c, 'compute_instance'), (r) => key(r, 'id'), 'System', 'cluster'))],
    [ID_ALLOC.userReplica, () => listOf(collectIds(rowsOf(c, 'compute_replicas'), (r) => key(r, 'id'), 'User', 'cluster replica'))],
    [ID_ALLOC.systemReplica, () => listOf(collectIds(rowsOf(c, 'compute_replicas'), (r) => key(r, 'id'), 'System', 'cluster replica'))],
    [ID_ALLOC.auditLog, () => large('audit_log', 'audit event', (r) => auditEvent(r)?.id)],
    [ID_ALLOC.storageUsage, () => large('storage_usage', 'storage usage event', (r) => storageUsage(r)?.id)],
  ]
  return uses.map(([name, collect]) => status(name, allocators.get(name), collect()))
}

/** An allocator's `next_id`, when its row holds an integer one. */
export function allocatorNextId(row: CollectionRow): bigint | undefined {
  const next = obj(row.value)?.next_id
  return typeof next === 'bigint' ? next : undefined
}

/** Every id allocator is above every id it allocated. */
export function checkIdAllocators(c: CatalogIndex): Finding[] {
  const out: Finding[] = []
  for (const s of allocatorStatus(c)) {
    const { name, row: alloc } = s
    if (alloc === undefined) {
      out.push(
        finding(
          'id-allocators',
          'error',
          `id allocator ${JSON.stringify(name)} is missing${s.inUse > 0 ? ` (${s.inUse} ids in use)` : ''}`,
        ),
      )
      continue
    }
    const next = allocatorNextId(alloc)
    if (next === undefined) continue
    const above = s.above(next)
    if (above !== undefined) {
      const { count, worst } = above
      out.push(
        finding(
          'id-allocators',
          'error',
          `id allocator ${JSON.stringify(name)} has next_id ${next}, but ${worst.label} is in use${count > 1 ? ` (and ${count - 1} more at or above ${next})` : ''}: the next allocation would reuse an id`,
          [alloc.raw, worst.raw as string],
        ),
      )
    }
  }
  return out
}
