/**
 * The sequence of `dump` events for a catalog: collections in the given order, statistics first,
 * then (unless stats only) the updates as the core's trace streams them, then the rows that did
 * not decode. Holds only the undecodable rows (expected to be few), never the catalog.
 */
import type { CollectionName } from '../../../catalog/index.js'
import type { DumpEvent, DumpStats } from '../../../render/dump-model.js'

/** The part of the unopened catalog a dump reads. */
export interface TraceSource {
  traceStats(collection: CollectionName, opts: { consolidated: boolean }): Promise<DumpStats>
  trace(
    collection: CollectionName,
    opts: { consolidated: boolean },
  ): AsyncIterable<
    | { type: 'row'; key: DumpEntryValue; value: DumpEntryValue; ts: bigint; diff: bigint }
    | { type: 'undecodable'; raw: string; reason: string; ts: bigint; diff: bigint }
  >
}
type DumpEntryValue = Extract<DumpEvent, { type: 'entry' }>['key']

export interface DumpPlan {
  readonly collections: readonly CollectionName[]
  readonly consolidated: boolean
  readonly statsOnly: boolean
  /** Scan for undecodable rows even with statsOnly (for --strict). */
  readonly scanWhenStatsOnly: boolean
  readonly onStats?: (collection: CollectionName, stats: DumpStats) => void
}

export async function* dumpEvents(source: TraceSource, plan: DumpPlan): AsyncGenerator<DumpEvent> {
  const undecodable: Extract<DumpEvent, { type: 'undecodable' }>[] = []
  const opts = { consolidated: plan.consolidated }
  for (const collection of plan.collections) {
    const stats = await source.traceStats(collection, opts)
    plan.onStats?.(collection, stats)
    yield { type: 'collection', collection, stats, statsOnly: plan.statsOnly }
    if (!plan.statsOnly || plan.scanWhenStatsOnly) {
      for await (const e of source.trace(collection, opts)) {
        if (e.type === 'undecodable') {
          undecodable.push({ type: 'undecodable', collection, raw: e.raw, reason: e.reason, ts: e.ts, diff: e.diff })
        } else if (!plan.statsOnly) {
          yield { type: 'entry', collection, key: e.key, value: e.value, ts: e.ts, diff: e.diff }
        }
      }
    }
    yield { type: 'collection-end', collection }
  }
  yield* undecodable
  yield { type: 'end', undecodable: undecodable.length }
}
