/**
 * `describe`: one object as labelled lines and tables (kubectl's describe), or as one JSON document
 * (`-o json` pretty, `-o ndjson` on one line: a description is one record).
 */
import type { JsonObject, JsonValue } from '../json/lossless-json.js'
import type { Description, MembershipView, ObjectRef, PrivilegeView, ReplicaView, RoleRef } from '../catalog/names/index.js'
import { jsonDocument, type JsonFormat } from './json-text.js'
import { renderTable, tableChunks } from './table.js'

const refJson = (r: ObjectRef | null): JsonValue =>
  r === null ? null : { kind: r.kind, id: r.id, name: r.name, ...(r.itemType === undefined ? {} : { item_type: r.itemType }) }
const roleJson = (r: RoleRef | null): JsonValue => (r === null ? null : { id: r.id, name: r.name })

function privilegeJson(p: PrivilegeView): JsonObject {
  return {
    grantee: roleJson(p.grantee),
    grantor: roleJson(p.grantor),
    acl_mode: p.bits,
    acl: aclText(p),
    privileges: [...p.privileges],
    ...(p.unknownBits === 0n ? {} : { unknown_bits: p.unknownBits }),
  }
}

const membershipJson = (m: MembershipView): JsonObject => ({ role: roleJson(m.role), grantor: roleJson(m.grantor) })

const replicaJson = (r: ReplicaView): JsonObject => ({
  id: r.id,
  name: r.name,
  location: r.location,
  size: r.size,
  availability_zone: r.availabilityZone,
  owner: roleJson(r.owner),
})

/** The description as the JSON document `-o json` prints (snake_case, ids and names side by side). */
function describeJson(d: Description): JsonObject {
  const o: JsonObject = {
    kind: d.object.kind,
    id: d.object.id,
    name: d.shortName,
    full_name: d.object.name,
  }
  if (d.object.itemType !== undefined) o.item_type = d.object.itemType
  o.owner = roleJson(d.owner)
  o.database = refJson(d.database)
  o.schema = refJson(d.schema)
  o.cluster = refJson(d.cluster)
  o.privileges = d.privileges.map(privilegeJson)
  o.comments = d.comments.map((c) => ({ column: c.column, comment: c.text }))
  o.contents = d.contents.map(refJson)
  if (d.clusterConfig !== undefined) {
    const c = d.clusterConfig
    o.config = { managed: c.managed, size: c.size, replication_factor: c.replicationFactor, availability_zones: [...c.availabilityZones] }
  }
  if (d.replicas !== undefined) o.replicas = d.replicas.map(replicaJson)
  if (d.item !== undefined) {
    o.create_sql = d.item.createSql
    o.indexes = refJson(d.item.indexes)
    o.references = d.item.references.map((r) => ({ id: r.id, name: r.name, in_catalog: r.inCatalog, item_type: r.itemType }))
    o.dependents = d.item.dependents.map(refJson)
  }
  if (d.role !== undefined) {
    const r = d.role
    o.inherit = r.inherit
    o.member_of = r.memberOf.map(membershipJson)
    o.members = r.members.map(membershipJson)
    o.system_privileges = r.systemPrivileges.map(privilegeJson)
    o.vars = r.vars.map((v) => ({ name: v.name, value: v.value }))
    o.owns = r.owns.map(refJson)
  }
  return o
}

/** `grantee=UC/grantor`, as `mz_aclitem` prints a grant (PUBLIC as an empty grantee). */
function aclText(p: PrivilegeView): string {
  return `${p.grantee.id === 'p' ? '' : p.grantee.name}=${p.letters}/${p.grantor.name}`
}

const roleText = (r: RoleRef | null): string => (r === null ? '-' : r.id === 'p' ? r.name : `${r.name} (${r.id})`)
const refText = (r: ObjectRef | null): string => (r === null ? '-' : `${r.name} (${r.id})`)
const typeText = (t: string | null | undefined): string => (t === undefined ? '' : (t ?? '?'))

