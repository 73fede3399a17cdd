/**
 * Support for the fixture, diff, verify and snapshot-regression tests: the repository root, a
 * fresh store, and a small catalog with history written straight through the store.
 */

import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { rowLookup } from '../../src/catalog/codec/row-lookup.js'
import { CRITICAL_SINCE_PURPOSE, CRITICAL_SINCE_READER_ID } from '../../src/catalog/constants.js'
import { catalogShardDiagnostics } from '../../src/catalog/catalog-shards.js'
import { openStore } from '../../src/store/open-store.js'
import { CATALOG_SEED, shardId } from '../../src/store/shard-id.js'
import type { ShardStore, Update } from '../../src/store/shard-store.js'

/** The repository root (the directory holding package.json), from source or compiled tests. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir)
    if (up === dir) throw new Error('package.json not found above the test directory')
    dir = up
  }
  return dir
}

export const TEST_ORG = '00000000-0000-4000-8000-000000000001'
export const TEST_BUILD = '0.91.0'

/** A fresh in-memory SQLite store with the catalog's lookup extractor and a fixed clock. */
export async function newMemoryStore(): Promise<ShardStore> {
  let t = 1_709_251_200_000n
  return openStore(':memory:', { create: true, lookup: rowLookup, buildVersion: TEST_BUILD, now: () => t++ })
}

