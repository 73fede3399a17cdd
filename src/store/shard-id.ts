import { createHash } from 'node:crypto'

/** Seed of the catalog shard (persist's `CATALOG_SEED`). */
export const CATALOG_SEED = 1
/** Seed of the catalog-upgrade shard (persist's `UPGRADE_SEED`), stamped by writable opens only. */
export const UPGRADE_SEED = 2

const SHARD_ID_RE = /^s[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * A shard id as Materialize derives it: `s` + the UUID made of the first 16 bytes of
 * `sha256(organizationId + seed)` (the bytes used as they are, no version bits set).
 */
export function shardId(organizationId: string, seed: number): string {
  const hex = createHash('sha256').update(`${organizationId}${seed}`).digest('hex').slice(0, 32)
  return `s${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

/** Whether `id` has the form `s<uuid>` (lower-case hex). */
export function isShardId(id: string): boolean {
  return SHARD_ID_RE.test(id)
}
