/**
 * Builders for the proto-shaped JSON values the catalog stores (`objects_v47.proto`).
 *
 * Every builder returns a plain {@link JsonValue} whose objects hold their keys in proto
 * declaration order (oneofs last) and whose integers are `bigint`, which is exactly what the
 * codec's decoder produces: `displayJson` prints it as Materialize's dump does and
 * `canonicalJson` gives the stored bytes. Builders never validate; the transaction validates
 * every row it writes through the codec.
 */

import type { JsonObject, JsonValue } from '../json/lossless-json.js'

export function systemId(n: bigint): JsonObject {
  return { value: { System: n } }
}
export function userId(n: bigint): JsonObject {
  return { value: { User: n } }
}
/** `RoleId::Public`. */
export function publicRoleId(): JsonObject {
  return { value: { Public: {} } }
}

/** Builtin role ids (`mz_system` s1, `mz_support` s2). */
export const MZ_SYSTEM_ROLE_ID = 1n
export const MZ_SUPPORT_ROLE_ID = 2n

/** Privilege bits of `AclMode` (`src/repr/src/adt/mz_acl_item.rs`). */
export const ACL = {
  INSERT: 1n << 0n,
  SELECT: 1n << 1n,
  UPDATE: 1n << 2n,
  DELETE: 1n << 3n,
  USAGE: 1n << 8n,
  CREATE: 1n << 9n,
  CREATE_CLUSTER: 1n << 29n,
  CREATE_DB: 1n << 30n,
  CREATE_ROLE: 1n << 31n,
} as const

/** All privileges that exist on databases, schemas and clusters: USAGE | CREATE (`UC`). */
export const ALL_CONTAINER_PRIVILEGES = ACL.USAGE | ACL.CREATE
/** All system privileges: CREATE_ROLE | CREATE_DB | CREATE_CLUSTER (`RBN`). */
export const ALL_SYSTEM_PRIVILEGES = ACL.CREATE_ROLE | ACL.CREATE_DB | ACL.CREATE_CLUSTER

const ACL_LETTERS: readonly (readonly [bigint, string])[] = [
  [ACL.INSERT, 'a'],
  [ACL.SELECT, 'r'],
  [ACL.UPDATE, 'w'],
  [ACL.DELETE, 'd'],
  [ACL.USAGE, 'U'],
  [ACL.CREATE, 'C'],
  [ACL.CREATE_ROLE, 'R'],
  [ACL.CREATE_DB, 'B'],
  [ACL.CREATE_CLUSTER, 'N'],
]

/** `AclMode`'s Display form (`UC`, `RBN`), as audit events record privileges. */
export function aclModeString(bits: bigint): string {
  let s = ''
  for (const [bit, letter] of ACL_LETTERS) if ((bits & bit) !== 0n) s += letter
  return s
}

export function aclItem(grantee: JsonValue, grantor: JsonValue, bitflags: bigint): JsonObject {
  return { grantee, grantor, acl_mode: { bitflags } }
}

/** A role id's Display form: `s1`, `u5`, `p`. */
export function roleIdString(roleId: JsonValue): string {
  const v = (roleId as { value: Record<string, JsonValue> }).value
  if ('Public' in v) return 'p'
  if ('System' in v) return `s${v.System as bigint}`
  return `u${v.User as bigint}`
}

/** A `System`/`User` id's Display form: `s1`, `u1`. */
export function idString(id: JsonValue): string {
  const v = (id as { value: Record<string, JsonValue> }).value
  if ('System' in v) return `s${v.System as bigint}`
  return `u${v.User as bigint}`
}

/** `ReplicaLogging` of a default replica: no log logging, 1 s interval. */
export function defaultLogging(): JsonObject {
  return { log_logging: false, interval: { secs: 1n, nanos: 0n } }
}

export interface RoleValueInput {
  name: string
  inherit?: boolean
  /** `RoleMembership.map` entries: `[role the member belongs to, grantor]`, sorted by role. */
  membership?: readonly (readonly [JsonValue, JsonValue])[]
  /** `RoleVars.entries`: name → flat value or a list (SqlSet), sorted by name. */
  vars?: readonly (readonly [string, string | readonly string[]])[]
}

export function roleValue(input: RoleValueInput): JsonObject {
  return {
    name: input.name,
    attributes: { inherit: input.inherit ?? true },
    membership: { map: (input.membership ?? []).map(([key, value]) => ({ key, value })) },
    vars: {
      entries: (input.vars ?? []).map(
        ([key, v]): JsonObject => ({
          key,
          val: typeof v === 'string' ? { Flat: v } : { SqlSet: { entries: [...v] } },
        }),
      ),
    },
  }
}

