/**
 * The SQL of the read paths, built per filter shape so each uses the index made for it and costs
 * the same for one key whatever the shard's size (mirrors `../sqlite/queries.ts`):
 * - no filter: `updates_by_ts (shard_id, ts, id)` for time ranges, `updates_by_a_ts` for streaming
 *   in (lookup a, ts) order;
 * - `{a}`: `updates_by_a_ts (shard_id, lookup_a, ts, id)`;
 * - `{a, b}`: `updates_by_lookup (shard_id, lookup_a, lookup_b, ts, id)`.
 * Times are biased u64s, so `ts <= $n` compares in u64 order. Sums are cast back to BIGINT
 * (PostgreSQL sums BIGINTs as NUMERIC; an i64 overflow is an error, never a rounded value).
 */
import type { FilterShape } from '../lookup-filter.js'
import type { LookupFilter } from '../shard-store.js'
import { encodeData } from './context.js'
import { PG_SCHEMA as S } from './schema.js'

/** Bind values for the filter's placeholders, after `shard_id` ($1): $2 (and $3), as stored (UTF-8 bytes). */
export function filterParams(where: LookupFilter | undefined): Buffer[] {
  return where === undefined ? [] : where.b === undefined ? [encodeData(where.a)] : [encodeData(where.a), encodeData(where.b)]
}

function filterSql(shape: FilterShape): string {
  return shape === 'all' ? '' : shape === 'a' ? ' AND lookup_a = $2' : ' AND lookup_a = $2 AND lookup_b = $3'
}

/** The placeholder number that follows the filter's. */
function next(shape: FilterShape): number {
  return shape === 'all' ? 2 : shape === 'a' ? 3 : 4
}

/** Consolidated snapshot: params (shard_id, ...filter, asOf). Rows `{data, diff}` or `{data, ts, diff}`, by data bytes. */
export function snapshotSql(shape: FilterShape, keepTimestamps: boolean): string {
  const group = keepTimestamps ? 'data, ts' : 'data'
  const cols = keepTimestamps ? 'data, ts, CAST(SUM(diff) AS BIGINT) AS diff' : 'data, CAST(SUM(diff) AS BIGINT) AS diff'
  return `SELECT ${cols} FROM ${S}.updates WHERE shard_id = $1${filterSql(shape)} AND ts <= $${next(shape)}
    GROUP BY ${group} HAVING SUM(diff) <> 0 ORDER BY ${group}`
}

/** Row counts at an as-of: params (shard_id, ...filter, asOf). */
export function countSql(shape: FilterShape): string {
  return `SELECT COUNT(*) AS total, COUNT(CASE WHEN diff > 0 THEN 1 END) AS additions, COUNT(CASE WHEN diff < 0 THEN 1 END) AS retractions
    FROM ${S}.updates WHERE shard_id = $1${filterSql(shape)} AND ts <= $${next(shape)}`
}

/**
 * The unconsolidated stream, in SQLite's total order: lookup a (NULL first, then by bytes), ts,
 * data (bytes), diff. Read through a cursor in one query, so memory is bounded by one fetch and
 * nothing is sorted more than once: the index yields (lookup a, ts) and PostgreSQL sorts only within
 * each run of equal (lookup a, ts) (an incremental sort).
 *
 * An ascending index cannot yield NULL first, so without a filter the stream runs in two phases:
 * rows whose lookup a is NULL, then the others. `except` (shape `all` only) is the number of lookup
 * a values the second phase leaves out.
 *
 * Params: (shard_id, ...filter, asOf, ...except).
 */
export function streamSql(shape: FilterShape, phase: 'null-a' | 'a', except = 0): string {
  const n = next(shape)
  const asOf = `$${n}`
  const cols = `SELECT data, ts, diff FROM ${S}.updates`
  if (shape !== 'all') return `${cols} WHERE shard_id = $1${filterSql(shape)} AND ts <= ${asOf} ORDER BY ts, data, diff`
  if (phase === 'null-a') return `${cols} WHERE shard_id = $1 AND lookup_a IS NULL AND ts <= ${asOf} ORDER BY ts, data, diff`
  const exceptSql = except === 0 ? '' : ` AND lookup_a NOT IN (${Array.from({ length: except }, (_, i) => `$${n + 1 + i}`).join(', ')})`
  return `${cols} WHERE shard_id = $1 AND lookup_a IS NOT NULL${exceptSql} AND ts <= ${asOf} ORDER BY lookup_a, ts, data, diff`
}

/**
 * A filtered stream in (lookup b, data, ts, diff) order (`StreamOptions.order` `'lookup'`, the
 * bytes of each): params (shard_id, ...filter, asOf). The index yields (lookup b, ts) and
 * PostgreSQL sorts only within each run of equal lookup b (an incremental sort). Rows without a
 * lookup b come last, still adjacent.
 */
export function lookupOrderSql(shape: Exclude<FilterShape, 'all'>): string {
  return `SELECT data, ts, diff FROM ${S}.updates WHERE shard_id = $1${filterSql(shape)} AND ts <= $${next(shape)} ORDER BY lookup_b, data, ts, diff`
}

/** The whole shard in (ts, data, diff) order: params (shard_id, asOf). */
export const TIME_ORDER_SQL = `SELECT data, ts, diff FROM ${S}.updates WHERE shard_id = $1 AND ts <= $2 ORDER BY ts, data, diff`

/** The consolidated contents at an as-of in data order, with a placeholder ts: params (shard_id, asOf). */
export const CONSOLIDATED_SQL = `SELECT data, CAST(0 AS BIGINT) AS ts, CAST(SUM(diff) AS BIGINT) AS diff FROM ${S}.updates
    WHERE shard_id = $1 AND ts <= $2 GROUP BY data HAVING SUM(diff) <> 0 ORDER BY data`

/** Row counts at an as-of per lookup a, in one pass: params (shard_id, asOf). */
export const COUNT_BY_A_SQL = `SELECT lookup_a, COUNT(*) AS total, COUNT(CASE WHEN diff > 0 THEN 1 END) AS additions, COUNT(CASE WHEN diff < 0 THEN 1 END) AS retractions
    FROM ${S}.updates WHERE shard_id = $1 AND ts <= $2 GROUP BY lookup_a`

/** Updates in `[lower, upper)` by time: params (shard_id, lower, upper). */
export const LISTEN_SQL = `SELECT data, ts, diff FROM ${S}.updates WHERE shard_id = $1 AND ts >= $2 AND ts < $3 ORDER BY ts, id`

/** Updates at `ts >= lower` (the shard's upper is the empty antichain): params (shard_id, lower). */
export const LISTEN_TO_END_SQL = `SELECT data, ts, diff FROM ${S}.updates WHERE shard_id = $1 AND ts >= $2 ORDER BY ts, id`