function fields(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([k]) => k.length)) + 2
  return rows.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}\n`).join('')
}

function section(title: string, body: string): string {
  return `\n${title}:\n${body}`
}

function privilegesTable(list: readonly PrivilegeView[]): string {
  if (list.length === 0) return '  (none)\n'
  return renderTable(
    ['grantee', 'grantor', 'privileges', 'acl'],
    list.map((p) => [
      roleText(p.grantee),
      roleText(p.grantor),
      p.privileges.join(', ') + (p.unknownBits === 0n ? '' : ` (unknown bits ${p.unknownBits})`),
      aclText(p),
    ]),
  )
}

function refsTable(list: readonly ObjectRef[]): string {
  if (list.length === 0) return '  (none)\n'
  const withType = list.some((r) => r.itemType !== undefined)
  return renderTable(
    withType ? ['kind', 'type', 'id', 'name'] : ['kind', 'id', 'name'],
    list.map((r) => (withType ? [r.kind, typeText(r.itemType), r.id, r.name] : [r.kind, r.id, r.name])),
  )
}

function membershipTable(list: readonly MembershipView[]): string {
  if (list.length === 0) return '  (none)\n'
  return renderTable(
    ['role', 'grantor'],
    list.map((m) => [roleText(m.role), roleText(m.grantor)]),
  )
}

function describeText(d: Description): string {
  const head: [string, string][] = [
    ['Kind', d.object.itemType === undefined ? d.object.kind : `${d.object.kind} (${typeText(d.object.itemType)})`],
    ['Name', d.object.name],
    ['Id', d.object.id],
  ]
  if (d.object.kind !== 'role') head.push(['Owner', roleText(d.owner)])
  if (d.database !== null) head.push(['Database', refText(d.database)])
  if (d.schema !== null) head.push(['Schema', refText(d.schema)])
  if (d.cluster !== null) head.push(['Cluster', refText(d.cluster)])
  if (d.clusterConfig !== undefined) {
    const c = d.clusterConfig
    head.push(['Managed', c.managed ? 'yes' : 'no'])
    if (c.managed) {
      head.push(['Size', c.size ?? '-'])
      head.push(['Replication factor', c.replicationFactor === null ? '-' : String(c.replicationFactor)])
      head.push(['Availability zones', c.availabilityZones.length === 0 ? '-' : c.availabilityZones.join(', ')])
    }
  }
  if (d.object.kind === 'replica' && d.replicas?.[0] !== undefined) {
    const r = d.replicas[0]
    head.push(['Location', r.location ?? '-'])
    head.push(['Size', r.size ?? '-'])
    head.push(['Availability zone', r.availabilityZone ?? '-'])
  }
  if (d.item?.indexes !== undefined && d.item.indexes !== null) head.push(['Indexes', refText(d.item.indexes)])
  if (d.role !== undefined) head.push(['Inherit', d.role.inherit === null ? '-' : d.role.inherit ? 'yes' : 'no'])
  for (const c of d.comments) head.push([c.column === null ? 'Comment' : `Comment (column ${c.column})`, c.text])
  let out = fields(head)
  if (d.object.kind === 'cluster' && d.replicas !== undefined) {
    out += section(
      'Replicas',
      d.replicas.length === 0
        ? '  (none)\n'
        : renderTable(
            ['name', 'id', 'size', 'availability_zone', 'owner'],
            d.replicas.map((r) => [r.name, r.id, r.size ?? r.location ?? '-', r.availabilityZone ?? '-', roleText(r.owner)]),
          ),
    )
  }
  if (d.object.kind === 'database') out += section('Schemas', refsTable(d.contents))
  if (d.object.kind === 'schema') out += section('Items', refsTable(d.contents))
  if (d.object.kind === 'cluster') out += section('Items in this cluster', refsTable(d.contents))
  if (d.item !== undefined) {
    out += section(
      'References',
      d.item.references.length === 0
        ? '  (none)\n'
        : renderTable(
            ['id', 'name', 'type'],
            d.item.references.map((r) => [r.id, r.name, r.inCatalog ? typeText(r.itemType) : '(not in the catalog: builtin)']),
          ),
    )
    out += section('Dependents', refsTable(d.item.dependents))
  }
  if (d.role !== undefined) {
    out += section('Member of', membershipTable(d.role.memberOf))
    out += section('Members', membershipTable(d.role.members))
    out += section('System privileges', privilegesTable(d.role.systemPrivileges))
    if (d.role.vars.length > 0)
      out += section(
        'Variables',
        renderTable(
          ['name', 'value'],
          d.role.vars.map((v) => [v.name, v.value]),
        ),
      )
    out += section('Owns', refsTable(d.role.owns))
  }
  if (d.object.kind !== 'role' && d.object.kind !== 'replica') out += section('Privileges', privilegesTable(d.privileges))
  if (d.item?.createSql !== undefined && d.item.createSql !== null) out += section('SQL', `  ${d.item.createSql}\n`)
  return out
}

export function renderDescription(d: Description, format: 'text' | JsonFormat): string {
  return format === 'text' ? describeText(d) : jsonDocument(describeJson(d), format)
}

/**
 * `find`'s matches (`rows` reads them afresh on each call; `count` of them), in chunks of text as
 * they are read: a table (over 500 rows read twice, for the widths, then the lines),
 * a JSON array, or one NDJSON line each. The text is the same as the whole document's.
 */
export function* foundChunks(rows: () => Iterable<ObjectRef>, count: number, format: 'text' | JsonFormat): Generator<string> {
  if (format === 'ndjson') {
    for (const r of rows()) yield jsonDocument(refJson(r), 'ndjson')
  } else if (format === 'json') {
    let first = true
    for (const r of rows()) {
      yield `${first ? '[\n' : ',\n'}  ${jsonDocument(refJson(r), 'json').slice(0, -1).replaceAll('\n', '\n  ')}`
      first = false
    }
    yield first ? '[]\n' : '\n]\n'
  } else {
    yield* tableChunks(['kind', 'type', 'id', 'name'], () => mapRows(rows(), (r) => [r.kind, typeText(r.itemType), r.id, r.name]), count)
  }
}

function* mapRows<T>(items: Iterable<T>, f: (t: T) => readonly string[]): Generator<readonly string[]> {
  for (const t of items) yield f(t)
}
