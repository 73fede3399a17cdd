/**
 * Backup and restore of a SQLite store (`catalog-debug backup` / `restore`).
 *
 * Backups are online and consistent: SQLite's backup API copies the database as of one read
 * transaction while writers continue. Restores are guarded the way etcd's are (a restore must not
 * move any shard's upper backwards, or a running environment would re-issue timestamps it already
 * handed out and readers would see history rewritten): unless forced, a restore that would lower
 * a shard's upper — or drop a shard — is refused, and nothing is touched.
 *
 * A backup (and a restore to a new file) writes the new file next to its destination first and
 * renames it into place only once it is complete and passes the integrity check, so a crash leaves
 * either the old file or the new one, never a mixture. A restore over an existing store copies the
 * backup in through SQLite's backup API as one transaction on the store, under SQLite's locks.
 */

import { chmodSync, existsSync, statSync } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { NotFoundError, RefusedError, StoreBusyError, StoreCorruptError, UsageError, CatalogDebugError } from '../../errors.js'
import { isPostgresLocation, openStore } from '../../store/open-store.js'
import { frontierText } from '../../store/frontier.js'
import type { Frontier, ShardListing, ShardStore, WriteRecord } from '../../store/shard-store.js'
import { ORGANIZATION_LABEL } from '../constants.js'

/** A store that can copy itself consistently while open (the SQLite store). */
interface BackupCapable {
  backup(target: string): Promise<unknown>
}

