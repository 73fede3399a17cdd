/**
 * Shared pieces of the backend-agnostic shard store conformance suite.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { type CatalogDebugError, InvalidUsageError } from '../../src/errors.js'
import { shardId } from '../../src/store/shard-id.js'
import type { LookupExtractor, ShardStore, Update } from '../../src/store/shard-store.js'

/** Options the suite asks a factory for; a factory must honour every one it is given. */
export interface ConformanceStoreOptions {
  readonly buildVersion?: string
  readonly now?: () => bigint
  readonly lookup?: LookupExtractor
  /** Deadline for reads at a time not yet sealed (the suite passes a short one). */
  readonly waitTimeoutMs?: number
  readonly readOnly?: boolean
}

export interface ConformanceFixture {
  readonly store: ShardStore
  /**
   * Opens another handle on the same store (another build version, clock, or read-only). Optional:
   * tests that need it are skipped without it. Handles it returns are closed by `cleanup`.
   */
  readonly reopen?: (opts: ConformanceStoreOptions) => Promise<ShardStore>
  cleanup(): Promise<void>
}

export type StoreFactory = (opts: ConformanceStoreOptions) => Promise<ConformanceFixture>

/** The build version the suite's stores run as unless a test says otherwise. */
export const BUILD = '0.91.0'
/**
 * The suite's deadline for reads at a time not yet sealed. Tests that expect a wait to end (an
 * append lands 30-50 ms later) must not hit it on a loaded machine, where one PostgreSQL probe can
 * take a few hundred ms; tests that expect the timeout pay it once per read (a few seconds per run).
 */
export const WAIT_MS = 1000

/** Rows are `kind|key|value`; the lookup columns are kind and key. */
export const lookupKindKey: LookupExtractor = (data) => {
  const [a, b] = data.split('|')
  return [a ?? null, b ?? null]
}

export function newShard(): string {
  return shardId(randomUUID(), 1)
}

export function upd(data: string, ts: bigint, diff = 1n): Update {
  return { data, ts, diff }
}

/** A clock the test moves by hand. */
export class FakeClock {
  t = 1_700_000_000_000n
  readonly now = (): bigint => this.t
  advance(ms: bigint): void {
    this.t += ms
  }
}

/** Runs `fn` on a fresh store (suite defaults for build version and wait deadline) and cleans up. */
export async function withStore(
  make: StoreFactory,
  opts: ConformanceStoreOptions,
  fn: (f: ConformanceFixture) => Promise<void>,
): Promise<void> {
  const f = await make({ buildVersion: BUILD, waitTimeoutMs: WAIT_MS, ...opts })
  try {
    await fn(f)
  } finally {
    await f.cleanup()
  }
}

/** Asserts `p` rejects with an error of class `cls` (and, for invalid usage, the kind). */
export async function rejectsWith<E extends CatalogDebugError>(
  p: Promise<unknown>,
  cls: new (...args: never[]) => E,
  check?: (e: E) => void,
): Promise<E> {
  try {
    await p
  } catch (err) {
    assert.ok(err instanceof cls, `expected ${cls.name}, got ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`)
    check?.(err)
    return err
  }
  assert.fail(`expected ${cls.name}, but it resolved`)
}

export async function rejectsUsage(p: Promise<unknown>, kind: InvalidUsageError['kind'], message?: string): Promise<void> {
  await rejectsWith(p, InvalidUsageError, (e) => {
    assert.equal(e.kind, kind)
    if (message !== undefined) assert.equal(e.message, message)
  })
}

/** Collects an async iterable. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

/** Sorts updates by (data, ts, diff) for order-insensitive comparison. */
export function sorted(us: readonly Update[]): Update[] {
  const key = (u: Update): string => `${u.data}\u0000${u.ts.toString().padStart(20, '0')}\u0000${u.diff}`
  return [...us].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
}

/** Appends one batch at the shard's current upper, advancing it by `step`. */
export async function appendAt(store: ShardStore, shard: string, data: readonly string[], step = 1n): Promise<bigint> {
  const upper = await store.fetchRecentUpper(shard)
  assert.ok(upper !== null)
  const res = await store.compareAndAppend(
    shard,
    data.map((d) => upd(d, upper)),
    upper,
    upper + step,
  )
  assert.equal(res.ok, true)
  return upper
}

export async function seqno(store: ShardStore, shard: string): Promise<bigint> {
  return (await store.inspect(shard)).seqno
}
