/**
 * The contents of a freshly initialised catalog (Materialize's `initialize.rs` at catalog
 * version 47): the builtin roles, the `materialize` database with its `public` schema, the system
 * schemas, the `quickstart` cluster with replica `r1`, default and system privileges, the id
 * allocators, the configs, the epoch-milliseconds timestamp, and an audit event for each grant
 * and creation. `fixtures/fresh-v47.ndjson` holds every row, and
 * `test/catalog-fresh.test.ts` compares them with Materialize's v47 snapshot row by row.
 *
 * Everything is written through one transaction, so it commits as one batch at one timestamp.
 */

import type { JsonObject } from '../json/lossless-json.js'
import { CATALOG_VERSION, ID_ALLOC, SYSTEM_CONFIG_SYNCED_KEY, USER_VERSION_KEY, DEPLOY_GENERATION_KEY } from './constants.js'
import type { CatalogTransaction } from './catalog-transaction.js'
import type { AuditEventInput } from './transaction.js'
import {
  ACL,
  ALL_CONTAINER_PRIVILEGES,
  ALL_SYSTEM_PRIVILEGES,
  aclItem,
  aclModeString,
  auditObjectTypeOf,
  idString,
  managedClusterConfig,
  managedReplicaConfig,
  MZ_SUPPORT_ROLE_ID,
  MZ_SYSTEM_ROLE_ID,
  publicRoleId,
  roleIdString,
  systemId,
  userId,
  type ObjectTypeName,
} from './object-builders.js'

/** What a new catalog is created with (Materialize's `BootstrapArgs` plus the open arguments). */
export interface BootstrapArgs {
  /** Size of the `quickstart` cluster and its replica `r1`. */
  readonly defaultClusterReplicaSize: string
  /** A user role to create with every privilege on the default objects. */
  readonly bootstrapRole?: string | null
}

/** The builtin roles of v0.91 (`BUILTIN_ROLES`), all with `inherit: true`. */
const BUILTIN_ROLES = [
  [1n, 'mz_system'],
  [2n, 'mz_support'],
  [3n, 'mz_monitor'],
  [4n, 'mz_monitor_redacted'],
] as const

const MATERIALIZE_DATABASE_ID = 1n
const PUBLIC_SCHEMA_ID = 3n
/** System schemas and the user `public` schema, in the order Materialize inserts them. */
const SCHEMAS = [
  ['System', 1n, 'mz_catalog'],
  ['System', 2n, 'pg_catalog'],
  ['User', PUBLIC_SCHEMA_ID, 'public'],
  ['System', 4n, 'mz_internal'],
  ['System', 5n, 'information_schema'],
  ['System', 6n, 'mz_unsafe'],
] as const
const DEFAULT_CLUSTER_ID = 1n
const DEFAULT_CLUSTER_NAME = 'quickstart'
const DEFAULT_REPLICA_ID = 1n
const DEFAULT_REPLICA_NAME = 'r1'
/** The epoch-milliseconds timeline's id in the `timestamp` collection. */
const EPOCH_MILLISECONDS_TIMELINE = 'M'

/**
 * Writes the initial contents into `tx`. `initialTs` (epoch ms) is the boot time, recorded as the
 * timeline's timestamp and as every audit event's time.
 */
