/**
 * Shared pieces of the PostgreSQL backend's own tests (`test/store-postgres*.test.ts`).
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { shardId } from '../../src/store/shard-id.js'
import type { ShardStore } from '../../src/store/shard-store.js'
import type { PostgresServer } from './postgres-server.js'

/** The build version the tests' stores run as. */
export const BUILD = '0.91.0'

export async function rejects<E extends Error>(p: Promise<unknown>, cls: new (...args: never[]) => E): Promise<E> {
  try {
    await p
  } catch (err) {
    assert.ok(err instanceof cls, `expected ${cls.name}, got ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`)
    return err
  }
  assert.fail(`expected ${cls.name}, but it resolved`)
}

export function newShard(): string {
  return shardId(randomUUID(), 1)
}

export function dbName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1))
}

/** A fingerprint of everything in schema catalog_debug (table list and every row), to prove nothing was written. */
export function fingerprint(server: PostgresServer, url: string): string {
  const db = dbName(url)
  const tables = server
    .psql(`SELECT tablename FROM pg_tables WHERE schemaname = 'catalog_debug' ORDER BY tablename`, db)
    .split('\n')
    .filter(Boolean)
  if (tables.length === 0) return 'no tables'
  const sql = tables
    .map((t) => `SELECT '${t}:' || md5(COALESCE(string_agg(x::text, '|' ORDER BY x::text), '')) FROM catalog_debug.${t} x`)
    .join(' UNION ALL ')
  return server.psql(`SELECT * FROM (${sql}) AS f ORDER BY 1`, db)
}

export async function appendAt(store: ShardStore, shard: string, data: readonly string[]): Promise<bigint> {
  const upper = await store.fetchRecentUpper(shard)
  assert.ok(upper !== null)
  const res = await store.compareAndAppend(
    shard,
    data.map((d) => ({ data: d, ts: upper, diff: 1n })),
    upper,
    upper + 1n,
  )
  assert.equal(res.ok, true)
  return upper
}
