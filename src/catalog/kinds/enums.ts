/**
 * The proto enums the catalog stores as bare `i32` numbers, and the AclMode bit letters.
 *
 * Each table is indexed by the stored value. Names are the Rust variant names prost derives (the
 * proto name minus its enum prefix, in PascalCase), which is how Materialize's `dump` Debug output
 * prints them (`event_type: Grant`). Value 0 (`Unknown`) is never written by environmentd.
 */

/** `CatalogItemType` (GidMappingKey.object_type). */
export const CATALOG_ITEM_TYPES = [
  'Unknown',
  'Table',
  'Source',
  'Sink',
  'View',
  'MaterializedView',
  'Index',
  'Type',
  'Func',
  'Secret',
  'Connection',
] as const

/** `ObjectType` (DefaultPrivilegesKey.object_type). */
export const OBJECT_TYPES = [
  'Unknown',
  'Table',
  'View',
  'MaterializedView',
  'Source',
  'Sink',
  'Index',
  'Type',
  'Role',
  'Cluster',
  'ClusterReplica',
  'Secret',
  'Connection',
  'Database',
  'Schema',
  'Func',
] as const

/** `AuditLogEventV1.EventType`. */
export const AUDIT_EVENT_TYPES = ['Unknown', 'Create', 'Drop', 'Alter', 'Grant', 'Revoke'] as const

/** `AuditLogEventV1.ObjectType`: numbered differently from {@link OBJECT_TYPES}. */
export const AUDIT_OBJECT_TYPES = [
  'Unknown',
  'Cluster',
  'ClusterReplica',
  'Connection',
  'Database',
  'Func',
  'Index',
  'MaterializedView',
  'Role',
  'Secret',
  'Schema',
  'Sink',
  'Source',
  'Table',
  'Type',
  'View',
  'System',
] as const

/** The name of an enum value, or `undefined` for a number no variant has (the raw i32 is still valid). */
export function enumName(names: readonly string[], value: bigint): string | undefined {
  return value >= 0n && value < BigInt(names.length) ? names[Number(value)] : undefined
}

/** AclMode privilege bits in Materialize's display order, with their letters. */
export const ACL_MODE_BITS = [
  { bit: 1n << 0n, letter: 'a', name: 'INSERT' },
  { bit: 1n << 1n, letter: 'r', name: 'SELECT' },
  { bit: 1n << 2n, letter: 'w', name: 'UPDATE' },
  { bit: 1n << 3n, letter: 'd', name: 'DELETE' },
  { bit: 1n << 8n, letter: 'U', name: 'USAGE' },
  { bit: 1n << 9n, letter: 'C', name: 'CREATE' },
  { bit: 1n << 31n, letter: 'R', name: 'CREATE_ROLE' },
  { bit: 1n << 30n, letter: 'B', name: 'CREATE_DB' },
  { bit: 1n << 29n, letter: 'N', name: 'CREATE_CLUSTER' },
] as const

/** Every privilege bit: what `AclMode::from_bits` accepts. */
export const KNOWN_ACL_BITS = ACL_MODE_BITS.reduce((m, b) => m | b.bit, 0n)

/** The privilege letters of an AclMode (`768` → `UC`). Bits no privilege uses are left out. */
export function aclModeLetters(bitflags: bigint): string {
  let s = ''
  for (const b of ACL_MODE_BITS) if ((bitflags & b.bit) !== 0n) s += b.letter
  return s
}

/** Bits environmentd would reject (`Invalid AclMode from catalog`); 0n when every bit is a privilege. */
export function unknownAclBits(bitflags: bigint): bigint {
  return bitflags & ~KNOWN_ACL_BITS
}
