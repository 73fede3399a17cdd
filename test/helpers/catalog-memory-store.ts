/**
 * An in-memory {@link ShardStore} for catalog unit tests: the parts of the contract the catalog
 * uses (compare-and-append, lookups, snapshots, critical since, inspect), with an operation log so
 * tests can assert that a code path wrote nothing. Not a conformance reference: the SQLite store is.
 */

import {
  IncompatibleVersionError,
  InvalidUsageError,
  NotFoundError,
  SinceError,
} from '../../src/errors.js'
import type {
  CompareAndAppendResult,
  CriticalReader,
  DowngradeSinceResult,
  Frontier,
  LeasedReader,
  Listen,
  LookupExtractor,
  LookupFilter,
  ShardDiagnostics,
  ShardListing,
  ShardStateJson,
  ShardStore,
  SnapshotOptions,
  StoreInfo,
  Update,
  UpdateCounts,
} from '../../src/store/shard-store.js'

interface Row {
  data: string
  ts: bigint
  diff: bigint
  a: string | null
  b: string | null
}

interface Shard {
  name: string
  labels: Record<string, string>
  since: bigint
  upper: bigint
  seqno: bigint
  applierVersion: string
  rows: Row[]
  critical: Map<string, { since: bigint; opaque: bigint; purpose: string }>
}

function cmpSemver(a: string, b: string): number {
  const pa = a.split(/[.-]/)
  const pb = b.split(/[.-]/)
  for (let i = 0; i < 3; i++) {
    const d = Number(pa[i]) - Number(pb[i])
    if (d !== 0) return d
  }
  return 0
}

export class MemoryShardStore implements ShardStore {
  readonly info: StoreInfo = { backend: 'sqlite', location: ':memory:', formatVersion: 1, readOnly: false, settings: {} }
  readonly shards = new Map<string, Shard>()
  /** Names of state-changing operations that committed, in order. */
  readonly writes: string[] = []
  #lookup: LookupExtractor

  constructor(readonly buildVersion: string, lookup: LookupExtractor) {
    this.#lookup = lookup
  }

