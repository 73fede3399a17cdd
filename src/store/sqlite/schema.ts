/**
 * The SQLite store's file format: tables, indexes, and the marker that identifies a file as a
 * catalog-debug store (`PRAGMA application_id`) and its format version (`PRAGMA user_version`).
 *
 * A file is accepted only if it carries our application id and a format this build knows; a
 * foreign or newer file is refused before anything could write to it, so it stays byte-identical.
 *
 * u64 values (times, frontiers) are INTEGERs biased to keep u64 order (see `../u64.ts`); NULL in a
 * frontier column is the empty antichain. Tables are STRICT so a wrongly typed value is an error,
 * not a silent conversion.
 */
import type Database from 'better-sqlite3'
import { NotAStoreError, StoreCorruptError, StoreFormatTooNewError } from '../../errors.js'

/** `application_id` of every catalog-debug store: ASCII "CDBG". */
export const APPLICATION_ID = 0x43444247n

/** The format version this build writes and reads (`user_version`). Format 1 is the first. */
export const STORE_FORMAT_VERSION = 1

/**
 * The (lookup a, ts) index, with `diff` as a last column so that counting a collection's updates
 * (the statistics of `dump`) reads the index alone, never the table. Stores created before the
 * `diff` column have the index without it: their reads are the same (every query that names the
 * index uses its first three columns), counts just read the table; a read-write open rebuilds it
 * ({@link ensureCoveringIndex}).
 */
const UPDATES_BY_A_TS_DDL = 'CREATE INDEX updates_by_a_ts ON updates (shard_id, lookup_a, ts, diff)'

/**
 * The indexes of `updates` by lookup, name and DDL: `append-batches.ts` drops them for a bulk
 * append into an empty table and builds them after the rows. The (shard, ts) index stays: rows
 * arrive in time order, so each goes at its end, which costs less than a sorted build afterwards.
 */
export const LOOKUP_INDEXES: readonly (readonly [name: string, ddl: string])[] = [
  ['updates_by_lookup', 'CREATE INDEX updates_by_lookup ON updates (shard_id, lookup_a, lookup_b, ts)'],
  ['updates_by_a_ts', UPDATES_BY_A_TS_DDL],
]
const UPDATES_INDEX_DDL: readonly string[] = [
  'CREATE INDEX updates_by_ts ON updates (shard_id, ts)',
  ...LOOKUP_INDEXES.map(([, ddl]) => ddl),
]

const DDL = `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE shards (
  shard_id TEXT PRIMARY KEY,
  shard_name TEXT NOT NULL,
  labels TEXT NOT NULL,
  seqno INTEGER NOT NULL,
  applier_version TEXT NOT NULL,
  walltime_ms INTEGER NOT NULL,
  hostname TEXT NOT NULL,
  since INTEGER,
  upper INTEGER,
  tombstone INTEGER NOT NULL DEFAULT 0,
  update_count INTEGER NOT NULL DEFAULT 0,
  compacted_since INTEGER
) STRICT;

CREATE TABLE updates (
  id INTEGER PRIMARY KEY,
  shard_id TEXT NOT NULL REFERENCES shards (shard_id),
  ts INTEGER NOT NULL,
  data TEXT NOT NULL,
  diff INTEGER NOT NULL,
  seqno INTEGER NOT NULL,
  lookup_a TEXT,
  lookup_b TEXT
) STRICT;
${UPDATES_INDEX_DDL.join(';\n')};

CREATE TABLE leased_readers (
  shard_id TEXT NOT NULL REFERENCES shards (shard_id),
  reader_id TEXT NOT NULL,
  since INTEGER,
  seqno INTEGER NOT NULL,
  last_heartbeat_ms INTEGER NOT NULL,
  lease_duration_ms INTEGER NOT NULL,
  hostname TEXT NOT NULL,
  purpose TEXT NOT NULL,
  PRIMARY KEY (shard_id, reader_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE critical_readers (
  shard_id TEXT NOT NULL REFERENCES shards (shard_id),
  reader_id TEXT NOT NULL,
  since INTEGER,
  opaque INTEGER NOT NULL,
  opaque_codec TEXT NOT NULL,
  hostname TEXT NOT NULL,
  purpose TEXT NOT NULL,
  PRIMARY KEY (shard_id, reader_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE writers (
  shard_id TEXT NOT NULL REFERENCES shards (shard_id),
  writer_id TEXT NOT NULL,
  last_heartbeat_ms INTEGER NOT NULL,
  lease_duration_ms INTEGER NOT NULL,
  most_recent_write_token TEXT NOT NULL,
  most_recent_write_upper INTEGER,
  most_recent_write_seqno INTEGER NOT NULL,
  hostname TEXT NOT NULL,
  purpose TEXT NOT NULL,
  PRIMARY KEY (shard_id, writer_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE state_log (
  shard_id TEXT NOT NULL REFERENCES shards (shard_id),
  seqno INTEGER NOT NULL,
  walltime_ms INTEGER NOT NULL,
  applier_version TEXT NOT NULL,
  hostname TEXT NOT NULL,
  cmd TEXT NOT NULL,
  since INTEGER,
  upper INTEGER,
  detail TEXT NOT NULL,
  PRIMARY KEY (shard_id, seqno)
) STRICT, WITHOUT ROWID;
`

