/**
 * The bookkeeping of physical compaction, shared by every backend (each keeps its own SQL):
 * updates at times before the since are forwarded to the since and consolidated (persist's
 * logical compaction, done in place). Reads at any as-of >= since see the same contents before
 * and after; times at or beyond the since are never touched.
 */
import type { Commit } from './commit.js'
import type { ShardRow } from './shard-row.js'

/** Row counts of the updates at or before the since. */
export interface CompactionStats {
  /** Rows at times <= since. */
  n_rows: bigint
  /** Rows at times < since. */
  n_older: bigint
  /** Distinct rows (by data) whose diffs at times <= since do not cancel out. */
  n_groups: bigint
}

/** Row counts before and after a compaction. */
export interface CompactionResult {
  before: bigint
  after: bigint
}

/**
 * The time a shard compacts to, or `undefined` when there is nothing to do: an absent shard, or an
 * empty since (no read will ever happen again; there is no time to forward to).
 */
export function compactionSince(shard: ShardRow, exists: boolean): bigint | undefined {
  return !exists || shard.since === null ? undefined : shard.since
}

/** Whether compacting changes anything: some row is older than the since, or some rows consolidate. */
export function compactionNeeded(stats: CompactionStats): boolean {
  return stats.n_older !== 0n || stats.n_groups !== stats.n_rows
}

/** The result of a compaction that did not run. */
export function compactionSkipped(shard: ShardRow): CompactionResult {
  return { before: shard.updateCount, after: shard.updateCount }
}

/** Records a committed compaction (row count, compacted since, detail) and returns its result. */
export function recordCompaction(c: Commit, stats: CompactionStats): CompactionResult {
  c.updateCountDelta = stats.n_groups - stats.n_rows
  c.compactedSince = c.since ?? undefined
  c.detail = { since: c.since, rows_before: stats.n_rows, rows_after: stats.n_groups }
  return { before: c.shard.updateCount, after: c.shard.updateCount + c.updateCountDelta }
}
