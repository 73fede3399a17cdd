/**
 * The backend-agnostic shard store conformance suite (reliability plan T-1): every backend runs it
 * through `defineStoreConformance` with a factory for fresh stores.
 *
 * The factory receives {@link ConformanceStoreOptions} and must honour them (build version,
 * injected clock, lookup extractor, wait deadline, read-only). Each call must return an empty,
 * independent store (or at least one whose shards the suite's fresh random shard ids cannot collide
 * with). `reopen`, if given, opens another handle on the same store; tests of the version gate,
 * version stamping across builds and read-only handles need it and pass trivially without it.
 */
import { describe } from 'node:test'
import { appendTests, closedHandleTests, readOnlyTests, stampingTests, versionGateTests } from './store-conformance-append.js'
import type { StoreFactory } from './store-conformance-kit.js'
import { compactionTests, criticalReaderTests, inspectTests, leasedReaderTests } from './store-conformance-readers.js'
import { listenTests, lookupTests, snapshotTests, streamOrderTests, u64Tests } from './store-conformance-reads.js'

export type { StoreFactory } from './store-conformance-kit.js'

const GROUPS = {
  'compare-and-append': appendTests,
  'seqno and version stamping': stampingTests,
  'data-version gate': versionGateTests,
  'read-only handles': readOnlyTests,
  'closed handles': closedHandleTests,
  snapshots: snapshotTests,
  'lookup filters and counts': lookupTests,
  'stream order and batches': streamOrderTests,
  listen: listenTests,
  'leased readers': leasedReaderTests,
  'critical since handles': criticalReaderTests,
  compaction: compactionTests,
  inspect: inspectTests,
  'u64 and i64 values': u64Tests,
} as const

export type ConformanceGroup = keyof typeof GROUPS
export const CONFORMANCE_GROUPS = Object.keys(GROUPS) as ConformanceGroup[]

/**
 * Registers the conformance suite under `describe(name)`. `only` restricts it to some groups (for
 * a quick subset on a secondary configuration).
 */
export function defineStoreConformance(name: string, makeStore: StoreFactory, only?: readonly ConformanceGroup[]): void {
  describe(name, () => {
    for (const group of only ?? CONFORMANCE_GROUPS) describe(group, () => GROUPS[group](makeStore))
  })
}
