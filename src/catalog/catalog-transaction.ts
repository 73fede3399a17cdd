/**
 * Typed helpers on a catalog transaction: create databases, schemas, roles, clusters, replicas,
 * items, comments, privileges, settings and configs the way Materialize's `Transaction` does,
 * with its id allocators, uniqueness rules and error messages. Enough to build a realistic
 * catalog (the demo fixtures use these).
 *
 * Ids given as arguments are proto-shaped (`userId(3n)`, `systemId(1n)`, see `object-builders.ts`);
 * omitted ids of user objects are allocated from the matching `id_alloc` allocator.
 */

import { AlreadyExistsError, NotFoundError } from '../errors.js'
import { canonicalJson, type JsonObject, type JsonValue } from '../json/lossless-json.js'
import type { CollectionKindName } from './kinds/kind-names.js'
import { CATALOG_CONTENT_VERSION_KEY, DEPLOY_GENERATION_KEY, ID_ALLOC } from './constants.js'
import { idString, itemDefinition, OBJECT_TYPE, roleValue, userId, type ObjectTypeName, type RoleValueInput } from './object-builders.js'
import { Transaction } from './transaction.js'

function field(v: JsonValue | undefined, name: string): JsonValue | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v[name] : undefined
}

function nameOf(v: JsonValue | undefined): string {
  const n = field(v, 'name')
  return typeof n === 'string' ? n : '?'
}

export interface DatabaseInput {
  /** Defaults to the next `database` id (`u<n>`). */
  readonly id?: JsonObject
  readonly name: string
  readonly ownerId: JsonValue
  readonly privileges?: readonly JsonValue[]
}

export interface SchemaInput {
  /** Defaults to the next `schema` id (`u<n>`). */
  readonly id?: JsonObject
  /** `null` for an ambient (system) schema. */
  readonly databaseId: JsonValue | null
  readonly name: string
  readonly ownerId: JsonValue
  readonly privileges?: readonly JsonValue[]
}

export interface ClusterInput {
  /** Defaults to the next `user_compute` id (`u<n>`). */
  readonly id?: JsonObject
  readonly name: string
  readonly ownerId: JsonValue
  readonly privileges?: readonly JsonValue[]
  /** A `ClusterConfig` (`managedClusterConfig(...)` or `unmanagedClusterConfig()`). */
  readonly config: JsonObject
}

export interface ReplicaInput {
  /** Defaults to the next `replica` id (`u<n>`). */
  readonly id?: JsonObject
  readonly clusterId: JsonValue
  readonly name: string
  /** A `ReplicaConfig` (`managedReplicaConfig(...)` or `unmanagedReplicaConfig(...)`). */
  readonly config: JsonObject
  readonly ownerId: JsonValue
}

export interface ItemInput {
  /** A `GlobalId`; defaults to the next `user` id (`u<n>`). */
  readonly id?: JsonObject
  readonly schemaId: JsonValue
  readonly name: string
  readonly createSql: string
  readonly ownerId: JsonValue
  readonly privileges?: readonly JsonValue[]
}

export interface DefaultPrivilegeKeyInput {
  readonly roleId: JsonValue
  /** `null`: every database. */
  readonly databaseId?: JsonValue | null
  /** `null`: every schema. */
  readonly schemaId?: JsonValue | null
  readonly objectType: ObjectTypeName
  readonly grantee: JsonValue
}

export class CatalogTransaction extends Transaction {
  protected override alreadyExists(kind: CollectionKindName, value: JsonValue): AlreadyExistsError {
    const name = nameOf(value)
    switch (kind) {
      case 'Database':
        return new AlreadyExistsError(`database '${name}' already exists`)
      case 'Schema':
        return new AlreadyExistsError(`schema '${name}' already exists`)
      case 'Item':
        return new AlreadyExistsError(`catalog item '${name}' already exists`)
      case 'Role':
        return new AlreadyExistsError(`role '${name}' already exists`)
      case 'Cluster':
        return new AlreadyExistsError(`cluster '${name}' already exists`)
      case 'ClusterReplica': {
        const cluster = nameOf(this.table('Cluster').get({ id: field(value, 'cluster_id') ?? null }))
        return new AlreadyExistsError(`cannot create multiple replicas named '${name}' on cluster '${cluster}'`)
      }
      default:
        return super.alreadyExists(kind, value)
    }
  }

  // ---- databases and schemas ---------------------------------------------------------------

  /** Creates a database; returns its id. */
  insertDatabase(input: DatabaseInput): JsonObject {
    return this.withId(input.id, ID_ALLOC.database, (id) => {
      this.table('Database').insert({ id }, { name: input.name, owner_id: input.ownerId, privileges: [...(input.privileges ?? [])] })
    })
  }

