/**
 * What backup and restore share about SQLite store files: which stores can copy themselves, the
 * frontiers a copy records, the temporary name a file is built under, and the read-only check a
 * finished copy must pass before it is renamed into place.
 */

import { rm } from 'node:fs/promises'
import { StoreCorruptError, UsageError } from '../../errors.js'
import { openStore } from '../../store/open-store.js'
import type { Frontier, ShardListing, ShardStore } from '../../store/shard-store.js'
import { ORGANIZATION_LABEL } from '../constants.js'

/** A store that can copy itself consistently while open (the SQLite store). */
interface BackupCapable {
  backup(target: string): Promise<unknown>
}

export function backupCapable(store: ShardStore): BackupCapable {
  const b = (store as Partial<BackupCapable>).backup
  if (typeof b !== 'function') {
    throw new UsageError(`backup and restore need a SQLite store; ${store.info.location} is a ${store.info.backend} store`, {
      code: 'backup-unsupported',
      hint: store.info.backend === 'postgres' ? "use PostgreSQL's own tools (pg_dump, point-in-time recovery)" : undefined,
    })
  }
  return store as ShardStore & BackupCapable
}

/** One shard as a backup or restore saw it. */
export interface ShardFrontiers {
  readonly shardId: string
  readonly shardName: string
  /** The organization a catalog shard belongs to (from its diagnostics), if recorded. */
  readonly organizationId: string | null
  readonly upper: Frontier
  readonly since: Frontier
  readonly seqno: bigint
}

export function frontiersOf(s: ShardListing): ShardFrontiers {
  return {
    shardId: s.shardId,
    shardName: s.shardName,
    organizationId: s.labels[ORGANIZATION_LABEL] ?? null,
    upper: s.upper,
    since: s.since,
    seqno: s.seqno,
  }
}
export function tempPath(target: string): string {
  return `${target}.partial-${process.pid}`
}

export async function removeSidecars(path: string): Promise<void> {
  await rm(`${path}-wal`, { force: true })
  await rm(`${path}-shm`, { force: true })
}

/** Opens a store file read-only, runs the integrity check, lists its shards, closes it. */
export async function checkedListing(path: string, what: string): Promise<ShardListing[]> {
  const store = await openStore(path, { readOnly: true })
  try {
    const problems = await store.integrityCheck()
    if (problems.length > 0) {
      throw new StoreCorruptError(
        `${what} ${path} fails the integrity check: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}`,
      )
    }
    return await store.listShards()
  } finally {
    await store.close()
  }
}
