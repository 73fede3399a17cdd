/**
 * A seeded simulation of a catalog's life, producing catalog transactions as shard updates.
 *
 * It starts from the rows a fresh catalog holds (taken from the catalog core's own
 * initialisation) and then plays DDL the way an operator's workload would: items created in
 * batches, renamed, re-owned, granted and dropped; roles and role grants; clusters; replicas
 * coming and going on schedules; comments; storage-usage collections; restarts (epoch bumps) and,
 * in the v47 variant, the config churn of the v44→v47 migrations. Every catalog transaction
 * updates the id allocators it used (a retraction and an insertion each) and records audit events,
 * so the audit log ends up the largest collection, as in a long-running deployment.
 *
 * Every row goes through the catalog's encoder (`encodeRow`) at the variant's catalog version, so
 * it is valid, canonical, and decodes in `dump`. The `v42` variant writes v42 shapes throughout
 * (clusters with `linked_object_id`, `config_has_synced_once`, no `CreateSourceSinkV3`) and
 * leaves `user_version` at 42, for `upgrade-check`.
 */

import type { JsonObject, JsonValue } from '../src/json/lossless-json.js'
import { decodeRow, encodeEpochRow, encodeRow } from '../src/catalog/codec/row-codec.js'
import type { CollectionKindName } from '../src/catalog/kinds/kind-names.js'
import {
  ACL,
  aclItem,
  fullName,
  idString,
  itemDefinition,
  managedReplicaConfig,
  roleIdString,
  roleValue,
  stringWrapper,
  userId,
} from '../src/catalog/object-builders.js'
import { Rng } from './rng.js'
import {
  AUDIT_OBJECT,
  commentVariant,
  createBody,
  createHead,
  ITEM_TYPE_WEIGHTS,
  ITEM_TYPES,
  LEGACY_SYNCED_ONCE,
  roleOrder,
  sameId,
  SHAPES,
  shapesOf,
  SIZES,
  USERS,
  type CatalogVariant,
  type ItemType,
  type VariantShapes,
} from './simulation-shapes.js'

export { initialRowsFor, type CatalogVariant } from './simulation-shapes.js'

/** One update as the generator emits it. */
export interface SimUpdate {
  readonly data: string
  readonly ts: bigint
  readonly diff: bigint
}

/** A stored row the simulation may later retract or replace. */
interface Live {
  readonly kind: CollectionKindName
  key: JsonObject
  value: JsonObject
  text: string
}

interface ItemState extends Live {
  readonly id: bigint
  readonly type: ItemType
  readonly schema: Live
  comment?: string
}

/**
 * The simulation. `nextTransaction()` returns the updates of one catalog transaction, all at one
 * new timestamp.
 */
export class CatalogSimulation {
  readonly #rng: Rng
  readonly #variant: CatalogVariant
  readonly #shapes: VariantShapes
  #ts: bigint
  #wall: bigint
  #epoch: bigint
  #emitted = 0
  /** Allocator name → [next id, stored text]. */
  readonly #alloc = new Map<string, { next: bigint; text: string }>()
  #touched = new Set<string>()
  #pending: { data: string; diff: bigint }[] = []
  #userVersion: bigint
  #migrated = false

  readonly #items: ItemState[] = []
  readonly #schemas: Live[] = []
  readonly #databases: Live[] = []
  readonly #roles: Live[] = []
  readonly #clusters: { live: Live; id: bigint; replicas: Live[] }[] = []
  readonly #shardPool: string[] = []
  readonly #storageUsage: string[] = []
  #timestamp: Live | undefined
  /** The v47 variant migrates from v44 once this many updates were emitted. */
  readonly #migrationAt: number