export interface ManagedClusterInput {
  size: string
  replicationFactor?: bigint
  availabilityZones?: readonly string[]
  logging?: JsonObject
  idleArrangementMergeEffort?: bigint | null
  disk?: boolean
  /** `optimizer_feature_overrides` (name → value), written sorted by name as Rust's BTreeMap does. */
  optimizerFeatureOverrides?: Readonly<Record<string, string>>
}

/** `ClusterConfig` of a managed cluster. */
export function managedClusterConfig(input: ManagedClusterInput): JsonObject {
  const overrides = Object.entries(input.optimizerFeatureOverrides ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => ({ name, value }))
  return {
    variant: {
      Managed: {
        size: input.size,
        replication_factor: input.replicationFactor ?? 1n,
        availability_zones: [...(input.availabilityZones ?? [])],
        logging: input.logging ?? defaultLogging(),
        idle_arrangement_merge_effort:
          input.idleArrangementMergeEffort === undefined || input.idleArrangementMergeEffort === null
            ? null
            : { effort: input.idleArrangementMergeEffort },
        disk: input.disk ?? false,
        optimizer_feature_overrides: overrides,
      },
    },
  }
}

/** `ClusterConfig` of an unmanaged cluster. */
export function unmanagedClusterConfig(): JsonObject {
  return { variant: { Unmanaged: {} } }
}

export interface ManagedReplicaInput {
  size: string
  availabilityZone?: string | null
  disk?: boolean
  internal?: boolean
  billedAs?: string | null
  logging?: JsonObject
  idleArrangementMergeEffort?: bigint | null
}

/** `ReplicaConfig` of a managed replica (fields: logging, merge effort, then the location oneof). */
export function managedReplicaConfig(input: ManagedReplicaInput): JsonObject {
  return {
    logging: input.logging ?? defaultLogging(),
    idle_arrangement_merge_effort:
      input.idleArrangementMergeEffort === undefined || input.idleArrangementMergeEffort === null
        ? null
        : { effort: input.idleArrangementMergeEffort },
    location: {
      Managed: {
        size: input.size,
        availability_zone: input.availabilityZone ?? null,
        disk: input.disk ?? false,
        internal: input.internal ?? false,
        billed_as: input.billedAs ?? null,
      },
    },
  }
}

/** `CatalogItem::V1 { create_sql }`. */
export function itemDefinition(createSql: string): JsonObject {
  return { value: { V1: { create_sql: createSql } } }
}

/** Audit-log `EventType` values. */
export const AUDIT_EVENT_TYPE = { Create: 1n, Drop: 2n, Alter: 3n, Grant: 4n, Revoke: 5n } as const
export type AuditEventType = keyof typeof AUDIT_EVENT_TYPE

/** Audit-log `ObjectType` values (a numbering of its own). */
export const AUDIT_OBJECT_TYPE = {
  Cluster: 1n,
  ClusterReplica: 2n,
  Connection: 3n,
  Database: 4n,
  Func: 5n,
  Index: 6n,
  MaterializedView: 7n,
  Role: 8n,
  Secret: 9n,
  Schema: 10n,
  Sink: 11n,
  Source: 12n,
  Table: 13n,
  Type: 14n,
  View: 15n,
  System: 16n,
} as const
export type AuditObjectType = keyof typeof AUDIT_OBJECT_TYPE

/** `ObjectType` values used by default privileges. */
export const OBJECT_TYPE = {
  Table: 1n,
  View: 2n,
  MaterializedView: 3n,
  Source: 4n,
  Sink: 5n,
  Index: 6n,
  Type: 7n,
  Role: 8n,
  Cluster: 9n,
  ClusterReplica: 10n,
  Secret: 11n,
  Connection: 12n,
  Database: 13n,
  Schema: 14n,
  Func: 15n,
} as const
export type ObjectTypeName = keyof typeof OBJECT_TYPE

/** The audit-log object type of a default-privilege object type (same names, other numbers). */
export function auditObjectTypeOf(objectType: ObjectTypeName): AuditObjectType {
  return objectType
}

/** `CatalogItemType` values (system gid mappings). */
export const CATALOG_ITEM_TYPE = {
  Table: 1n,
  Source: 2n,
  Sink: 3n,
  View: 4n,
  MaterializedView: 5n,
  Index: 6n,
  Type: 7n,
  Func: 8n,
  Secret: 9n,
  Connection: 10n,
} as const

/** `FullNameV1` of audit events. */
export function fullName(database: string, schema: string, item: string): JsonObject {
  return { database, schema, item }
}

/** `StringWrapper` (`null` for `None`). */
export function stringWrapper(s: string | null | undefined): JsonObject | null {
  return s === null || s === undefined ? null : { inner: s }
}