export function writeInitialContents(
  tx: CatalogTransaction,
  args: BootstrapArgs,
  initialTs: bigint,
  deployGeneration: bigint | null,
): void {
  const audit: Omit<AuditEventInput, 'occurredAt'>[] = []
  const mzSystem = systemId(MZ_SYSTEM_ROLE_ID)
  const mzSupport = systemId(MZ_SUPPORT_ROLE_ID)
  const grant = (objectType: AuditEventInput['objectType'], objectId: string, grantee: string, privileges: bigint): void => {
    audit.push({
      eventType: 'Grant',
      objectType,
      details: { UpdatePrivilegeV1: { object_id: objectId, grantee_id: grantee, grantor_id: 's1', privileges: aclModeString(privileges) } },
    })
  }

  // The boot timestamp first.
  tx.insertTimestamp(EPOCH_MILLISECONDS_TIMELINE, initialTs)

  for (const [name, nextId] of [
    [ID_ALLOC.user, 1n],
    [ID_ALLOC.system, 1n],
    [ID_ALLOC.database, MATERIALIZE_DATABASE_ID + 1n],
    [ID_ALLOC.schema, 7n], // the largest schema id + 1
    [ID_ALLOC.userRole, 1n],
    [ID_ALLOC.userCluster, DEFAULT_CLUSTER_ID + 1n],
    [ID_ALLOC.systemCluster, 1n],
    [ID_ALLOC.userReplica, DEFAULT_REPLICA_ID + 1n],
    [ID_ALLOC.systemReplica, 1n],
    [ID_ALLOC.auditLog, 1n],
    [ID_ALLOC.storageUsage, 1n],
  ] as const) {
    tx.insertIdAllocator(name, nextId)
  }

  for (const [id, name] of BUILTIN_ROLES) tx.insertRole(systemId(id), { name })
  tx.insertRole(publicRoleId(), { name: 'public' })

  const bootstrapName = args.bootstrapRole ?? null
  let bootstrap: JsonObject | null = null
  if (bootstrapName !== null) {
    bootstrap = tx.insertUserRole({ name: bootstrapName })
    audit.push({ eventType: 'Create', objectType: 'Role', details: { IdNameV1: { id: roleIdString(bootstrap), name: bootstrapName } } })
  }

  // mz_support may use every cluster, database and schema (for debugging); everyone may use types.
  const defaultPrivileges: readonly (readonly [ObjectTypeName, JsonObject])[] = [
    ['Cluster', mzSupport],
    ['Database', mzSupport],
    ['Schema', mzSupport],
    ['Type', publicRoleId()],
  ]
  for (const [objectType, grantee] of defaultPrivileges) {
    tx.setDefaultPrivilege({ roleId: publicRoleId(), objectType, grantee }, ACL.USAGE)
  }
  for (const [objectType, grantee] of defaultPrivileges) {
    audit.push({
      eventType: 'Grant',
      objectType: auditObjectTypeOf(objectType),
      details: {
        AlterDefaultPrivilegeV1: {
          role_id: 'p',
          database_id: null,
          schema_id: null,
          grantee_id: roleIdString(grantee),
          privileges: aclModeString(ACL.USAGE),
        },
      },
    })
  }

  // Public may use, mz_support may use, mz_system owns; the bootstrap role gets everything.
  const basePrivileges = (): JsonObject[] => [
    aclItem(publicRoleId(), mzSystem, ACL.USAGE),
    aclItem(mzSupport, mzSystem, ACL.USAGE),
    aclItem(mzSystem, mzSystem, ALL_CONTAINER_PRIVILEGES),
  ]
  const withBootstrap = (privs: JsonObject[]): JsonObject[] =>
    bootstrap === null ? privs : [...privs, aclItem(bootstrap, mzSystem, ALL_CONTAINER_PRIVILEGES)]

  const databaseId = tx.insertDatabase({
    id: userId(MATERIALIZE_DATABASE_ID),
    name: 'materialize',
    ownerId: mzSystem,
    privileges: withBootstrap(basePrivileges()),
  })
  audit.push({ eventType: 'Create', objectType: 'Database', details: { IdNameV1: { id: idString(databaseId), name: 'materialize' } } })
  grant('Database', `D${idString(databaseId)}`, 'p', ACL.USAGE)
  if (bootstrap !== null) grant('Database', `D${idString(databaseId)}`, roleIdString(bootstrap), ALL_CONTAINER_PRIVILEGES)

  for (const [variant, id, name] of SCHEMAS) {
    const isPublic = variant === 'User'
    tx.insertSchema({
      id: variant === 'System' ? systemId(id) : userId(id),
      databaseId: isPublic ? databaseId : null,
      name,
      ownerId: mzSystem,
      privileges: isPublic ? withBootstrap(basePrivileges()) : basePrivileges(),
    })
  }
  audit.push({
    eventType: 'Create',
    objectType: 'Schema',
    details: { SchemaV2: { id: PUBLIC_SCHEMA_ID.toString(), name: 'public', database_name: { inner: 'materialize' } } },
  })
  if (bootstrap !== null) {
    grant('Schema', `S${idString(databaseId)}.u${PUBLIC_SCHEMA_ID}`, roleIdString(bootstrap), ALL_CONTAINER_PRIVILEGES)
  }

  const size = args.defaultClusterReplicaSize
  const clusterId = tx.insertCluster({
    id: userId(DEFAULT_CLUSTER_ID),
    name: DEFAULT_CLUSTER_NAME,
    ownerId: mzSystem,
    privileges: withBootstrap(basePrivileges()),
    config: managedClusterConfig({ size }),
  })
  audit.push({ eventType: 'Create', objectType: 'Cluster', details: { IdNameV1: { id: idString(clusterId), name: DEFAULT_CLUSTER_NAME } } })
  grant('Cluster', `C${idString(clusterId)}`, 'p', ACL.USAGE)
  if (bootstrap !== null) grant('Cluster', `C${idString(clusterId)}`, roleIdString(bootstrap), ALL_CONTAINER_PRIVILEGES)

  const replicaId = tx.insertClusterReplica({
    id: userId(DEFAULT_REPLICA_ID),
    clusterId,
    name: DEFAULT_REPLICA_NAME,
    config: managedReplicaConfig({ size }),
    ownerId: mzSystem,
  })
  audit.push({
    eventType: 'Create',
    objectType: 'ClusterReplica',
    details: {
      CreateClusterReplicaV1: {
        cluster_id: idString(clusterId),
        cluster_name: DEFAULT_CLUSTER_NAME,
        replica_id: { inner: idString(replicaId) },
        replica_name: DEFAULT_REPLICA_NAME,
        logical_size: size,
        disk: false,
        billed_as: null,
        internal: false,
      },
    },
  })

  const systemGrantees = bootstrap === null ? [mzSystem] : [mzSystem, bootstrap]
  for (const grantee of systemGrantees) tx.setSystemPrivilege(grantee, mzSystem, ALL_SYSTEM_PRIVILEGES)
  for (const grantee of systemGrantees) grant('System', 'SYSTEM', roleIdString(grantee), ALL_SYSTEM_PRIVILEGES)

  // Ids for the events are allocated only now, in one run, as Materialize does.
  for (const event of audit) tx.insertAuditLogEvent({ ...event, occurredAt: initialTs, user: null })

  tx.insertConfig(USER_VERSION_KEY, BigInt(CATALOG_VERSION))
  tx.insertConfig(DEPLOY_GENERATION_KEY, deployGeneration ?? 0n)
  tx.insertConfig(SYSTEM_CONFIG_SYNCED_KEY, 0n)
}