  /**
   * `initial` are the rows of the freshly initialised catalog (already in the variant's shapes),
   * written at `initialTs`; the epoch row at `initialTs − 1` is `epoch`.
   */
  constructor(
    seed: number,
    variant: CatalogVariant,
    initial: readonly string[],
    initialTs: bigint,
    epoch: bigint,
    startMs: bigint,
    targetUpdates: number,
  ) {
    this.#rng = new Rng(seed)
    this.#variant = variant
    this.#shapes = SHAPES[shapesOf(variant)]
    this.#ts = initialTs + 1n
    this.#wall = startMs
    this.#epoch = epoch
    this.#userVersion = variant === 'v42' ? 42n : 44n
    this.#migrationAt = Math.floor(targetUpdates * 0.3)
    for (const text of initial) this.#adopt(text)
    for (let i = 0; i < 256; i++) this.#shardPool.push(`s${this.#rng.uuid()}`)
  }

  /** The timestamp the next transaction will be written at. */
  get nextTs(): bigint {
    return this.#ts
  }

  /** Picks up an initial row into the simulation's state. */
  #adopt(text: string): void {
    const r = decodeRow(text, this.#shapes.version)
    if (!r.ok || r.row.kind === 'Epoch') return
    const live: Live = { kind: r.row.kind, key: r.row.key, value: r.row.value as JsonObject, text }
    switch (r.row.kind) {
      case 'IdAlloc':
        this.#alloc.set(r.row.key.name as string, { next: (r.row.value as JsonObject).next_id as bigint, text })
        break
      case 'Schema':
        if ((live.value.database_id ?? null) !== null) this.#schemas.push(live)
        break
      case 'Database':
        this.#databases.push(live)
        break
      case 'Role':
        if ('User' in ((live.key.id as JsonObject).value as JsonObject)) this.#roles.push(live)
        break
      case 'Cluster': {
        const id = ((live.key.id as JsonObject).value as JsonObject).User as bigint | undefined
        if (id !== undefined) this.#clusters.push({ live, id, replicas: [] })
        break
      }
      case 'ClusterReplica': {
        const cid = ((live.value.cluster_id as JsonObject).value as JsonObject).User as bigint | undefined
        this.#clusters.find((c) => c.id === cid)?.replicas.push(live)
        break
      }
      case 'Timestamp':
        this.#timestamp = live
        break
      default:
        break
    }
  }

  // ---- row helpers ----------------------------------------------------------------------------

  #encode(kind: CollectionKindName, key: JsonValue, value: JsonValue): string {
    return encodeRow(kind, key, value, this.#shapes.version)
  }