function backupCapable(store: ShardStore): BackupCapable {
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

function frontiersOf(s: ShardListing): ShardFrontiers {
  return {
    shardId: s.shardId,
    shardName: s.shardName,
    organizationId: s.labels[ORGANIZATION_LABEL] ?? null,
    upper: s.upper,
    since: s.since,
    seqno: s.seqno,
  }
}

export interface BackupResult {
  /** The backup file written. */
  readonly target: string
  readonly bytes: number
  /** Every shard in the backup, with the frontiers it was copied at. */
  readonly shards: readonly ShardFrontiers[]
}

export interface BackupOptions {
  /** Replace an existing file at `target`. Default false (refused). */
  readonly overwrite?: boolean
}

function tempPath(target: string): string {
  return `${target}.partial-${process.pid}`
}

async function removeSidecars(path: string): Promise<void> {
  await rm(`${path}-wal`, { force: true })
  await rm(`${path}-shm`, { force: true })
}

/** Opens a store file read-only, runs the integrity check, lists its shards, closes it. */
async function checkedListing(path: string, what: string): Promise<ShardListing[]> {
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

/**
 * Copies `store` to the file `target`, online and consistently, and checks the copy (integrity
 * check, shard listing). Refuses an existing `target` unless `overwrite`. Throws `UsageError`
 * for a store that is not SQLite.
 */
export async function backupStore(store: ShardStore, target: string, opts: BackupOptions = {}): Promise<BackupResult> {
  const source = backupCapable(store)
  if (isPostgresLocation(target) || target === ':memory:') throw new UsageError(`a backup target must be a file path, not ${target}`)
  if (existsSync(target) && opts.overwrite !== true) {
    throw new RefusedError(`${target} already exists; not overwriting it`, {
      code: 'target-exists',
      hint: 'choose a new file name, or pass --force',
    })
  }
  const tmp = tempPath(target)
  try {
    await source.backup(tmp)
    // A backup is a store: owner-only, like every store this tool creates.
    chmodSync(tmp, 0o600)
    const shards = await checkedListing(tmp, 'the backup')
    await removeSidecars(tmp)
    await rename(tmp, target)
    await removeSidecars(target)
    return { target, bytes: statSync(target).size, shards: shards.map(frontiersOf) }
  } catch (err) {
    await rm(tmp, { force: true })
    await removeSidecars(tmp)
    throw err
  }
}

/** A shard whose upper a restore would move backwards (or drop: `restoredUpper` null and `missing`). */
export interface UpperRegression {
  readonly shardId: string
  readonly shardName: string
  readonly organizationId: string | null
  readonly currentUpper: Frontier
  /** The upper the restore would leave (`0` when the source lacks the shard). */
  readonly restoredUpper: Frontier
  readonly missing: boolean
}

export interface RestoreResult {
  readonly source: string
  readonly target: string
  /** Whether `target` existed (and was replaced). */
  readonly replaced: boolean
  /** Shards of the restored store. */
  readonly shards: readonly ShardFrontiers[]
  /** Shards whose upper went backwards (only with `force`; otherwise the restore is refused). */
  readonly regressions: readonly UpperRegression[]
  readonly forced: boolean
}

export interface RestoreOptions {
  /** Restore even when an upper would go backwards, or when the target cannot be read. */
  readonly force?: boolean
  /**
   * Run every check (and every refusal) but copy nothing: the result says what a restore would
   * do (`shards`: the source's, as they would be restored).
   */
  readonly dryRun?: boolean
  /**
   * Record this write with every restored shard once the restore is done (see `WriteRecord`): a
   * restore appends nothing, so the record goes in on its own, at each shard's restored upper.
   */
  readonly record?: WriteRecord
}

/** Whether frontier `a` is behind `b` (`null` is the empty frontier, beyond every time). */
function behind(a: Frontier, b: Frontier): boolean {
  if (a === null) return false
  if (b === null) return true
  return a < b
}

/** The shards whose upper would regress if `target`'s shards were replaced by `source`'s. */
export function upperRegressions(target: readonly ShardListing[], source: readonly ShardListing[]): UpperRegression[] {
  const bySource = new Map(source.map((s) => [s.shardId, s]))
  const out: UpperRegression[] = []
  for (const t of target) {
    const s = bySource.get(t.shardId)
    const restored = s === undefined ? 0n : s.upper
    if (behind(restored, t.upper)) {
      out.push({
        shardId: t.shardId,
        shardName: t.shardName,
        organizationId: t.labels[ORGANIZATION_LABEL] ?? null,
        currentUpper: t.upper,
        restoredUpper: restored,
        missing: s === undefined,
      })
    }
  }
  return out
}

/** A store that can replace its contents with a backup file under its own locks (the SQLite store). */
interface RestoreCapable {
  restoreFrom(source: string, opts: { check?: (current: ShardListing[]) => void }): Promise<unknown>
}

function restoreCapable(store: ShardStore): ShardStore & RestoreCapable {
  if (typeof (store as Partial<RestoreCapable>).restoreFrom !== 'function') {
    throw new UsageError(`restore needs a SQLite store; ${store.info.location} is a ${store.info.backend} store`, {
      code: 'backup-unsupported',
    })
  }
  return store as ShardStore & RestoreCapable
}

/** The regressions a restore of `sourceShards` over `targetShards` would cause; a `RefusedError` unless `force`. */
function guardUppers(
  source: string,
  targetShards: readonly ShardListing[],
  sourceShards: readonly ShardListing[],
  force: boolean,
): UpperRegression[] {
  const regressions = upperRegressions(targetShards, sourceShards)
  if (regressions.length > 0 && !force) {
    const list = regressions.map(
      (r) =>
        `${r.shardName || 'shard'} ${r.shardId}${r.organizationId === null ? '' : ` (organization ${r.organizationId})`}: upper ${frontierText(r.currentUpper)} → ${r.missing ? 'absent' : frontierText(r.restoredUpper)}`,
    )
    throw new RefusedError(
      `restoring ${source} would move ${regressions.length === 1 ? "a shard's upper" : `${regressions.length} shards' uppers`} backwards: ${list.join('; ')}`,
      {
        code: 'restore-regresses-upper',
        hint: 'writers that saw the newer state would be fenced or re-use timestamps; pass --force only when every such writer is stopped for good',
        details: { regressions: regressions.map((r) => ({ ...r })) },
      },
    )
  }
  return regressions
}

function storeInUse(target: string, cause: unknown): RefusedError {
  return new RefusedError(`${target} is in use by another process (it holds a transaction on the store)`, {
    code: 'store-in-use',
    hint: 'stop every process using the store, then restore',
    cause,
  })
}

/**
 * Replaces the store file `target` with the backup `source`.
 *
 * Checks first, touching nothing: the source passes the integrity check; if `target` exists, it
 * is opened read-only and no shard's upper may be ahead of the source's — a shard absent from the
 * source counts as upper 0. A regression is a {@link RefusedError} (code
 * `restore-regresses-upper`) listing every shard, unless `force`. `dryRun` stops there.
 *
 * An existing store is then restored in place, online (`SqliteShardStore.restoreFrom`): under
 * the store's write lock the upper check runs again on its current state (another connection in
 * a transaction refuses the restore: `RefusedError` code `store-in-use`), and the backup's pages
 * are copied in through SQLite's backup API, so a process that still has the store open sees the
 * restored state on its next transaction instead of writing to a file that was renamed away. An
 * idle connection cannot be detected: restore with no other process attached. A new `target`,
 * or (with `force`) one that cannot be read as a store, is written next to it, checked, and
 * renamed into place, so a crash leaves either the old file or the new one.
 */
export async function restoreStore(source: string, target: string, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const force = opts.force === true
  if (isPostgresLocation(source) || isPostgresLocation(target)) throw new UsageError('restore works on SQLite store files only')
  if (!existsSync(source)) throw new NotFoundError(`backup ${source} does not exist`)
  const sourceShards = await checkedListing(source, 'the backup')

  const replaced = existsSync(target)
  let regressions: UpperRegression[] = []
  let readable = false
  if (replaced) {
    let targetShards: ShardListing[] | undefined
    try {
      // Read-only: the comparison must not write (or checkpoint) the store.
      const t = await openStore(target, { readOnly: true })
      try {
        targetShards = await t.listShards()
      } finally {
        await t.close()
      }
    } catch (err) {
      if (!(err instanceof CatalogDebugError) || !force) {
        if (err instanceof CatalogDebugError) {
          throw new RefusedError(`cannot read the current store ${target} to check the restore is safe: ${err.message}`, {
            code: 'restore-target-unreadable',
            hint: 'pass --force to replace it anyway',
            cause: err,
          })
        }
        throw err
      }
    }
    if (targetShards !== undefined) {
      readable = true
      regressions = guardUppers(source, targetShards, sourceShards, force)
    }
  }

  if (opts.dryRun === true) {
    return { source, target, replaced, shards: sourceShards.map(frontiersOf), regressions, forced: force && regressions.length > 0 }
  }
  if (readable) return recordRestore(target, await restoreInPlace(source, target, sourceShards, force), opts.record)

  const tmp = tempPath(target)
  const src = await openStore(source, { readOnly: true })
  try {
    await backupCapable(src).backup(tmp)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  } finally {
    await src.close()
  }
  let restored: ShardListing[]
  try {
    restored = await checkedListing(tmp, 'the restored copy')
    await removeSidecars(tmp)
    await removeSidecars(target)
    await rename(tmp, target)
  } catch (err) {
    await rm(tmp, { force: true })
    await removeSidecars(tmp)
    throw err
  }
  const result = { source, target, replaced, shards: restored.map(frontiersOf), regressions, forced: force && regressions.length > 0 }
  return recordRestore(target, result, opts.record)
}

/** Adds the restore's record to each restored shard (after the restore: it appended nothing to link it to). */
async function recordRestore(target: string, result: RestoreResult, record: WriteRecord | undefined): Promise<RestoreResult> {
  if (record === undefined) return result
  const store = await openStore(target, {})
  try {
    for (const shard of result.shards) await store.addWriteRecord(shard.shardId, record)
  } finally {
    await store.close()
  }
  return result
}

/** Restores over an existing, readable store under its own locks (see {@link restoreStore}). */
async function restoreInPlace(
  source: string,
  target: string,
  sourceShards: readonly ShardListing[],
  force: boolean,
): Promise<RestoreResult> {
  let regressions: UpperRegression[] = []
  let store: ShardStore
  try {
    store = await openStore(target, {})
  } catch (err) {
    if (err instanceof StoreBusyError) throw storeInUse(target, err)
    throw err
  }
  try {
    try {
      await restoreCapable(store).restoreFrom(source, {
        check: (current) => {
          regressions = guardUppers(source, current, sourceShards, force)
        },
      })
    } catch (err) {
      if (err instanceof StoreBusyError) throw storeInUse(target, err)
      throw err
    }
    const problems = await store.integrityCheck()
    if (problems.length > 0) {
      throw new StoreCorruptError(
        `the restored store ${target} fails the integrity check: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}`,
      )
    }
    const restored = await store.listShards()
    return { source, target, replaced: true, shards: restored.map(frontiersOf), regressions, forced: force && regressions.length > 0 }
  } finally {
    await store.close()
  }
}
