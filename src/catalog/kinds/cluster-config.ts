/**
 * Cluster and replica configuration messages. `ClusterConfig.ManagedCluster` is the one common
 * type whose shape changed inside the supported range: v47 added `optimizer_feature_overrides`
 * (field 7), so v42..v46 rows lack it and v47 requires it (a `Vec`, so it is not optional).
 */

import { ReplicaLogging, ReplicaMergeEffort } from './common.js'
import { bool, empty, message, oneof, option, repeated, string, u32, u64, required } from './schema.js'

/** New in v47. Built from a Rust BTreeMap, so the array is sorted by `name`. */
export const OptimizerFeatureOverride = message('OptimizerFeatureOverride', { name: string, value: string })

const managedFieldsV42 = {
  size: string,
  replication_factor: u32,
  availability_zones: repeated(string),
  logging: required(ReplicaLogging),
  idle_arrangement_merge_effort: option(ReplicaMergeEffort),
  disk: bool,
}

/** `ClusterConfig.ManagedCluster` at v42..v46 (fields 1..6). */
const ManagedClusterV42 = message('ManagedCluster', managedFieldsV42)

/** `ClusterConfig.ManagedCluster` at v47. */
const ManagedClusterV47 = message('ManagedCluster', {
  ...managedFieldsV42,
  optimizer_feature_overrides: repeated(OptimizerFeatureOverride),
})

/** `ClusterConfig` at v42..v46. */
export const ClusterConfigV42 = message('ClusterConfig', {
  variant: required(oneof('ClusterConfig', { Unmanaged: empty, Managed: ManagedClusterV42 })),
})

/** `ClusterConfig` at v47. */
export const ClusterConfigV47 = message('ClusterConfig', {
  variant: required(oneof('ClusterConfig', { Unmanaged: empty, Managed: ManagedClusterV47 })),
})

export const UnmanagedLocation = message('UnmanagedLocation', {
  storagectl_addrs: repeated(string),
  storage_addrs: repeated(string),
  computectl_addrs: repeated(string),
  compute_addrs: repeated(string),
  workers: u64,
})

export const ManagedLocation = message('ManagedLocation', {
  size: string,
  availability_zone: option(string),
  disk: bool,
  internal: bool,
  billed_as: option(string),
})

/** The oneof `location` is declared first in the proto but prost places it after the plain fields. */
export const ReplicaConfig = message('ReplicaConfig', {
  logging: required(ReplicaLogging),
  idle_arrangement_merge_effort: option(ReplicaMergeEffort),
  location: required(oneof('ReplicaConfig', { Unmanaged: UnmanagedLocation, Managed: ManagedLocation })),
})