  #insert(kind: CollectionKindName, key: JsonObject, value: JsonObject): Live {
    const text = this.#encode(kind, key, value)
    this.#pending.push({ data: text, diff: 1n })
    return { kind, key, value, text }
  }

  #retract(live: { text: string }): void {
    this.#pending.push({ data: live.text, diff: -1n })
  }

  /** Retracts a row and inserts its new value; nothing when the value is unchanged. */
  #replace(live: Live, value: JsonObject): void {
    const text = this.#encode(live.kind, live.key, value)
    if (text === live.text) return
    this.#retract(live)
    live.value = value
    live.text = text
    this.#pending.push({ data: text, diff: 1n })
  }

  #allocate(name: string): bigint {
    let a = this.#alloc.get(name)
    if (a === undefined) {
      a = { next: 1n, text: '' }
      this.#alloc.set(name, a)
    }
    this.#touched.add(name)
    return a.next++
  }

  #audit(eventType: bigint, objectType: bigint, details: JsonObject): void {
    const id = this.#allocate('auditlog')
    const key = {
      event: {
        V1: {
          id,
          event_type: eventType,
          object_type: objectType,
          user: stringWrapper(this.#rng.pick(USERS)),
          occurred_at: { millis: this.#wall },
          details,
        },
      },
    }
    this.#pending.push({ data: this.#encode('AuditLog', key, null), diff: 1n })
  }

  #owner(): JsonObject {
    return this.#roles.length > 0 && this.#rng.chance(0.8) ? (this.#rng.pick(this.#roles).key.id as JsonObject) : { value: { System: 1n } }
  }

  // ---- transactions -------------------------------------------------------------------------

  /** The updates of the next catalog transaction (one timestamp). */
  nextTransaction(): SimUpdate[] {
    this.#pending = []
    this.#touched = new Set()
    this.#wall += BigInt(this.#rng.int(200, 20_000))
    if (this.#variant !== 'v42' && !this.#migrated && this.#emitted >= this.#migrationAt) {
      this.#migrate()
    } else if (this.#rng.chance(0.002)) {
      this.#restart()
    } else if (this.#rng.chance(0.1)) {
      this.#collectStorageUsage()
    } else {
      // One DDL session committed as one transaction (a dbt run, a migration script): several
      // statements, the allocators updated once at commit.
      const statements = this.#rng.int(2, 16)
      for (let i = 0; i < statements; i++) {
        if (this.#variant === 'audit' && this.#items.length >= 10 && this.#rng.chance(0.9)) {
          // A short-lived object: created and dropped again, only its audit events remain.
          this.#createItems(1)
          this.#dropItem(this.#items.length - 1)
          continue
        }
        const kind = this.#rng.weighted([45, 20, 3, 4, 10, 3, 1, 0.5, 0.5])
        ;[
          () => this.#createItems(1),
          () => this.#recreateItem(),
          () => this.#alterItem(),
          () => this.#dropItem(),
          () => this.#replicaSchedule(),
          () => this.#roleChange(),
          () => this.#createSchema(),
          () => this.#createCluster(),
          () => this.#grantBulk(),
        ][kind]!()
      }
    }
    if (this.#timestamp !== undefined && this.#rng.chance(0.05)) {
      this.#replace(this.#timestamp, { ts: { internal: this.#wall } })
    }
    for (const name of this.#touched) {
      const a = this.#alloc.get(name)!
      if (a.text !== '') this.#pending.push({ data: a.text, diff: -1n })
      a.text = this.#encode('IdAlloc', { name }, { next_id: a.next })
      this.#pending.push({ data: a.text, diff: 1n })
    }
    // The catalog consolidates a transaction before committing it: a row created and dropped in
    // the same transaction leaves nothing.
    const net = new Map<string, bigint>()
    for (const p of this.#pending) net.set(p.data, (net.get(p.data) ?? 0n) + p.diff)
    const ts = this.#ts++
    const out: SimUpdate[] = []
    for (const [data, diff] of net) if (diff !== 0n) out.push({ data, ts, diff })
    this.#emitted += out.length
    return out
  }

  /** An environment restart: the new process fences the old one with a new epoch. */
  #restart(): void {
    this.#pending.push({ data: encodeEpochRow(this.#epoch), diff: -1n })
    this.#epoch += 1n
    this.#pending.push({ data: encodeEpochRow(this.#epoch), diff: 1n })
  }

  /** v44 → v47 as a deployment went through it: the synced flag moves, `user_version` steps up. */
  #migrate(): void {
    this.#migrated = true
    const v = this.#shapes.version
    this.#pending.push({ data: encodeRow('ServerConfiguration', { name: LEGACY_SYNCED_ONCE }, { value: 'on' }, v), diff: -1n })
    this.#pending.push({ data: encodeRow('Config', { key: 'system_config_synced' }, { value: 1n }, v), diff: 1n })
    this.#pending.push({ data: encodeRow('Config', { key: 'user_version' }, { value: this.#userVersion }, v), diff: -1n })
    this.#userVersion = 47n
    this.#pending.push({ data: encodeRow('Config', { key: 'user_version' }, { value: this.#userVersion }, v), diff: 1n })
    this.#restart()
  }

  #createItems(n: number, like?: { type: ItemType; schema: Live; name: string }): void {
    if (this.#schemas.length === 0) {
      this.#createSchema()
      return
    }
    const schema = like?.schema ?? this.#rng.pick(this.#schemas)
    const db = this.#databases.find((d) => sameId(d.key.id, schema.value.database_id))
    const dbName = (db?.value.name as string | undefined) ?? 'materialize'
    for (let i = 0; i < n; i++) {
      const id = this.#allocate('user')
      const type = like?.type ?? ITEM_TYPES[this.#rng.weighted(ITEM_TYPE_WEIGHTS)]!
      const name = like?.name ?? `${type.toLowerCase()}_${this.#rng.word(6)}_${id}`
      const owner = this.#owner()
      const value: JsonObject = {
        schema_id: schema.key.id!,
        name,
        definition: itemDefinition(`${createHead(type, dbName, schema.value.name as string, name)} ${createBody(type, this.#rng)}`),
        owner_id: owner,
        privileges: [aclItem(owner, owner, type === 'Table' ? ACL.INSERT | ACL.SELECT | ACL.UPDATE | ACL.DELETE : ACL.SELECT)],
      }
      const live = this.#insert('Item', { gid: userId(id) }, value)
      const item: ItemState = { ...live, id, type, schema }
      this.#items.push(item)
      const objType = AUDIT_OBJECT[type]
      const fn = fullName(dbName, schema.value.name as string, name)
      const details =
        type === 'Source' || type === 'Sink'
          ? this.#shapes.sourceSinkDetails(`u${id}`, fn, this.#rng.pick(SIZES))
          : { IdFullNameV1: { id: `u${id}`, name: fn } }
      this.#audit(1n, objType, details)
      if (this.#rng.chance(0.1)) {
        item.comment = this.#insert(
          'Comment',
          { object: { [commentVariant(type)]: userId(id) }, sub_component: null },
          { comment: `owned by ${this.#rng.word(5)} team` },
        ).text
      }
    }
  }

  /** dbt's way: drop a view and create it again under a new id. */
  #recreateItem(): void {
    if (this.#items.length < 10) {
      this.#createItems(1)
      return
    }
    const item = this.#dropItem()
    if (item !== undefined) this.#createItems(1, { type: item.type, schema: item.schema, name: item.value.name as string })
  }

  #alterItem(): void {
    if (this.#items.length === 0) {
      this.#createItems(1)
      return
    }
    const item = this.#rng.pick(this.#items)
    const v = item.value
    const choice = this.#rng.int(0, 2)
    const dbName = 'materialize'
    if (choice === 0) {
      const newName = `${(v.name as string).split('_').slice(0, -1).join('_')}_${item.id}_r${this.#rng.int(1, 99)}`
      const sql = (v.definition as { value: { V1: { create_sql: string } } }).value.V1.create_sql
      const itemDb = this.#databases.find((d) => sameId(d.key.id, item.schema.value.database_id))
      const dbOf = (itemDb?.value.name as string | undefined) ?? 'materialize'
      const schemaName = item.schema.value.name as string
      const renamed = sql.replace(
        createHead(item.type, dbOf, schemaName, v.name as string),
        createHead(item.type, dbOf, schemaName, newName),
      )
      this.#replace(item, { ...v, name: newName, definition: itemDefinition(renamed) })
      this.#audit(3n, AUDIT_OBJECT[item.type], {
        RenameItemV1: {
          id: `u${item.id}`,
          old_name: fullName(dbName, item.schema.value.name as string, v.name as string),
          new_name: fullName(dbName, item.schema.value.name as string, newName),
        },
      })
    } else if (choice === 1) {
      const owner = this.#owner()
      this.#replace(item, { ...v, owner_id: owner })
      this.#audit(3n, AUDIT_OBJECT[item.type], {
        UpdateOwnerV1: {
          object_id: `I${idString(userId(item.id))}`,
          old_owner_id: roleIdString(v.owner_id!),
          new_owner_id: roleIdString(owner),
        },
      })
    } else {
      this.#grant(item)
    }
  }

  #grant(item: ItemState): void {
    const grantee = this.#owner()
    const v = item.value
    const privileges = [...(v.privileges as JsonValue[]), aclItem(grantee, v.owner_id!, ACL.SELECT)]
    this.#replace(item, { ...v, privileges })
    this.#audit(4n, AUDIT_OBJECT[item.type], {
      UpdatePrivilegeV1: {
        object_id: `I${idString(userId(item.id))}`,
        grantee_id: roleIdString(grantee),
        grantor_id: roleIdString(v.owner_id!),
        privileges: 'r',
      },
    })
  }

  /** `GRANT SELECT ON ALL TABLES IN SCHEMA …`: one event per object. */
  #grantBulk(): void {
    if (this.#items.length === 0) {
      this.#createItems(1)
      return
    }
    const n = Math.min(this.#items.length, this.#rng.int(2, 8))
    const start = this.#rng.int(0, this.#items.length - n)
    for (let i = start; i < start + n; i++) {
      const item = this.#items[i]!
      if ((item.value.privileges as JsonValue[]).length < 6) this.#grant(item)
    }
  }

  #dropItem(at?: number): ItemState | undefined {
    if (this.#items.length < 10) {
      this.#createItems(1)
      return undefined
    }
    const idx = at ?? this.#rng.int(0, this.#items.length - 1)
    const item = this.#items[idx]!
    this.#items[idx] = this.#items[this.#items.length - 1]!
    this.#items.pop()
    this.#retract(item)
    if (item.comment !== undefined) this.#retract({ text: item.comment })
    this.#audit(2n, AUDIT_OBJECT[item.type], {
      IdFullNameV1: { id: `u${item.id}`, name: fullName('materialize', item.schema.value.name as string, item.value.name as string) },
    })
    return item
  }

  /** A scheduled cluster turning on (replicas created) or off (replicas dropped). */
  #replicaSchedule(): void {
    if (this.#clusters.length === 0) {
      this.#createCluster()
      return
    }
    const c = this.#rng.pick(this.#clusters)
    const clusterName = c.live.value.name as string
    if (c.replicas.length > 1 || (c.replicas.length === 1 && this.#rng.chance(0.5))) {
      for (const r of c.replicas) {
        this.#retract(r)
        this.#audit(2n, 2n, {
          DropClusterReplicaV1: {
            cluster_id: `u${c.id}`,
            cluster_name: clusterName,
            replica_id: stringWrapper(idString(r.key.id!)),
            replica_name: r.value.name as string,
          },
        })
      }
      c.replicas = []
    } else {
      // Replica names are unique per cluster (Materialize's rule, which verify checks).
      const n = this.#rng.int(1, 3)
      for (let i = 0; i < n; i++) {
        let name = `r${this.#rng.int(1, 9)}${i}`
        while (c.replicas.some((r) => r.value.name === name)) name = `${name}x`
        this.#createReplica(c, name)
      }
    }
  }

  #createReplica(c: { live: Live; id: bigint; replicas: Live[] }, name: string): void {
    const id = this.#allocate('replica')
    const size = this.#rng.pick(SIZES)
    const r = this.#insert(
      'ClusterReplica',
      { id: userId(id) },
      { cluster_id: userId(c.id), name, config: managedReplicaConfig({ size }), owner_id: c.live.value.owner_id! },
    )
    c.replicas.push(r)
    this.#audit(1n, 2n, {
      CreateClusterReplicaV1: {
        cluster_id: `u${c.id}`,
        cluster_name: c.live.value.name as string,
        replica_id: stringWrapper(`u${id}`),
        replica_name: name,
        logical_size: size,
        disk: false,
        billed_as: null,
        internal: false,
      },
    })
  }

  #createCluster(): void {
    const id = this.#allocate('user_compute')
    const owner = this.#owner()
    const name = `cluster_${this.#rng.word(5)}_${id}`
    const live = this.#insert(
      'Cluster',
      { id: userId(id) },
      this.#shapes.clusterValue(name, owner, [aclItem(owner, owner, ACL.USAGE | ACL.CREATE)], this.#rng.pick(SIZES)),
    )
    const c = { live, id, replicas: [] as Live[] }
    this.#clusters.push(c)
    this.#audit(1n, 1n, { IdNameV1: { id: `u${id}`, name } })
    this.#createReplica(c, 'r1')
  }

  #roleChange(): void {
    if (this.#roles.length < 3 || this.#rng.chance(0.3)) {
      const id = this.#allocate('user_role')
      const name = `role_${this.#rng.word(6)}_${id}`
      this.#roles.push(this.#insert('Role', { id: { value: { User: id } } }, roleValue({ name })))
      this.#audit(1n, 8n, { IdNameV1: { id: `u${id}`, name } })
      return
    }
    const member = this.#rng.pick(this.#roles)
    const group = this.#rng.pick(this.#roles)
    if (member === group) return
    const map = [...(((member.value.membership as JsonObject).map as JsonObject[]) ?? [])]
    if (map.length >= 4 || map.some((e) => sameId(e.key, group.key.id))) return
    map.push({ key: group.key.id!, value: { value: { System: 1n } } })
    map.sort((a, b) => roleOrder(a.key!) - roleOrder(b.key!))
    this.#replace(member, { ...member.value, membership: { map } })
    this.#audit(4n, 8n, {
      GrantRoleV2: {
        role_id: roleIdString(group.key.id!),
        member_id: roleIdString(member.key.id!),
        grantor_id: 's1',
        executed_by: 's1',
      },
    })
  }

  #createSchema(): void {
    let db = this.#databases[0]
    if (db === undefined || (this.#databases.length < 4 && this.#rng.chance(0.2))) {
      const id = this.#allocate('database')
      const name = `db_${this.#rng.word(5)}_${id}`
      const owner = this.#owner()
      db = this.#insert(
        'Database',
        { id: userId(id) },
        { name, owner_id: owner, privileges: [aclItem(owner, owner, ACL.USAGE | ACL.CREATE)] },
      )
      this.#databases.push(db)
      this.#audit(1n, 4n, { IdNameV1: { id: `u${id}`, name } })
    } else {
      db = this.#rng.pick(this.#databases)
    }
    const id = this.#allocate('schema')
    const name = `schema_${this.#rng.word(5)}_${id}`
    const owner = this.#owner()
    this.#schemas.push(
      this.#insert(
        'Schema',
        { id: userId(id) },
        { database_id: db.key.id!, name, owner_id: owner, privileges: [aclItem(owner, owner, ACL.USAGE | ACL.CREATE)] },
      ),
    )
    this.#audit(1n, 10n, { SchemaV2: { id: `${id}`, name, database_name: stringWrapper(db.value.name as string) } })
  }

  /** One storage-usage collection: a measurement per shard; the oldest measurements are pruned. */
  #collectStorageUsage(): void {
    const n = Math.min(48, this.#shardPool.length, 16 + Math.floor(this.#items.length / 200))
    for (let i = 0; i < n; i++) {
      const id = this.#allocate('storage_usage')
      const key = {
        usage: {
          V1: {
            id,
            shard_id: stringWrapper(this.#shardPool[i]!),
            size_bytes: BigInt(this.#rng.int(4096, 1 << 30)),
            collection_timestamp: { millis: this.#wall },
          },
        },
      }
      const text = this.#encode('StorageUsage', key, null)
      this.#pending.push({ data: text, diff: 1n })
      this.#storageUsage.push(text)
    }
    // Retention: now and then prune the oldest measurements (retractions of append-only rows).
    if (this.#storageUsage.length > 2000 && this.#rng.chance(0.2)) {
      for (const text of this.#storageUsage.splice(0, 200)) this.#pending.push({ data: text, diff: -1n })
    }
  }
}