/** The 45 rows a fresh v47 catalog holds at ts 2, plus its epoch (Materialize's `src/catalog/tests/snapshots/open__initial_snapshot.snap`, trimmed to v47). */
export const FRESH_ROWS: readonly string[] = [
  '{"epoch":2,"kind":"Epoch"}',
  '{"key":{"id":"M"},"kind":"Timestamp","value":{"ts":{"internal":0}}}',
  '{"key":{"name":"user"},"kind":"IdAlloc","value":{"next_id":1}}',
  '{"key":{"name":"system"},"kind":"IdAlloc","value":{"next_id":1}}',
  '{"key":{"name":"database"},"kind":"IdAlloc","value":{"next_id":2}}',
  '{"key":{"name":"schema"},"kind":"IdAlloc","value":{"next_id":7}}',
  '{"key":{"name":"user_role"},"kind":"IdAlloc","value":{"next_id":1}}',
  '{"key":{"name":"user_compute"},"kind":"IdAlloc","value":{"next_id":2}}',
  '{"key":{"name":"system_compute"},"kind":"IdAlloc","value":{"next_id":1}}',
  '{"key":{"name":"replica"},"kind":"IdAlloc","value":{"next_id":2}}',
  '{"key":{"name":"system_replica"},"kind":"IdAlloc","value":{"next_id":1}}',
  '{"key":{"name":"auditlog"},"kind":"IdAlloc","value":{"next_id":12}}',
  '{"key":{"name":"storage_usage"},"kind":"IdAlloc","value":{"next_id":1}}',
  '{"key":{"id":{"value":{"System":1}}},"kind":"Role","value":{"attributes":{"inherit":true},"membership":{"map":[]},"name":"mz_system","vars":{"entries":[]}}}',
  '{"key":{"id":{"value":{"System":2}}},"kind":"Role","value":{"attributes":{"inherit":true},"membership":{"map":[]},"name":"mz_support","vars":{"entries":[]}}}',
  '{"key":{"id":{"value":{"System":3}}},"kind":"Role","value":{"attributes":{"inherit":true},"membership":{"map":[]},"name":"mz_monitor","vars":{"entries":[]}}}',
  '{"key":{"id":{"value":{"System":4}}},"kind":"Role","value":{"attributes":{"inherit":true},"membership":{"map":[]},"name":"mz_monitor_redacted","vars":{"entries":[]}}}',
  '{"key":{"id":{"value":{"Public":{}}}},"kind":"Role","value":{"attributes":{"inherit":true},"membership":{"map":[]},"name":"public","vars":{"entries":[]}}}',
  '{"key":{"database_id":null,"grantee":{"value":{"System":2}},"object_type":9,"role_id":{"value":{"Public":{}}},"schema_id":null},"kind":"DefaultPrivileges","value":{"privileges":{"bitflags":256}}}',
  '{"key":{"database_id":null,"grantee":{"value":{"System":2}},"object_type":13,"role_id":{"value":{"Public":{}}},"schema_id":null},"kind":"DefaultPrivileges","value":{"privileges":{"bitflags":256}}}',
  '{"key":{"database_id":null,"grantee":{"value":{"System":2}},"object_type":14,"role_id":{"value":{"Public":{}}},"schema_id":null},"kind":"DefaultPrivileges","value":{"privileges":{"bitflags":256}}}',
  '{"key":{"database_id":null,"grantee":{"value":{"Public":{}}},"object_type":7,"role_id":{"value":{"Public":{}}},"schema_id":null},"kind":"DefaultPrivileges","value":{"privileges":{"bitflags":256}}}',
  '{"key":{"id":{"value":{"User":1}}},"kind":"Database","value":{"name":"materialize","owner_id":{"value":{"System":1}},"privileges":[{"acl_mode":{"bitflags":256},"grantee":{"value":{"Public":{}}},"grantor":{"value":{"System":1}}},{"acl_mode":{"bitflags":256},"grantee":{"value":{"System":2}},"grantor":{"value":{"System":1}}},{"acl_mode":{"bitflags":768},"grantee":{"value":{"System":1}},"grantor":{"value":{"System":1}}}]}}',
  '{"key":{"id":{"value":{"System":1}}},"kind":"Schema","value":{"database_id":null,"name":"mz_catalog","owner_id":{"value":{"System":1}},"privileges":[{"acl_mode":{"bitflags":256},"grantee":{"value":{"Public":{}}},"grantor":{"value":{"System":1}}},{"acl_mode":{"bitflags":256},"grantee":{"value":{"System":2}},"grantor":{"value":{"System":1}}},{"acl_mode":{"bitflags":768},"grantee":{"value":{"System":1}},"grantor":{"value":{"System":1}}}]}}',
  '{"key":{"id":{"value":{"System":2}}},"kind":"Schema","value":{"database_id":null,"name":"pg_catalog","owner_id":{"value":{"System":1}},"privileges":[{"acl_mode":{"bitflags":256},"grantee":{"value":{"Public":{}}},"grantor":{"value":{"System":1}}},{"acl_mode":{"bitflags":256},"grantee":{"value":{"System":2}},"grantor":{"value":{"System":1}}},{"acl_mode":{"bitflags":768},"grantee":{"value":{"System":1}},"grantor":{"value":{"System":1}}}]}}',
  '{"key":{"id":{"value":{"User":3}}},"kind":"Schema","value":{"database_id":{"value":{"User":1}},"name":"public","owner_id":{"value":{"System":1}},"privileges":[{"acl_mode":{"bitflags":256},"grantee":{"value":{"Public":{}}},"grantor":{"value":{"System":1}}},{"acl_mode":{"bitflags":256},"grantee":{"value":{"System":2}},"grantor":{"value":{"System":1}}},{"acl_mode":{"bitflags":768},"grantee":{"value":{"System":1}},"grantor":{"value":{"System":1}}}]}}',
  '{"key":{"id":{"value":{"System":4}}},"kind":"Schema","value":{"database_id":null,"name":"mz_internal","owner_id":{"value":{"System":1}},"privileges":[{"acl_mode":{"bitflags":256},"grantee":{"value":{"Public":{}}},"grantor":{"value":{"System":1}}},{"acl_mode":{"bitflags":256},"grantee":{"value":{"System":2}},"grantor":{"value":{"System":1}}},{"acl_mode":{"bitflags":768},"grantee":{"value":{"System":1}},"grantor":{"value":{"System":1}}}]}}',
  '{"key":{"id":{"value":{"System":5}}},"kind":"Schema","value":{"database_id":null,"name":"information_schema","owner_id":{"value":{"System":1}},"privileges":[{"acl_mode":{"bitflags":256},"grantee":{"value":{"Public":{}}},"grantor":{"value":{"System":1}}},{"acl_mode":{"bitflags":256},"grantee":{"value":{"System":2}},"grantor":{"value":{"System":1}}},{"acl_mode":{"bitflags":768},"grantee":{"value":{"System":1}},"grantor":{"value":{"System":1}}}]}}',
  '{"key":{"id":{"value":{"System":6}}},"kind":"Schema","value":{"database_id":null,"name":"mz_unsafe","owner_id":{"value":{"System":1}},"privileges":[{"acl_mode":{"bitflags":256},"grantee":{"value":{"Public":{}}},"grantor":{"value":{"System":1}}},{"acl_mode":{"bitflags":256},"grantee":{"value":{"System":2}},"grantor":{"value":{"System":1}}},{"acl_mode":{"bitflags":768},"grantee":{"value":{"System":1}},"grantor":{"value":{"System":1}}}]}}',
  '{"key":{"id":{"value":{"User":1}}},"kind":"Cluster","value":{"config":{"variant":{"Managed":{"availability_zones":[],"disk":false,"idle_arrangement_merge_effort":null,"logging":{"interval":{"nanos":0,"secs":1},"log_logging":false},"optimizer_feature_overrides":[],"replication_factor":1,"size":"1"}}},"name":"quickstart","owner_id":{"value":{"System":1}},"privileges":[{"acl_mode":{"bitflags":256},"grantee":{"value":{"Public":{}}},"grantor":{"value":{"System":1}}},{"acl_mode":{"bitflags":256},"grantee":{"value":{"System":2}},"grantor":{"value":{"System":1}}},{"acl_mode":{"bitflags":768},"grantee":{"value":{"System":1}},"grantor":{"value":{"System":1}}}]}}',
  '{"key":{"id":{"value":{"User":1}}},"kind":"ClusterReplica","value":{"cluster_id":{"value":{"User":1}},"config":{"idle_arrangement_merge_effort":null,"location":{"Managed":{"availability_zone":null,"billed_as":null,"disk":false,"internal":false,"size":"1"}},"logging":{"interval":{"nanos":0,"secs":1},"log_logging":false}},"name":"r1","owner_id":{"value":{"System":1}}}}',
  '{"key":{"grantee":{"value":{"System":1}},"grantor":{"value":{"System":1}}},"kind":"SystemPrivileges","value":{"acl_mode":{"bitflags":3758096384}}}',
  '{"key":{"event":{"V1":{"details":{"AlterDefaultPrivilegeV1":{"database_id":null,"grantee_id":"s2","privileges":"U","role_id":"p","schema_id":null}},"event_type":4,"id":1,"object_type":1,"occurred_at":{"millis":0},"user":null}}},"kind":"AuditLog"}',
  '{"key":{"event":{"V1":{"details":{"AlterDefaultPrivilegeV1":{"database_id":null,"grantee_id":"s2","privileges":"U","role_id":"p","schema_id":null}},"event_type":4,"id":2,"object_type":4,"occurred_at":{"millis":0},"user":null}}},"kind":"AuditLog"}',
  '{"key":{"event":{"V1":{"details":{"AlterDefaultPrivilegeV1":{"database_id":null,"grantee_id":"s2","privileges":"U","role_id":"p","schema_id":null}},"event_type":4,"id":3,"object_type":10,"occurred_at":{"millis":0},"user":null}}},"kind":"AuditLog"}',
  '{"key":{"event":{"V1":{"details":{"AlterDefaultPrivilegeV1":{"database_id":null,"grantee_id":"p","privileges":"U","role_id":"p","schema_id":null}},"event_type":4,"id":4,"object_type":14,"occurred_at":{"millis":0},"user":null}}},"kind":"AuditLog"}',
  '{"key":{"event":{"V1":{"details":{"IdNameV1":{"id":"u1","name":"materialize"}},"event_type":1,"id":5,"object_type":4,"occurred_at":{"millis":0},"user":null}}},"kind":"AuditLog"}',
  '{"key":{"event":{"V1":{"details":{"UpdatePrivilegeV1":{"grantee_id":"p","grantor_id":"s1","object_id":"Du1","privileges":"U"}},"event_type":4,"id":6,"object_type":4,"occurred_at":{"millis":0},"user":null}}},"kind":"AuditLog"}',
  '{"key":{"event":{"V1":{"details":{"SchemaV2":{"database_name":{"inner":"materialize"},"id":"3","name":"public"}},"event_type":1,"id":7,"object_type":10,"occurred_at":{"millis":0},"user":null}}},"kind":"AuditLog"}',
  '{"key":{"event":{"V1":{"details":{"IdNameV1":{"id":"u1","name":"quickstart"}},"event_type":1,"id":8,"object_type":1,"occurred_at":{"millis":0},"user":null}}},"kind":"AuditLog"}',
  '{"key":{"event":{"V1":{"details":{"UpdatePrivilegeV1":{"grantee_id":"p","grantor_id":"s1","object_id":"Cu1","privileges":"U"}},"event_type":4,"id":9,"object_type":1,"occurred_at":{"millis":0},"user":null}}},"kind":"AuditLog"}',
  '{"key":{"event":{"V1":{"details":{"CreateClusterReplicaV1":{"billed_as":null,"cluster_id":"u1","cluster_name":"quickstart","disk":false,"internal":false,"logical_size":"1","replica_id":{"inner":"u1"},"replica_name":"r1"}},"event_type":1,"id":10,"object_type":2,"occurred_at":{"millis":0},"user":null}}},"kind":"AuditLog"}',
  '{"key":{"event":{"V1":{"details":{"UpdatePrivilegeV1":{"grantee_id":"s1","grantor_id":"s1","object_id":"SYSTEM","privileges":"RBN"}},"event_type":4,"id":11,"object_type":16,"occurred_at":{"millis":0},"user":null}}},"kind":"AuditLog"}',
  '{"key":{"key":"user_version"},"kind":"Config","value":{"value":47}}',
  '{"key":{"key":"deploy_generation"},"kind":"Config","value":{"value":0}}',
  '{"key":{"key":"system_config_synced"},"kind":"Config","value":{"value":0}}',
]

