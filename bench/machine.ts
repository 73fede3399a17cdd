/** The machine line of every results file: CPUs, Node, SQLite and better-sqlite3 versions, OS. */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus, release, type } from 'node:os'
import { openStore } from '../src/store/open-store.js'
import type { MachineInfo } from './results.js'

export async function machineInfo(postgres: string | null): Promise<MachineInfo> {
  const store = await openStore(':memory:', { create: true })
  const sqlite = store.info.settings.sqlite_version ?? 'unknown'
  await store.close()
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    sqlite,
    betterSqlite3: packageVersion('better-sqlite3'),
    os: `${osName()} (${type()} ${release()})`,
    postgres,
  }
}

export function packageVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url)
    return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
  }
}

function osName(): string {
  if (!existsSync('/etc/os-release')) return type()
  const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))
  return m?.[1] ?? type()
}
