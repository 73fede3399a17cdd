/** The environment line of a reliability run: OS, filesystem, SQLite and the store's settings. */
import { readFileSync, existsSync } from 'node:fs'
import { release, type } from 'node:os'
import { openStore } from '../../../src/store/open-store.js'
import { packageVersion } from '../../../bench/machine.js'

export interface Environment {
  readonly os: string
  readonly node: string
  readonly filesystem: string
  readonly sqlite: string
  readonly betterSqlite3: string
  readonly journalMode: string
  readonly synchronous: string
  readonly busyTimeoutMs: string
}

/** Opens a scratch store in `dir` (same filesystem as every scenario) and reads its settings. */
export async function environment(storePath: string): Promise<Environment> {
  const store = await openStore(storePath, { create: true })
  const s = store.info.settings
  await store.close()
  return {
    os: `${osName()} (${type()} ${release()})`,
    node: process.version,
    filesystem: s.filesystem ?? 'unknown',
    sqlite: s.sqlite_version ?? 'unknown',
    betterSqlite3: packageVersion('better-sqlite3'),
    journalMode: s.journal_mode ?? 'unknown',
    synchronous: s.synchronous ?? 'unknown',
    busyTimeoutMs: s.busy_timeout_ms ?? 'unknown',
  }
}

function osName(): string {
  if (!existsSync('/etc/os-release')) return type()
  return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? type()
}

export function environmentLine(e: Environment): string {
  return `${e.os}; Node ${e.node}; filesystem ${e.filesystem}; SQLite ${e.sqlite} (better-sqlite3 ${e.betterSqlite3}); journal_mode=${e.journalMode}, synchronous=${e.synchronous}, busy timeout ${e.busyTimeoutMs} ms`
}
