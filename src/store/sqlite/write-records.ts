/**
 * Write records in SQLite (`../state/write-records.ts`): the table, its insertion inside an
 * append's transaction or on its own, and the newest-first listing.
 */
import type Database from 'better-sqlite3'
import { NotFoundError } from '../../errors.js'
import type { Frontier, StoredWriteRecord, WriteRecord, WriteRecordFilter } from '../shard-store.js'
import { RECORD_COLUMNS, type StoredRecordRow, decodeRecordRow, recordValues } from '../state/write-records.js'
import { decodeFrontier } from '../u64.js'
import { type SqliteContext, readTx, writeTx } from './context.js'

/** The table and its index; `IF NOT EXISTS` so that a read-write open adds them to an older store. */
export const WRITE_RECORDS_DDL = `
CREATE TABLE IF NOT EXISTS write_records (
  id INTEGER PRIMARY KEY,
  shard_id TEXT NOT NULL,
  seqno INTEGER NOT NULL,
  expected_upper INTEGER,
  new_upper INTEGER,
  operation_id TEXT NOT NULL,
  walltime_ms INTEGER NOT NULL,
  os_user TEXT NOT NULL,
  hostname TEXT NOT NULL,
  tool_version TEXT NOT NULL,
  command TEXT NOT NULL,
  command_line TEXT NOT NULL,
  reason TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS write_records_by_seqno ON write_records (shard_id, seqno);
`

/** Adds the table to a store that lacks it (a store written before records existed); one IMMEDIATE transaction. */
export function ensureWriteRecordsTable(db: Database.Database): void {
  if (hasTable(db)) return
  db.transaction(() => db.exec(WRITE_RECORDS_DDL)).immediate()
}

function hasTable(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'write_records'").get() !== undefined
}

const INSERT_SQL = `INSERT INTO write_records (shard_id, seqno, expected_upper, new_upper, ${RECORD_COLUMNS.join(', ')})
  VALUES (${Array(4 + RECORD_COLUMNS.length)
    .fill('?')
    .join(', ')})`

/** Inserts a record; runs inside the caller's write transaction. */
export function insertWriteRecord(
  ctx: SqliteContext,
  shardId: string,
  seqno: bigint,
  expectedUpper: Frontier,
  newUpper: Frontier,
  record: WriteRecord,
): void {
  ctx.stmt(INSERT_SQL).run(...recordValues(shardId, seqno, expectedUpper, newUpper, record))
}

/** A record of a write that appended nothing, at the shard's current seqno and upper. */
export function addWriteRecord(ctx: SqliteContext, shardId: string, record: WriteRecord): void {
  // A restore may have put in a store file from before records existed.
  ensureWriteRecordsTable(ctx.db)
  writeTx(ctx, () => {
    const row = ctx.stmt('SELECT seqno, upper FROM shards WHERE shard_id = ?').get(shardId) as
      | { seqno: bigint; upper: bigint | null }
      | undefined
    if (row === undefined) throw new NotFoundError(`shard ${shardId} does not exist`, { code: 'shard-not-found' })
    const upper = decodeFrontier(row.upper)
    insertWriteRecord(ctx, shardId, row.seqno, upper, upper, record)
  })
}

/** The shard's records, newest first; none when the store has no records table. */
export function listWriteRecords(ctx: SqliteContext, shardId: string, filter: WriteRecordFilter): StoredWriteRecord[] {
  return readTx(ctx, () => {
    if (!hasTable(ctx.db)) return []
    const rows = ctx.db
      .prepare(
        `SELECT * FROM write_records WHERE shard_id = ? AND walltime_ms >= ? ORDER BY seqno DESC, id DESC${filter.limit === undefined ? '' : ' LIMIT ?'}`,
      )
      .all(shardId, filter.sinceMs ?? -(2n ** 63n), ...(filter.limit === undefined ? [] : [filter.limit])) as StoredRecordRow[]
    return rows.map(decodeRecordRow)
  })
}