/** A row of the `setting` collection. */
export function settingRow(name: string, value: string): string {
  return `{"key":{"name":${JSON.stringify(name)}},"kind":"Setting","value":{"value":${JSON.stringify(value)}}}`
}

/**
 * Writes a small catalog with history into `store`, as Materialize would: an empty append at ts 0,
 * the epoch at ts 1, the fresh catalog at ts 2, a setting added at ts 3 and changed at ts 4 (so
 * the history has a retraction), since moved to upper − 1. Returns the shard id.
 */
export async function seedCatalog(store: ShardStore, org = TEST_ORG): Promise<string> {
  const shard = shardId(org, CATALOG_SEED)
  await store.openShard(shard, catalogShardDiagnostics(org))
  const append = async (updates: Update[], lower: bigint): Promise<void> => {
    const r = await store.compareAndAppend(shard, updates, lower, lower + 1n)
    if (!r.ok) throw new Error(`seed append at ${lower} failed`)
  }
  await append([], 0n)
  const [epoch, ...rest] = FRESH_ROWS
  await append([{ data: epoch as string, ts: 1n, diff: 1n }], 1n)
  await append(
    rest.map((data) => ({ data, ts: 2n, diff: 1n })),
    2n,
  )
  await append([{ data: settingRow('catalog_content_version', '0.90.0'), ts: 3n, diff: 1n }], 3n)
  await append(
    [
      { data: settingRow('catalog_content_version', '0.90.0'), ts: 4n, diff: -1n },
      { data: settingRow('catalog_content_version', '0.91.0'), ts: 4n, diff: 1n },
    ],
    4n,
  )
  const reader = await store.openCriticalReader(shard, CRITICAL_SINCE_READER_ID, CRITICAL_SINCE_PURPOSE)
  await store.compareAndDowngradeSince(shard, CRITICAL_SINCE_READER_ID, reader.opaque, reader.opaque, 4n)
  return shard
}
