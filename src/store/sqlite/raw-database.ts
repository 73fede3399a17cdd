/**
 * A plain SQLite connection without the store's discipline or checks, for tools and tests that
 * must look at or build arbitrary SQLite files (query plans, foreign or damaged files, holding a
 * lock). Nothing in the store's own paths uses it. Integers come back as `bigint`.
 */
import Database from './driver.js'

export interface RawDatabase {
  /** Runs one or more statements without results. */
  exec(sql: string): void
  /** Runs one statement with parameters, without results (INSERT, UPDATE, DELETE …). */
  run(sql: string, ...params: unknown[]): void
  /** Runs one statement and returns its rows. */
  all(sql: string, ...params: unknown[]): Record<string, unknown>[]
  close(): void
}

/** Opens `path` (creating it unless `readOnly` or `mustExist`). Errors are better-sqlite3's own. */
export function openRawDatabase(path: string, opts: { readOnly?: boolean; mustExist?: boolean; timeoutMs?: number } = {}): RawDatabase {
  const db = new Database(path, {
    readonly: opts.readOnly === true,
    fileMustExist: opts.mustExist === true,
    timeout: opts.timeoutMs ?? 5000,
  })
  db.defaultSafeIntegers(true)
  return {
    exec: (sql) => void db.exec(sql),
    run: (sql, ...params) => void db.prepare(sql).run(...params),
    all: (sql, ...params) => db.prepare(sql).all(...params) as Record<string, unknown>[],
    close: () => db.close(),
  }
}
