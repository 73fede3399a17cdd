/**
 * `Cluster`, `ClusterReplica` and `ClusterIntrospectionSourceIndex`.
 *
 * `ClusterValue` changed twice inside the supported range: field 2 `linked_object_id` existed up to
 * v45 (removed by the v45→v46 migration) and its `ManagedCluster` gained
 * `optimizer_feature_overrides` in v47 (added by the v46→v47 migration).
 */

import { ClusterConfigV42, ClusterConfigV47, ReplicaConfig } from './cluster-config.js'
import { ClusterId, GlobalId, Privileges, ReplicaId, RoleId } from './common.js'
import { message, option, string, u64, required } from './schema.js'

export const ClusterKey = message('ClusterKey', { id: required(ClusterId) })

/** `ClusterValue` at v42..v45. */
export const ClusterValueV42 = message('ClusterValue', {
  name: string,
  linked_object_id: option(GlobalId),
  owner_id: required(RoleId),
  privileges: Privileges,
  config: required(ClusterConfigV42),
})

/** `ClusterValue` at v46 (field 2 reserved). */
export const ClusterValueV46 = message('ClusterValue', {
  name: string,
  owner_id: required(RoleId),
  privileges: Privileges,
  config: required(ClusterConfigV42),
})

/** `ClusterValue` at v47. */
export const ClusterValueV47 = message('ClusterValue', {
  name: string,
  owner_id: required(RoleId),
  privileges: Privileges,
  config: required(ClusterConfigV47),
})

export const ClusterReplicaKey = message('ClusterReplicaKey', { id: required(ReplicaId) })

export const ClusterReplicaValue = message('ClusterReplicaValue', {
  cluster_id: required(ClusterId),
  name: string,
  config: required(ReplicaConfig),
  owner_id: required(RoleId),
})

/** `name` is the builtin log/introspection source the index serves. */
export const ClusterIntrospectionSourceIndexKey = message('ClusterIntrospectionSourceIndexKey', {
  cluster_id: required(ClusterId),
  name: string,
})

/** `index_id` is the number of the index's `GlobalId::System`. */
export const ClusterIntrospectionSourceIndexValue = message('ClusterIntrospectionSourceIndexValue', { index_id: u64 })