/**
 * Tables a store of the current format must have. `write_records` (`write-records.ts`) is not
 * among them: it came later within format 1, so older files lack it; read-write opens add it, and
 * read-only opens read no records from a store without it.
 */
export const STORE_TABLES = ['meta', 'shards', 'updates', 'leased_readers', 'critical_readers', 'writers', 'state_log'] as const

/** What {@link checkStoreFormat} found: a store of a known format, or an empty database. */
export type StoreFormat = 'store' | 'empty'

/**
 * Classifies an open database without writing to it. Throws `NotAStoreError` (another application's
 * database, or tables without our marker), `StoreFormatTooNewError` (a newer format), or
 * `StoreCorruptError` (our marker but missing tables). SQLite errors (not a database, malformed)
 * propagate for the caller to map.
 */
export function checkStoreFormat(db: Database.Database, location: string): StoreFormat {
  const appId = db.pragma('application_id', { simple: true }) as bigint
  const userVersion = db.pragma('user_version', { simple: true }) as bigint
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[]
  if (appId === APPLICATION_ID) {
    if (userVersion > BigInt(STORE_FORMAT_VERSION)) {
      throw new StoreFormatTooNewError(
        `${location} is a catalog-debug store of format ${userVersion}; this build reads format ${STORE_FORMAT_VERSION} only`,
        { hint: 'use a newer catalog-debug', details: { format: userVersion, supported: STORE_FORMAT_VERSION } },
      )
    }
    // Format 1 is the first. A later format adds its migration from the older one here: run by
    // read-write opens in one IMMEDIATE transaction, refused (never migrated) by read-only opens.
    if (userVersion < 1n) throw new StoreCorruptError(`${location} carries the catalog-debug marker but no format version`)
    const missing = STORE_TABLES.filter((t) => !tables.includes(t))
    if (missing.length > 0) throw new StoreCorruptError(`${location} is a catalog-debug store with missing tables: ${missing.join(', ')}`)
    return 'store'
  }
  if (appId !== 0n) {
    const hex = BigInt.asUintN(32, appId).toString(16).padStart(8, '0')
    throw new NotAStoreError(`${location} is a SQLite database of another application (application_id 0x${hex}), not a catalog-debug store`)
  }
  if (tables.length > 0 || userVersion !== 0n) {
    throw new NotAStoreError(`${location} is a SQLite database but not a catalog-debug store (no catalog-debug format marker)`)
  }
  return 'empty'
}

/**
 * Turns an empty database into a store of the current format, in one IMMEDIATE transaction so a
 * concurrent creator either sees nothing or the whole schema. Idempotent: a store another process
 * initialised first is left alone.
 */
export function initializeSchema(db: Database.Database, location: string, buildVersion: string, nowMs: bigint): void {
  db.transaction(() => {
    if (checkStoreFormat(db, location) === 'store') return
    db.exec(DDL)
    db.pragma(`application_id = ${APPLICATION_ID}`)
    db.pragma(`user_version = ${STORE_FORMAT_VERSION}`)
    const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)')
    meta.run('format_version', String(STORE_FORMAT_VERSION))
    meta.run('created_by_version', buildVersion)
    meta.run('created_at_ms', String(nowMs))
  }).immediate()
}

/** Whether the store's (lookup a, ts) index carries `diff` (stores created before it do not). */
export function hasCoveringIndex(db: Database.Database): boolean {
  return (db.prepare("SELECT COUNT(*) FROM pragma_index_info('updates_by_a_ts')").pluck().get() as bigint) === 4n
}

/**
 * Rebuilds the (lookup a, ts) index of a store created before it carried `diff`, in one IMMEDIATE
 * transaction (the index keeps its name, so builds that pin it by name read on as before). Runs
 * on read-write opens only; it reads the whole table once, a few seconds for a million updates.
 */
export function ensureCoveringIndex(db: Database.Database): void {
  if (hasCoveringIndex(db)) return
  db.transaction(() => {
    if (hasCoveringIndex(db)) return
    db.exec('DROP INDEX updates_by_a_ts')
    db.exec(UPDATES_BY_A_TS_DDL)
  }).immediate()
}
