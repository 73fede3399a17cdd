/**
 * The in-memory contents of an opened catalog: every collection except the two large append-only
 * ones (`audit_log`, `storage_usage`), which Materialize also keeps out of memory, and except
 * the kinds a caller streams itself and leaves out (`StateLoadOptions.leaveOut`).
 *
 * Rows are kept exactly as stored (their text) next to their parsed key and value, so that a
 * later change retracts the stored bytes rather than a re-encoding (which might differ for rows
 * written by an older version: docs/fixture-format.md, "How the older versions differ"). Rows are grouped by their
 * canonical key text, the store's lookup column; how one kind's rows are held is in
 * `state-entry.ts`.
 */

import type { ShardStore } from '../store/shard-store.js'
import { compareCodePoints, type JsonValue } from '../json/lossless-json.js'
import { rowLookup } from './codec/row-codec.js'
import { isLargeKind } from './kinds/collections.js'
import { KIND_NAMES, isKindName, type CollectionKindName } from './kinds/kind-names.js'
import type { CommittedEntry } from './table-transaction.js'
import { KindRows } from './state-entry.js'
import { TextArena } from './text-arena.js'

/** Kinds held in memory: every collection kind but the large append-only ones. */
export const CACHED_KINDS: readonly CollectionKindName[] = KIND_NAMES.filter(
  (k): k is CollectionKindName => k !== 'Epoch' && !isLargeKind(k),
)

export function isCachedKind(kind: string): kind is CollectionKindName {
  return isKindName(kind) && kind !== 'Epoch' && !isLargeKind(kind)
}

/** One update to apply: stored text and diff. */
export interface StateUpdate {
  readonly data: string
  readonly diff: bigint
}

/** Options of {@link CatalogState.load}. */
export interface StateLoadOptions {
  /**
   * Cached kinds not to load: the state does not hold them (`table` refuses them, updates to them
   * are not kept). For a caller that reads them from the store itself (`upgrade-check` streams the
   * items; `upgrade` needs only what the migrations read).
   */
  readonly leaveOut?: readonly CollectionKindName[]
}

export class CatalogState {
  readonly #tables = new Map<CollectionKindName, KindRows>()
  readonly #texts = new TextArena()
  /**
   * Inconsistencies met while loading or applying (a key with several values, a retraction of
   * a row that is not there, a row that is not JSON). Materialize soft-asserts on these; we keep
   * going and report them.
   */
  readonly anomalies: string[] = []
  /** How many {@link anomalies} there were once each kind was loaded. */
  readonly #loadedAt = new Map<CollectionKindName, number>()

  private constructor(leaveOut: readonly CollectionKindName[]) {
    const report = (anomaly: string): void => void this.anomalies.push(anomaly)
    for (const k of CACHED_KINDS) if (!leaveOut.includes(k)) this.#tables.set(k, new KindRows(k, this.#texts, report))
  }

  static empty(): CatalogState {
    return new CatalogState([])
  }

  /**
   * Loads the cached kinds at `asOf` (but those `leaveOut` names), one lookup per kind (the large
   * collections are never read). Each kind's updates are streamed and summed per stored text as
   * they come, so what is held at any moment is about the kind's current rows, not its whole
   * history nor a second copy of it.
   */
  static async load(store: ShardStore, shard: string, asOf: bigint, opts: StateLoadOptions = {}): Promise<CatalogState> {
    const state = new CatalogState(opts.leaveOut ?? [])
    for (const kind of CACHED_KINDS) {
      if (!state.#tables.has(kind)) continue
      const sums = new Map<string, bigint>()
      for await (const batch of store.snapshotBatches(shard, asOf, { where: { a: kind } })) {
        for (const u of batch) {
          const sum = (sums.get(u.data) ?? 0n) + u.diff
          if (sum === 0n) sums.delete(u.data)
          else sums.set(u.data, sum)
        }
      }
      // The order `apply` would see from the consolidated snapshot: by stored text (code points,
      // as the store orders text), so that anomalies and the latest of several values for one key
      // come out the same however the updates were summed.
      const texts = [...sums.keys()].sort(compareCodePoints)
      state.#applySums(texts.map((text) => [text, sums.get(text) as bigint] as const))
      sums.clear()
      state.#loadedAt.set(kind, state.anomalies.length)
    }
    return state
  }

  /** Whether the state holds `kind` (a cached kind it was not told to leave out). */
  holds(kind: CollectionKindName): boolean {
    return this.#tables.has(kind)
  }

  /** The committed rows of a kind the state holds, by canonical key text. */
  table(kind: CollectionKindName): ReadonlyMap<string, CommittedEntry> {
    const t = this.#tables.get(kind)
    if (t === undefined) throw new Error(`${kind} is not held in memory`)
    return t.table
  }

  /**
   * {@link anomalies}, with those of the kinds left out (`streamed`: per kind, what replaying it
   * met, in its load order) where loading them would have put them: after the kinds loaded before
   * them, before those loaded after them and before every later change's.
   */
  anomaliesWith(streamed: ReadonlyMap<CollectionKindName, readonly string[]>): string[] {
    const out: string[] = []
    let from = 0
    for (const kind of CACHED_KINDS) {
      if (this.#tables.has(kind)) {
        const to = this.#loadedAt.get(kind) ?? from
        out.push(...this.anomalies.slice(from, to))
        from = to
      } else out.push(...(streamed.get(kind) ?? []))
    }
    out.push(...this.anomalies.slice(from))
    return out
  }

  /** A `config` value, or `undefined`. */
  config(key: string): bigint | undefined {
    for (const e of this.table('Config').values()) {
      const k = (e.key as { key?: JsonValue }).key
      const v = (e.value as { value?: JsonValue } | null)?.value
      if (k === key && typeof v === 'bigint') return v
    }
    return undefined
  }

  /** "Initialized" means the `config` collection is not empty (Materialize's `is_initialized`). */
  get isInitialized(): boolean {
    return this.table('Config').size > 0
  }

  /**
   * Applies updates (any kinds; only the kinds held are kept). Like Materialize's `apply_updates`,
   * updates are consolidated first and retractions applied before insertions, so a batch that
   * replaces a value never sees two values for the key.
   */
  apply(updates: Iterable<StateUpdate>): void {
    const sums = new Map<string, bigint>()
    for (const u of updates) sums.set(u.data, (sums.get(u.data) ?? 0n) + u.diff)
    this.#applySums([...sums])
  }

  /** Applies summed updates (stored text, diff), zeros skipped: retractions first, else in the order given. */
  #applySums(summed: readonly (readonly [string, bigint])[]): void {
    const ordered = summed.filter(([, d]) => d !== 0n).sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0))
    for (const [text, diff] of ordered) {
      const [kind, keyText] = rowLookup(text)
      if (kind === null || !isCachedKind(kind)) {
        if (kind === null) this.anomalies.push(`a row that is not a catalog row: ${text.slice(0, 200)}`)
        continue
      }
      if (keyText === null) {
        this.anomalies.push(`a ${kind} row without a key: ${text.slice(0, 200)}`)
        continue
      }
      const rows = this.#tables.get(kind)
      if (rows === undefined) continue // a kind left out
      if (diff > 0n) rows.insert(keyText, text, diff)
      else rows.retract(keyText, text, -diff)
    }
  }
}
