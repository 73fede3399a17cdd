/**
 * The sequence of `dump` events for a catalog: collections in the given order, statistics first,
 * then (unless stats only) the updates as the core's trace streams them, then every row that did
 * not decode (those found under a collection, then those that belong to no collection). Holds only
 * the undecodable rows (expected to be few), never the catalog.
 */
import type { CollectionName, UnopenedCatalog } from '../../../catalog/index.js'
import type { DumpEntry, DumpEvent, DumpStats } from '../../../render/dump-model.js'

/** The part of the unopened catalog a dump reads. */
export type TraceSource = Pick<UnopenedCatalog, 'traceDisplay' | 'traceDisplayConsolidated' | 'traceStatsOf' | 'traceUnattributed'>

export interface DumpPlan {
  readonly collections: readonly CollectionName[]
  readonly consolidated: boolean
  readonly statsOnly: boolean
  /** Look for undecodable rows even with statsOnly (for --strict). */
  readonly scanWhenStatsOnly: boolean
  /** Memory for sorting one collection when consolidating (the core's default when absent). */
  readonly sortMemoryBytes?: number
  readonly onStats?: (collection: CollectionName, stats: DumpStats) => void
  /**
   * Called after each batch read with the updates read so far and, unconsolidated, the total the
   * statistics count (a consolidated dump learns each collection's count only as it reads it).
   */
  readonly progress?: (done: number, total?: number) => void
}

type Undecodable = Extract<DumpEvent, { type: 'undecodable' }>

export async function* dumpEvents(source: TraceSource, plan: DumpPlan): AsyncGenerator<DumpEvent> {
  const undecodable: Undecodable[] = []
  const opts = { consolidated: plan.consolidated }
  const scan = !plan.statsOnly || plan.scanWhenStatsOnly
  // A consolidated scan reads each collection once, for its statistics and its entries alike.
  const perCollection = plan.consolidated && scan
  const allStats = perCollection ? undefined : await source.traceStatsOf(plan.collections, opts)
  let total: number | undefined
  if (allStats !== undefined) {
    total = 0
    for (const stats of allStats.values()) total += Number(stats.total)
  }
  let done = 0
  for (const collection of plan.collections) {
    const consolidated = perCollection
      ? await source.traceDisplayConsolidated(
          collection,
          plan.sortMemoryBytes === undefined ? {} : { sortMemoryBytes: plan.sortMemoryBytes },
        )
      : undefined
    const stats = (consolidated?.stats ?? allStats?.get(collection)) as DumpStats
    plan.onStats?.(collection, stats)
    yield { type: 'collection', collection, stats, statsOnly: plan.statsOnly }
    if (scan) {
      for await (const batch of consolidated?.batches() ?? source.traceDisplay(collection, opts)) {
        done += batch.length
        plan.progress?.(done, total)
        let entries: DumpEntry[] = batch as DumpEntry[]
        if (batch.some((e) => e.type === 'undecodable')) {
          entries = []
          for (const e of batch) {
            if (e.type === 'undecodable')
              undecodable.push({ type: 'undecodable', collection, raw: e.raw, reason: e.reason, ts: e.ts, diff: e.diff })
            else entries.push(e)
          }
        }
        if (!plan.statsOnly && entries.length > 0) yield { type: 'entries', collection, entries }
      }
    }
    yield { type: 'collection-end', collection }
  }
  yield* undecodable
  let count = undecodable.length
  if (scan) {
    for await (const e of source.traceUnattributed()) {
      if (e.type !== 'undecodable') continue
      count++
      yield { type: 'undecodable', collection: e.collection ?? null, raw: e.raw, reason: e.reason, ts: e.ts, diff: e.diff }
    }
  }
  yield { type: 'end', undecodable: count }
}
