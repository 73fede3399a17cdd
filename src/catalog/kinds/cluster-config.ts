/**
 * Cluster and replica configuration messages. `ClusterConfig.ManagedCluster` is the one common
 * type whose shape changed inside the supported range: v47 added `optimizer_feature_overrides`
 * (field 7), so v42..v46 rows lack it and v47 requires it (a `Vec`, so it is not optional).
 */

import { ReplicaLogging, ReplicaMergeEffort } from './common.js'
import { bool, empty, message, oneof, option, repeated, string, u32, u64, type Infer } from './schema.js'

/** New in v47. Built from a Rust BTreeMap, so the array is sorted by `name`. */
export const OptimizerFeatureOverride = message('OptimizerFeatureOverride', { name: string, value: string })
export type OptimizerFeatureOverride = Infer<typeof OptimizerFeatureOverride>

const managedFieldsV42 = {
  size: string,
  replication_factor: u32,
  availability_zones: repeated(string),
  logging: option(ReplicaLogging),
  idle_arrangement_merge_effort: option(ReplicaMergeEffort),
  disk: bool,
}

/** `ClusterConfig.ManagedCluster` at v42..v46 (fields 1..6). */
export const ManagedClusterV42 = message('ManagedCluster', managedFieldsV42)
export type ManagedClusterV42 = Infer<typeof ManagedClusterV42>

/** `ClusterConfig.ManagedCluster` at v47. */
export const ManagedCluster = message('ManagedCluster', {
  ...managedFieldsV42,
  optimizer_feature_overrides: repeated(OptimizerFeatureOverride),
})
export type ManagedCluster = Infer<typeof ManagedCluster>

/** `ClusterConfig` at v42..v46. */
export const ClusterConfigV42 = message('ClusterConfig', {
  variant: option(oneof('ClusterConfig', { Unmanaged: empty, Managed: ManagedClusterV42 })),
})
export type ClusterConfigV42 = Infer<typeof ClusterConfigV42>

/** `ClusterConfig` at v47. */
export const ClusterConfig = message('ClusterConfig', {
  variant: option(oneof('ClusterConfig', { Unmanaged: empty, Managed: ManagedCluster })),
})
export type ClusterConfig = Infer<typeof ClusterConfig>

export const UnmanagedLocation = message('UnmanagedLocation', {
  storagectl_addrs: repeated(string),
  storage_addrs: repeated(string),
  computectl_addrs: repeated(string),
  compute_addrs: repeated(string),
  workers: u64,
})
export type UnmanagedLocation = Infer<typeof UnmanagedLocation>

export const ManagedLocation = message('ManagedLocation', {
  size: string,
  availability_zone: option(string),
  disk: bool,
  internal: bool,
  billed_as: option(string),
})
export type ManagedLocation = Infer<typeof ManagedLocation>

/** The oneof `location` is declared first in the proto but prost places it after the plain fields. */
export const ReplicaConfig = message('ReplicaConfig', {
  logging: option(ReplicaLogging),
  idle_arrangement_merge_effort: option(ReplicaMergeEffort),
  location: option(oneof('ReplicaConfig', { Unmanaged: UnmanagedLocation, Managed: ManagedLocation })),
})
export type ReplicaConfig = Infer<typeof ReplicaConfig>
