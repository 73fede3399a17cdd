/**
 * Write records as both backends store them: one row per record in `write_records`, beside the
 * shard's updates (see `../shard-store.ts`, `WriteRecord`). The table came after format 1's other
 * tables, so a store may lack it: read-only handles then read no records, and a read-write open
 * creates it (see `docs/storage-format.md`).
 */
import type { Frontier, StoredWriteRecord, WriteRecord } from '../shard-store.js'
import { decodeFrontier, encodeFrontier } from '../u64.js'

/** The record columns in insertion order, after `shard_id, seqno, expected_upper, new_upper`. */
export const RECORD_COLUMNS = [
  'operation_id',
  'walltime_ms',
  'os_user',
  'hostname',
  'tool_version',
  'command',
  'command_line',
  'reason',
] as const

/** A row of `write_records` as a driver returns it. */
export interface StoredRecordRow {
  shard_id: string
  seqno: bigint
  expected_upper: bigint | null
  new_upper: bigint | null
  operation_id: string
  walltime_ms: bigint
  os_user: string
  hostname: string
  tool_version: string
  command: string
  command_line: string
  reason: string | null
}

/** The values to insert, in `shard_id, seqno, expected_upper, new_upper, …RECORD_COLUMNS` order. */
export function recordValues(shardId: string, seqno: bigint, expectedUpper: Frontier, newUpper: Frontier, r: WriteRecord): unknown[] {
  return [
    shardId,
    seqno,
    encodeFrontier(expectedUpper),
    encodeFrontier(newUpper),
    r.operationId,
    r.walltimeMs,
    r.user,
    r.hostname,
    r.toolVersion,
    r.command,
    r.commandLine,
    r.reason,
  ]
}

export function decodeRecordRow(row: StoredRecordRow): StoredWriteRecord {
  return {
    shardId: row.shard_id,
    seqno: BigInt(row.seqno),
    expectedUpper: decodeFrontier(row.expected_upper === null ? null : BigInt(row.expected_upper)),
    newUpper: decodeFrontier(row.new_upper === null ? null : BigInt(row.new_upper)),
    operationId: row.operation_id,
    walltimeMs: BigInt(row.walltime_ms),
    user: row.os_user,
    hostname: row.hostname,
    toolVersion: row.tool_version,
    command: row.command,
    commandLine: row.command_line,
    reason: row.reason,
  }
}
