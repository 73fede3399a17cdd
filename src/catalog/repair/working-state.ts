/**
 * The catalog as the plan has changed it so far: the state the plan was made against (read from
 * the store, never held whole) with the plan's updates laid over it. Planning asks how many times
 * the state holds a row text; those counts are read by the row's lookup key, only for the texts
 * asked about, and the checks of each round stream the overlaid state in data order.
 */

import { compareCodePoints } from '../../json/lossless-json.js'
import { rowLookup } from '../codec/row-codec.js'
import type { CatalogState } from '../verify/catalog-state.js'
import type { RowCount } from '../verify/row-checks.js'
import type { PlannedUpdate } from './plan.js'

/** What {@link WorkingState.save} returns and {@link WorkingState.restore} takes back. */
export type SavedState = ReadonlyMap<string, bigint>

export class WorkingState {
  readonly #base: CatalogState
  /** The plan's updates so far, summed per row text (zeros dropped). */
  #delta = new Map<string, bigint>()
  /** How many times the base state holds each text asked about so far. */
  readonly #baseCounts = new Map<string, bigint>()

  constructor(base: CatalogState) {
    this.#base = base
  }

  /** How many times the state holds `text`; `undefined` until its base count is {@link fetch}ed. */
  count(text: string): bigint | undefined {
    const base = this.#baseCounts.get(text)
    return base === undefined ? undefined : base + (this.#delta.get(text) ?? 0n)
  }

  /** Reads the base counts of `texts` (by lookup key; texts without one by one pass over the state). */
  async fetch(texts: Iterable<string>): Promise<void> {
    const byKey = new Map<string, { a: string; b: string | null; texts: Set<string> }>()
    const unkeyed = new Set<string>()
    for (const t of texts) {
      if (this.#baseCounts.has(t)) continue
      const [a, b] = rowLookup(t)
      if (a === null) {
        unkeyed.add(t)
        continue
      }
      const k = `${a}\u0000${b ?? ''}\u0000${b === null ? 0 : 1}`
      const group = byKey.get(k)
      if (group === undefined) byKey.set(k, { a, b, texts: new Set([t]) })
      else group.texts.add(t)
    }
    for (const { a, b, texts: wanted } of byKey.values()) {
      for (const t of wanted) this.#baseCounts.set(t, 0n)
      for (const r of await this.#base.readKey(a, b)) if (wanted.has(r.data)) this.#baseCounts.set(r.data, r.diff)
    }
    if (unkeyed.size === 0) return
    for (const t of unkeyed) this.#baseCounts.set(t, 0n)
    for await (const batch of this.#base.rows()) for (const r of batch) if (unkeyed.has(r.data)) this.#baseCounts.set(r.data, r.diff)
  }

  apply(updates: readonly PlannedUpdate[]): void {
    for (const u of updates) {
      const n = (this.#delta.get(u.data) ?? 0n) + u.diff
      if (n === 0n) this.#delta.delete(u.data)
      else this.#delta.set(u.data, n)
    }
  }

  save(): SavedState {
    return new Map(this.#delta)
  }

  restore(saved: SavedState): void {
    this.#delta = new Map(saved)
  }

  /** The state as it is now, for the checks (the plan's updates as they are when it is read). */
  state(): CatalogState {
    const base = this.#base
    const delta = [...this.#delta].sort(([a], [b]) => compareCodePoints(a, b))
    const laid = (rows: readonly RowCount[], a: string, b: string | null): RowCount[] => {
      const sums = new Map<string, bigint>()
      for (const r of rows) sums.set(r.data, (sums.get(r.data) ?? 0n) + r.diff)
      for (const [data, diff] of delta) {
        const [da, db] = rowLookup(data)
        if (da === a && (b === null || db === b)) sums.set(data, (sums.get(data) ?? 0n) + diff)
      }
      const out: RowCount[] = []
      for (const [data, diff] of sums) if (diff !== 0n) out.push({ data, diff })
      return out
    }
    return {
      configRows: async () => laid(await base.configRows(), 'Config', null),
      readKey: async (a, b) => laid(await base.readKey(a, b), a, b),
      rows: () => merged(base.rows(), delta),
    }
  }
}

/** `base` (in data order) with `delta` (sorted the same way) added, zeros dropped, in data order. */
async function* merged(base: AsyncIterable<readonly RowCount[]>, delta: readonly [string, bigint][]): AsyncGenerator<RowCount[]> {
  let i = 0
  for await (const batch of base) {
    const out: RowCount[] = []
    for (const r of batch) {
      while (i < delta.length && compareCodePoints((delta[i] as [string, bigint])[0], r.data) < 0) {
        const [data, diff] = delta[i++] as [string, bigint]
        out.push({ data, diff })
      }
      let diff = r.diff
      if (i < delta.length && (delta[i] as [string, bigint])[0] === r.data) diff += (delta[i++] as [string, bigint])[1]
      if (diff !== 0n) out.push({ data: r.data, diff })
    }
    if (out.length > 0) yield out
  }
  const rest: RowCount[] = []
  for (; i < delta.length; i++) {
    const [data, diff] = delta[i] as [string, bigint]
    rest.push({ data, diff })
  }
  if (rest.length > 0) yield rest
}
