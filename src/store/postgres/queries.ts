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
 * One page of the unconsolidated stream, in SQLite's order: lookup a (NULL first, then by bytes),
 * ts, insertion id. Keyset pagination: each page starts strictly after the last row of the previous
 * one, so a page costs the same wherever it is and memory stays bounded by the page size.
 *
 * A row-value comparison cannot step over NULL, so without a filter the stream runs in two
 * phases: rows whose lookup a is NULL (keyed by (ts, id)), then the others (keyed by
 * (lookup_a, ts, id)). With a filter lookup a is fixed and the key is (ts, id).
 *
 * Params: (shard_id, ...filter, asOf, limit, ...cursor), cursor being absent on the first page.
 */
export function streamPageSql(shape: FilterShape, phase: 'null-a' | 'a', first: boolean): string {
  const n = next(shape)
  const asOf = `$${n}`
  const limit = `$${n + 1}`
  const c = (i: number): string => `$${n + 2 + i}`
  if (shape !== 'all') {
    const after = first ? '' : ` AND (ts, id) > (${c(0)}, ${c(1)})`
    return `SELECT data, ts, diff, lookup_a, id FROM ${S}.updates WHERE shard_id = $1${filterSql(shape)} AND ts <= ${asOf}${after}
      ORDER BY ts, id LIMIT ${limit}`
  }
  if (phase === 'null-a') {
    const after = first ? '' : ` AND (ts, id) > (${c(0)}, ${c(1)})`
    return `SELECT data, ts, diff, lookup_a, id FROM ${S}.updates WHERE shard_id = $1 AND lookup_a IS NULL AND ts <= ${asOf}${after}
      ORDER BY ts, id LIMIT ${limit}`
  }
  const after = first ? '' : ` AND (lookup_a, ts, id) > (${c(0)}, ${c(1)}, ${c(2)})`
  return `SELECT data, ts, diff, lookup_a, id FROM ${S}.updates WHERE shard_id = $1 AND lookup_a IS NOT NULL AND ts <= ${asOf}${after}
    ORDER BY lookup_a, ts, id LIMIT ${limit}`
}

/** Updates in `[lower, upper)` by time: params (shard_id, lower, upper). */
export const LISTEN_SQL = `SELECT data, ts, diff FROM ${S}.updates WHERE shard_id = $1 AND ts >= $2 AND ts < $3 ORDER BY ts, id`

/** Updates at `ts >= lower` (the shard's upper is the empty antichain): params (shard_id, lower). */
export const LISTEN_TO_END_SQL = `SELECT data, ts, diff FROM ${S}.updates WHERE shard_id = $1 AND ts >= $2 ORDER BY ts, id`