  /** Creates a schema (in a database that must exist, unless ambient); returns its id. */
  insertSchema(input: SchemaInput): JsonObject {
    if (input.databaseId !== null) this.requireDatabase(input.databaseId)
    return this.withId(input.id, ID_ALLOC.schema, (id) => {
      this.table('Schema').insert(
        { id },
        { database_id: input.databaseId, name: input.name, owner_id: input.ownerId, privileges: [...(input.privileges ?? [])] },
      )
    })
  }

  // ---- roles -------------------------------------------------------------------------------

  /** Creates a role with a given id (builtin roles, `RoleId::Public`). */
  insertRole(id: JsonObject, input: RoleValueInput): JsonObject {
    this.table('Role').insert({ id }, roleValue(input))
    return id
  }

  /** Creates a user role with the next `user_role` id; returns the id. */
  insertUserRole(input: RoleValueInput): JsonObject {
    return this.withId(undefined, ID_ALLOC.userRole, (id) => this.insertRole(id, input))
  }

  // ---- clusters and replicas ---------------------------------------------------------------

  /** Creates a cluster; returns its id. */
  insertCluster(input: ClusterInput): JsonObject {
    return this.withId(input.id, ID_ALLOC.userCluster, (id) => {
      this.table('Cluster').insert(
        { id },
        { name: input.name, owner_id: input.ownerId, privileges: [...(input.privileges ?? [])], config: input.config },
      )
    })
  }

  /** Creates a replica of an existing cluster; returns its id. */
  insertClusterReplica(input: ReplicaInput): JsonObject {
    this.requireCluster(input.clusterId)
    return this.withId(input.id, ID_ALLOC.userReplica, (id) => {
      this.table('ClusterReplica').insert(
        { id },
        { cluster_id: input.clusterId, name: input.name, config: input.config, owner_id: input.ownerId },
      )
    })
  }

  /** Records the index of an introspection source on a cluster. */
  insertIntrospectionSourceIndex(clusterId: JsonValue, name: string, indexId: bigint): void {
    this.requireCluster(clusterId)
    this.table('ClusterIntrospectionSourceIndex').insert({ cluster_id: clusterId, name }, { index_id: indexId })
  }

  /**
   * Removes a cluster with its replicas and introspection source indexes (Materialize's
   * `remove_cluster` cascade). Throws {@link NotFoundError} when it does not exist.
   */
  removeCluster(clusterId: JsonValue): void {
    this.requireCluster(clusterId)
    this.table('Cluster').set({ id: clusterId }, null)
    const target = canonicalJson(clusterId)
    const same = (v: JsonValue | undefined): boolean => v !== undefined && canonicalJson(v) === target
    this.table('ClusterReplica').delete((_k, v) => same(field(v, 'cluster_id')))
    this.table('ClusterIntrospectionSourceIndex').delete((k) => same(field(k, 'cluster_id')))
  }

  // ---- items and comments --------------------------------------------------------------------

  /** Creates an item (table, view, …: `createSql` says which) in an existing schema; returns its id. */
  insertItem(input: ItemInput): JsonObject {
    this.requireSchema(input.schemaId)
    return this.withId(input.id, ID_ALLOC.user, (id) => {
      this.table('Item').insert(
        { gid: id },
        {
          schema_id: input.schemaId,
          name: input.name,
          definition: itemDefinition(input.createSql),
          owner_id: input.ownerId,
          privileges: [...(input.privileges ?? [])],
        },
      )
    })
  }

  /** Removes an item. Throws {@link NotFoundError} when it does not exist. */
  removeItem(id: JsonValue): void {
    if (this.table('Item').set({ gid: id }, null) === undefined) {
      throw new NotFoundError(`unknown catalog item '${idString(id)}'`, { code: 'unknown-item' })
    }
  }

  /**
   * Sets (or, with `null`, removes) the comment on an object or one of its columns. `object` is
   * the `CommentKey.object` oneof, e.g. `{ Table: userId(1n) }`; `column` is 1-based.
   */
  setComment(object: JsonObject, column: bigint | null, comment: string | null): void {
    const key = { object, sub_component: column === null ? null : { ColumnPos: column } }
    this.table('Comment').set(key, comment === null ? null : { comment })
  }

  // ---- privileges ----------------------------------------------------------------------------

  /** Sets (or, with `null`, removes) a default privilege. */
  setDefaultPrivilege(key: DefaultPrivilegeKeyInput, privileges: bigint | null): void {
    const k = {
      role_id: key.roleId,
      database_id: key.databaseId ?? null,
      schema_id: key.schemaId ?? null,
      object_type: OBJECT_TYPE[key.objectType],
      grantee: key.grantee,
    }
    this.table('DefaultPrivileges').set(k, privileges === null ? null : { privileges: { bitflags: privileges } })
  }

