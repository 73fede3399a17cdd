/**
 * The SQL of the read paths, built per filter shape so each uses the index made for it and costs
 * the same for one key whatever the shard's size:
 * - no filter: `updates_by_ts (shard_id, ts)` for time ranges, `updates_by_a_ts` for streaming in
 *   (lookup a, ts) order;
 * - `{a}`: `updates_by_a_ts (shard_id, lookup_a, ts)`;
 * - `{a, b}`: `updates_by_lookup (shard_id, lookup_a, lookup_b, ts)`.
 * Times are biased u64s, so `ts <= ?` compares in u64 order. Exported for query-plan tests.
 */
import type { FilterShape } from '../lookup-filter.js'
import type { LookupFilter } from '../shard-store.js'

/** Bind values for the filter's placeholders, after `shard_id`. */
export function filterParams(where: LookupFilter | undefined): string[] {
  return where === undefined ? [] : where.b === undefined ? [where.a] : [where.a, where.b]
}

function filterSql(shape: FilterShape): string {
  return shape === 'all' ? '' : shape === 'a' ? ' AND lookup_a = ?' : ' AND lookup_a = ? AND lookup_b = ?'
}

/** The index that serves a filter shape's range (pinned, so the plan cannot drift with the data). */
function rangeIndex(shape: FilterShape): string {
  return shape === 'all' ? 'updates_by_ts' : shape === 'a' ? 'updates_by_a_ts' : 'updates_by_lookup'
}

/** The index that yields rows in (lookup a, ts) order for a filter shape. */
function orderIndex(shape: FilterShape): string {
  return shape === 'ab' ? 'updates_by_lookup' : 'updates_by_a_ts'
}

/** Consolidated snapshot: params (shard_id, ...filter, asOf). Rows `{data, diff}` or `{data, ts, diff}`. */
export function snapshotSql(shape: FilterShape, keepTimestamps: boolean): string {
  const group = keepTimestamps ? 'data, ts' : 'data'
  const cols = keepTimestamps ? 'data, ts, SUM(diff) AS diff' : 'data, SUM(diff) AS diff'
  return `SELECT ${cols} FROM updates INDEXED BY ${rangeIndex(shape)} WHERE shard_id = ?${filterSql(shape)} AND ts <= ? GROUP BY ${group} HAVING SUM(diff) <> 0 ORDER BY ${group}`
}

/**
 * Unconsolidated stream in the total order (lookup a, ts, data, diff): params (shard_id, ...filter,
 * ...except, asOf). The index yields (lookup a, ts); SQLite sorts only within each run of equal
 * (lookup a, ts) ("USE TEMP B-TREE FOR LAST 2 TERMS OF ORDER BY"), so the rows still stream.
 * `except` (shape `all` only) is the number of lookup a values to leave out; rows without one stay,
 * and the index alone decides which rows are left out.
 */
export function streamSql(shape: FilterShape, except = 0): string {
  const exceptSql =
    except === 0 ? '' : ` AND (lookup_a IS NULL OR lookup_a NOT IN (${Array.from({ length: except }, () => '?').join(', ')}))`
  return `SELECT data, ts, diff FROM updates INDEXED BY ${orderIndex(shape)} WHERE shard_id = ?${filterSql(shape)}${exceptSql} AND ts <= ? ORDER BY lookup_a, ts, data, diff`
}

/**
 * A filtered stream in (lookup b, data, ts, diff) order (`StreamOptions.order` `'lookup'`): params
 * (shard_id, ...filter, asOf). `updates_by_lookup` yields (lookup b, ts); SQLite sorts only within
 * each run of equal lookup b (one key's updates), so the rows still stream.
 */
export function lookupOrderSql(shape: Exclude<FilterShape, 'all'>): string {
  return `SELECT data, ts, diff FROM updates INDEXED BY updates_by_lookup WHERE shard_id = ?${filterSql(shape)} AND ts <= ? ORDER BY lookup_b, data, ts, diff`
}

/**
 * The whole shard in (ts, data, diff) order: params (shard_id, asOf). The index yields ts order and
 * SQLite sorts only within each run of equal ts, so the rows still stream.
 */
export const TIME_ORDER_SQL =
  'SELECT data, ts, diff FROM updates INDEXED BY updates_by_ts WHERE shard_id = ? AND ts <= ? ORDER BY ts, data, diff'

/**
 * The consolidated contents at an as-of in data order, as rows `[data, ts, diff]` with a
 * placeholder ts: params (shard_id, asOf).
 */
export const CONSOLIDATED_SQL =
  'SELECT data, 0 AS ts, SUM(diff) AS diff FROM updates INDEXED BY updates_by_ts WHERE shard_id = ? AND ts <= ? GROUP BY data HAVING SUM(diff) <> 0 ORDER BY data'

/**
 * Row counts at an as-of: params (shard_id, ...filter, asOf). The whole shard (`all`) is counted
 * from the covering (lookup a, ts, diff) index when the store has it (`covering`), without reading
 * the table.
 */
export function countSql(shape: FilterShape, covering = false): string {
  const index = shape === 'all' && covering ? 'updates_by_a_ts' : rangeIndex(shape)
  return `SELECT COUNT(*) AS total, COALESCE(SUM(diff > 0), 0) AS additions, COALESCE(SUM(diff < 0), 0) AS retractions
    FROM updates INDEXED BY ${index} WHERE shard_id = ?${filterSql(shape)} AND ts <= ?`
}

/**
 * Row counts at an as-of per lookup a, in one pass: params (shard_id, asOf). With the covering
 * (lookup a, ts, diff) index (`covering`), from the index alone, in lookup a order; without it, in
 * time order (`updates_by_ts`), which visits the table in about the order it was written, rather
 * than one index range per value, which jumps about it.
 */
export function countByASql(covering: boolean): string {
  return `SELECT lookup_a, COUNT(*) AS total, COALESCE(SUM(diff > 0), 0) AS additions, COALESCE(SUM(diff < 0), 0) AS retractions
    FROM updates INDEXED BY ${covering ? 'updates_by_a_ts' : 'updates_by_ts'} WHERE shard_id = ? AND ts <= ? GROUP BY lookup_a`
}

/** Updates in `[lower, upper)` by time: params (shard_id, lower, upper). */
export const LISTEN_SQL =
  'SELECT data, ts, diff FROM updates INDEXED BY updates_by_ts WHERE shard_id = ? AND ts >= ? AND ts < ? ORDER BY ts, id'

/** Updates at `ts >= lower` (the shard's upper is the empty antichain): params (shard_id, lower). */
export const LISTEN_TO_END_SQL =
  'SELECT data, ts, diff FROM updates INDEXED BY updates_by_ts WHERE shard_id = ? AND ts >= ? ORDER BY ts, id'
