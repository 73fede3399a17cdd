/** `referential-integrity`: every reference names an object that exists. */

import { canonicalJson, type JsonObject, type JsonValue } from '../../json/lossless-json.js'
import type { CollectionRow } from '../codec/row-codec.js'
import { COMMENT_ITEM_OBJECTS } from '../kinds/item.js'
import { finding, type Finding } from './findings.js'
import { byId, describe, idParts, idText, obj, rowsOf } from './ids.js'
import type { ItemRows } from './item-rows.js'
import type { CatalogIndex } from './row-checks.js'

/** Referential integrity. */
export function checkReferences(c: CatalogIndex, rows: ItemRows): Finding[] {
  const out: Finding[] = []
  const databases = byId(rowsOf(c, 'database'), 'id')
  const schemas = byId(rowsOf(c, 'schema'), 'id')
  const items = c.items
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
  // One item per gid (the last read), in the order the gids first appear, of those the facts do
  // not show fine (picked on disk); they are read again to say what is wrong.
  const suspects = items.suspects(
    (schema) => schemas.has(schema),
    (list) => list.every((x) => roles.has(x)),
  )
  for (const item of suspects) {
    const r = rows.row(item)
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
  readonly items: { hasGid(gid: string): boolean }
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
    if (idParts(target)?.[0] === 'User' && !ix.items.hasGid(canonicalJson(target ?? null))) gone('item', target)
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