  /** Sets (or, with `null`, removes) the system privileges `grantor` granted `grantee`. */
  setSystemPrivilege(grantee: JsonValue, grantor: JsonValue, aclMode: bigint | null): void {
    this.table('SystemPrivileges').set({ grantee, grantor }, aclMode === null ? null : { acl_mode: { bitflags: aclMode } })
  }

  // ---- configs, settings, system configuration, timestamps -----------------------------------

  getConfig(key: string): bigint | undefined {
    const v = field(this.table('Config').get({ key }), 'value')
    return typeof v === 'bigint' ? v : undefined
  }

  /** Sets (or, with `null`, removes) a config; returns the previous value. */
  setConfig(key: string, value: bigint | null): bigint | undefined {
    const prev = field(this.table('Config').set({ key }, value === null ? null : { value }), 'value')
    return typeof prev === 'bigint' ? prev : undefined
  }

  /** Creates a config. Throws `AlreadyExistsError` when it exists. */
  insertConfig(key: string, value: bigint): void {
    this.table('Config').insert({ key }, { value })
  }

  /** Sets the `deploy_generation` config. */
  setDeployGeneration(generation: bigint): void {
    this.setConfig(DEPLOY_GENERATION_KEY, generation)
  }

  getSetting(name: string): string | undefined {
    const v = field(this.table('Setting').get({ name }), 'value')
    return typeof v === 'string' ? v : undefined
  }

  /** Sets (or, with `null`, removes) a setting. */
  setSetting(name: string, value: string | null): void {
    this.table('Setting').set({ name }, value === null ? null : { value })
  }

  /** Sets the `catalog_content_version` setting the adapter writes. */
  setCatalogContentVersion(version: string): void {
    this.setSetting(CATALOG_CONTENT_VERSION_KEY, version)
  }

  getSystemConfig(name: string): string | undefined {
    const v = field(this.table('ServerConfiguration').get({ name }), 'value')
    return typeof v === 'string' ? v : undefined
  }

  /** Sets a system configuration variable (`system_configuration`). */
  upsertSystemConfig(name: string, value: string): void {
    this.table('ServerConfiguration').set({ name }, { value })
  }

  removeSystemConfig(name: string): void {
    this.table('ServerConfiguration').set({ name }, null)
  }

  /** Records the system object mapping of a builtin object (`system_gid_mapping`). */
  setSystemObjectMapping(schemaName: string, objectType: bigint, objectName: string, id: bigint, fingerprint: string): void {
    this.table('GidMapping').set({ schema_name: schemaName, object_type: objectType, object_name: objectName }, { id, fingerprint })
  }

  /** Creates a timeline's timestamp (`M` is the epoch-milliseconds timeline). */
  insertTimestamp(timeline: string, ts: bigint): void {
    this.table('Timestamp').insert({ id: timeline }, { ts: { internal: ts } })
  }

  /** Sets a timeline's timestamp. */
  setTimestamp(timeline: string, ts: bigint): void {
    this.table('Timestamp').set({ id: timeline }, { ts: { internal: ts } })
  }

  /**
   * Runs `insert` with the given id, or with the next user id of `allocator`. All-or-nothing:
   * when the insert fails (a uniqueness violation), the allocator is left as it was.
   */
  protected withId(id: JsonObject | undefined, allocator: string, insert: (id: JsonObject) => void): JsonObject {
    if (id !== undefined) {
      insert(id)
      return id
    }
    const allocators = this.table('IdAlloc')
    const key = { name: allocator }
    const before = allocators.get(key)
    const allocated = userId(this.getAndIncrementId(allocator))
    try {
      insert(allocated)
    } catch (err) {
      allocators.set(key, before ?? null)
      throw err
    }
    return allocated
  }

  // ---- existence checks ----------------------------------------------------------------------

  protected requireDatabase(id: JsonValue): void {
    if (!this.table('Database').has({ id })) throw new NotFoundError(`unknown database '${idString(id)}'`, { code: 'unknown-database' })
  }

  protected requireSchema(id: JsonValue): void {
    if (!this.table('Schema').has({ id })) throw new NotFoundError(`unknown schema '${idString(id)}'`, { code: 'unknown-schema' })
  }

  protected requireCluster(id: JsonValue): void {
    if (!this.table('Cluster').has({ id })) throw new NotFoundError(`unknown cluster '${idString(id)}'`, { code: 'unknown-cluster' })
  }
}