  #gate(s: Shard): void {
    const [maj, min] = this.buildVersion.split('.').map(Number)
    const [dmaj, dmin] = s.applierVersion.split('.').map(Number)
    if (dmaj! > maj! || (dmaj === maj && dmin! > min! + 1)) {
      throw new IncompatibleVersionError(`${this.buildVersion} received persist state from the future ${s.applierVersion}`)
    }
  }

  #commit(s: Shard, what: string): void {
    s.seqno++
    if (cmpSemver(this.buildVersion, s.applierVersion) > 0) s.applierVersion = this.buildVersion
    this.writes.push(what)
  }

  #create(id: string, d?: ShardDiagnostics): Shard {
    let s = this.shards.get(id)
    if (s === undefined) {
      s = {
        name: d?.shardName ?? '',
        labels: { ...(d?.labels ?? {}) },
        since: 0n,
        upper: 0n,
        seqno: 0n,
        applierVersion: this.buildVersion,
        rows: [],
        critical: new Map(),
      }
      this.shards.set(id, s)
      this.#commit(s, `create ${id}`)
    }
    return s
  }

  async listShards(): Promise<ShardListing[]> {
    return [...this.shards.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([shardId, s]) => ({ shardId, shardName: s.name, labels: s.labels, upper: s.upper, since: s.since, seqno: s.seqno, updates: BigInt(s.rows.length) }))
  }

  async openShard(shardId: string, diagnostics: ShardDiagnostics): Promise<void> {
    const s = this.shards.get(shardId)
    if (s !== undefined) this.#gate(s)
    else this.#create(shardId, diagnostics)
  }

  async compareAndAppend(shardId: string, updates: readonly Update[], expectedUpper: Frontier, newUpper: Frontier): Promise<CompareAndAppendResult> {
    if (expectedUpper === null || newUpper === null) throw new Error('memory store: empty frontiers unsupported')
    for (const u of updates) {
      if (u.ts < expectedUpper) throw new InvalidUsageError('UpdateNotBeyondLower', `update ts ${u.ts} before lower ${expectedUpper}`)
      if (u.ts >= newUpper) throw new InvalidUsageError('UpdateBeyondUpper', `update ts ${u.ts} not before upper ${newUpper}`)
    }
    if (newUpper < expectedUpper) throw new InvalidUsageError('InvalidBounds', 'new upper before expected')
    const existing = this.shards.get(shardId)
    if (existing !== undefined) this.#gate(existing)
    const s = existing ?? this.#create(shardId)
    if (s.upper !== expectedUpper) return { ok: false, expected: expectedUpper, current: s.upper }
    for (const u of updates) {
      const [a, b] = this.#lookup(u.data)
      s.rows.push({ data: u.data, ts: u.ts, diff: u.diff, a, b })
    }
    s.upper = newUpper
    this.#commit(s, `append ${shardId} [${expectedUpper},${newUpper}) ${updates.length}`)
    return { ok: true, seqno: s.seqno, alreadyCommitted: false }
  }

  async fetchRecentUpper(shardId: string): Promise<Frontier> {
    return this.shards.get(shardId)?.upper ?? 0n
  }

  async fetchSince(shardId: string): Promise<Frontier> {
    return this.shards.get(shardId)?.since ?? 0n
  }

  #select(shardId: string, asOf: bigint, where?: LookupFilter): Row[] {
    const s = this.shards.get(shardId)
    if (s === undefined) return []
    if (asOf < s.since) throw new SinceError(`snapshot as of ${asOf} is before since ${s.since}`, s.since)
    if (asOf >= s.upper) throw new Error(`memory store: as of ${asOf} not before upper ${s.upper} (would wait)`)
    return s.rows.filter((r) => r.ts <= asOf && (where === undefined || (r.a === where.a && (where.b === undefined || r.b === where.b))))
  }

  async snapshot(shardId: string, asOf: bigint, options: SnapshotOptions = {}): Promise<Update[]> {
    const rows = this.#select(shardId, asOf, options.where)
    const acc = new Map<string, Update & { diff: bigint }>()
    for (const r of rows) {
      const ts = options.keepTimestamps ? r.ts : asOf
      const k = `${ts} ${r.data}`
      const prev = acc.get(k)
      if (prev === undefined) acc.set(k, { data: r.data, ts, diff: r.diff })
      else prev.diff += r.diff
    }
    return [...acc.values()].filter((u) => u.diff !== 0n)
  }

  async *snapshotStream(shardId: string, asOf: bigint, options: SnapshotOptions = {}): AsyncIterable<Update> {
    const rows = this.#select(shardId, asOf, options.where)
      .map((r, i) => ({ r, i }))
      .sort((x, y) => {
        const a = x.r.a ?? ''
        const b = y.r.a ?? ''
        if (a !== b) return a < b ? -1 : 1
        if (x.r.ts !== y.r.ts) return x.r.ts < y.r.ts ? -1 : 1
        return x.i - y.i
      })
    for (const { r } of rows) yield { data: r.data, ts: options.keepTimestamps ? r.ts : asOf, diff: r.diff }
  }

  async countUpdates(shardId: string, asOf: bigint, where?: LookupFilter): Promise<UpdateCounts> {
    const rows = this.#select(shardId, asOf, where)
    return {
      total: BigInt(rows.length),
      additions: BigInt(rows.filter((r) => r.diff > 0n).length),
      retractions: BigInt(rows.filter((r) => r.diff < 0n).length),
    }
  }

  async listen(): Promise<Listen> {
    throw new Error('memory store: listen unsupported')
  }
  async openLeasedReader(): Promise<LeasedReader> {
    throw new Error('memory store: leased readers unsupported')
  }
  async downgradeSince(): Promise<Frontier> {
    throw new Error('memory store: leased readers unsupported')
  }
  async expireLeasedReader(): Promise<void> {}

  async openCriticalReader(shardId: string, readerId: string, purpose: string): Promise<CriticalReader> {
    const s = this.shards.get(shardId) ?? this.#create(shardId)
    this.#gate(s)
    let r = s.critical.get(readerId)
    if (r === undefined) {
      r = { since: s.since, opaque: -(2n ** 63n), purpose }
      s.critical.set(readerId, r)
    }
    this.#commit(s, `critical ${shardId}`)
    return { readerId, since: r.since, opaque: r.opaque }
  }

  async compareAndDowngradeSince(shardId: string, readerId: string, expectedOpaque: bigint, newOpaque: bigint, newSince: Frontier): Promise<DowngradeSinceResult> {
    const s = this.shards.get(shardId)
    const r = s?.critical.get(readerId)
    if (s === undefined || r === undefined) throw new Error(`memory store: no critical reader ${readerId}`)
    if (r.opaque !== expectedOpaque) {
      this.#commit(s, `downgrade-mismatch ${shardId}`)
      return { ok: false, opaque: r.opaque, since: r.since }
    }
    if (newSince !== null && newSince > r.since) r.since = newSince
    r.opaque = newOpaque
    s.since = [...s.critical.values()].reduce((m, x) => (x.since < m ? x.since : m), r.since)
    this.#commit(s, `downgrade ${shardId} ${newSince}`)
    return { ok: true, since: r.since }
  }

  async compact(): Promise<{ before: bigint; after: bigint }> {
    throw new Error('memory store: compact unsupported')
  }

  async inspect(shardId: string): Promise<ShardStateJson> {
    const s = this.shards.get(shardId)
    if (s === undefined) throw new NotFoundError(`${shardId} does not exist`)
    return {
      applier_version: s.applierVersion,
      shard_id: shardId,
      shard_name: s.name,
      labels: s.labels,
      seqno: s.seqno,
      walltime_ms: 0n,
      hostname: 'memory',
      since: [s.since],
      upper: [s.upper],
      leased_readers: {},
      critical_readers: {},
      writers: {},
      tombstone: false,
      update_count: BigInt(s.rows.length),
    }
  }

  async integrityCheck(): Promise<string[]> {
    return []
  }
  async close(): Promise<void> {}

  /** Test hook: sets a shard's applier version (e.g. to simulate a newer build). */
  setApplierVersion(shardId: string, version: string): void {
    const s = this.#create(shardId)
    s.applierVersion = version
  }
}
