/**
 * The 19 update kinds: the JSON `"kind"` tags, which are the PascalCase names of the proto
 * `StateUpdateKind.kind` oneof fields (not the Rust enum's variant names), in proto field order.
 */
export const KIND_NAMES = [
  'AuditLog',
  'Cluster',
  'ClusterReplica',
  'Comment',
  'Config',
  'Database',
  'DefaultPrivileges',
  'Epoch',
  'IdAlloc',
  'ClusterIntrospectionSourceIndex',
  'Item',
  'Role',
  'Schema',
  'Setting',
  'StorageUsage',
  'ServerConfiguration',
  'GidMapping',
  'SystemPrivileges',
  'Timestamp',
] as const
export type KindName = (typeof KIND_NAMES)[number]

/** The 18 kinds that belong to a collection (all but `Epoch`). */
export type CollectionKindName = Exclude<KindName, 'Epoch'>

const KINDS: ReadonlySet<string> = new Set(KIND_NAMES)

/** Whether `s` is one of the 19 `kind` tags (case-sensitive, as serde matches them). */
export function isKindName(s: string): s is KindName {
  return KINDS.has(s)
}
