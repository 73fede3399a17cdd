/**
 * What every PostgreSQL store operation works with: the pool (and its two transaction shapes),
 * the build's identity and clock, and the lookup extractor. Mirrors `../sqlite/context.ts`.
 */
import type { LookupExtractor } from '../shard-store.js'
import type { PgPool } from './pool.js'

export interface PgContext {
  readonly pool: PgPool
  /** The connection URL with the password redacted. */
  readonly location: string
  readonly busyTimeoutMs: number
  readonly waitTimeoutMs: number
  readonly buildVersion: string
  readonly hostname: string
  readonly now: () => bigint
  readonly lookup: LookupExtractor | undefined
  /** Reads are admitted down to the compaction frontier rather than the since (`OpenStoreOptions.historyReads`). */
  readonly historyReads: boolean
  /** Whether the store has the write records table (a write open adds it when the role may). */
  recordsTable: boolean
}

/** The stored form of a row's data and lookup values: UTF-8 bytes (BYTEA compares, groups and orders them byte for byte). */
export function encodeData(data: string): Buffer {
  return Buffer.from(data, 'utf8')
}

/** {@link encodeData} for a lookup value, which may be absent (SQL NULL). */
export function encodeLookup(value: string | null): Buffer | null {
  return value === null ? null : Buffer.from(value, 'utf8')
}

/** Inverse of {@link encodeData}. */
export function decodeData(stored: Buffer): string {
  return stored.toString('utf8')
}
