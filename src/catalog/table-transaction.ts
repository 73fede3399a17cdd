/**
 * One collection's pending changes inside a catalog transaction (Materialize's `TableTransaction`).
 *
 * The table starts from the committed contents (`initial`) and records changes in `pending`
 * (a `null` is a deletion). Every read sees the pending changes (read your writes). A uniqueness
 * rule (e.g. "database names are unique") is kept by an index from each value's unique name to
 * its key, so inserts cost O(1) instead of Materialize's scan; a change that would break the rule
 * throws {@link AlreadyExistsError} and leaves the table as it was.
 *
 * Keys are identified by their canonical key text (the store's lookup column), so two spellings
 * of the same key (field order, spacing) are the same key.
 */

import { AlreadyExistsError } from '../errors.js'
import { canonicalJson, type JsonValue } from '../json/lossless-json.js'
import type { StoredRow } from './catalog-reads.js'

/** A committed row of one key: its decoded key and value, and the stored text(s) to retract. */
export interface CommittedEntry {
  readonly key: JsonValue
  readonly value: JsonValue
  /**
   * Every stored row currently holding this key, exactly as stored, with how many times it is
   * current (normally one row, count 1; more when the catalog is inconsistent). Changing or
   * deleting the key retracts all of them, each with diff −count.
   */
  readonly rows: readonly StoredRow[]
}

/**
 * The uniqueness rule of a collection: the name a value must not share with another key's value
 * (`null`: the value takes part in no rule), and the error to raise when it does.
 */
export interface UniquenessRule {
  uniqueName(value: JsonValue): string | null
  violation(value: JsonValue): AlreadyExistsError
}

/**
 * What one changed key contributes to a commit: the stored rows to retract (diff −count) and the
 * new row to insert (diff +1), if any.
 */
export interface TableChange {
  readonly retract: readonly StoredRow[]
  readonly insert: { readonly key: JsonValue; readonly value: JsonValue } | null
}

interface Visible {
  readonly key: JsonValue
  readonly value: JsonValue
}

export class TableTransaction {
  readonly #initial: ReadonlyMap<string, CommittedEntry>
  readonly #pending = new Map<string, Visible | null>()
  readonly #rule: UniquenessRule | undefined
  readonly #keyText: (key: JsonValue) => string
  /** unique name → key text of the visible value holding it. */
  readonly #index = new Map<string, string>()

  /**
   * @param initial committed rows by canonical key text
   * @param keyText the canonical key text of a key (must agree with the keys of `initial`)
   */
  constructor(initial: ReadonlyMap<string, CommittedEntry>, keyText: (key: JsonValue) => string, rule?: UniquenessRule) {
    this.#initial = initial
    this.#keyText = keyText
    this.#rule = rule
    if (rule !== undefined) {
      for (const [k, e] of initial) {
        const name = rule.uniqueName(e.value)
        if (name !== null) this.#index.set(name, k)
      }
    }
  }

  /** The visible value of `key`, or `undefined` when absent. */
  get(key: JsonValue): JsonValue | undefined {
    return this.#visible(this.#keyText(key))?.value
  }

  /** Whether `key` is present. */
  has(key: JsonValue): boolean {
    return this.#visible(this.#keyText(key)) !== undefined
  }

  /** Every visible (key, value), committed ones first (in store order), then new ones. */
  *entries(): IterableIterator<[JsonValue, JsonValue]> {
    for (const [k, e] of this.#initial) {
      const p = this.#pending.get(k)
      if (p === undefined) yield [e.key, e.value]
      else if (p !== null) yield [p.key, p.value]
    }
    for (const [k, p] of this.#pending) {
      if (p !== null && !this.#initial.has(k)) yield [p.key, p.value]
    }
  }

  /** Number of visible rows. */
  get size(): number {
    let n = 0
    for (const _ of this.entries()) n++
    return n
  }

  /** The first visible (key, value) matching `pred`. */
  find(pred: (key: JsonValue, value: JsonValue) => boolean): [JsonValue, JsonValue] | undefined {
    for (const kv of this.entries()) if (pred(kv[0], kv[1])) return kv
    return undefined
  }

  /**
   * Inserts a new key. Throws {@link AlreadyExistsError} when the key exists (`duplicate key`) or
   * the value breaks the uniqueness rule.
   */
  insert(key: JsonValue, value: JsonValue): void {
    const k = this.#keyText(key)
    if (this.#visible(k) !== undefined) {
      throw new AlreadyExistsError(`duplicate key ${canonicalJson(key)}`, { details: { key: canonicalJson(key) } })
    }
    this.#change(k, { key, value })
  }

  /**
   * Sets `key` to `value` (`null` deletes it) and returns the previous visible value. Setting an
   * untouched key to its committed value records nothing.
   */
  set(key: JsonValue, value: JsonValue | null): JsonValue | undefined {
    const k = this.#keyText(key)
    const prev = this.#visible(k)
    this.#change(k, value === null ? null : { key, value })
    return prev?.value
  }

  /**
   * Applies `f` to every visible row; a returned value replaces the row's value, `undefined`
   * keeps it. Returns how many rows changed. Like Materialize, every change is applied first and
   * the uniqueness rule checked once, on the result (so swapping two names in one update is
   * fine). All-or-nothing: on a violation the table is restored exactly as it was.
   */
  update(f: (key: JsonValue, value: JsonValue) => JsonValue | undefined): number {
    const changes: [string, Visible][] = []
    for (const [key, value] of this.entries()) {
      const next = f(key, value)
      if (next !== undefined && canonicalJson(next) !== canonicalJson(value)) changes.push([this.#keyText(key), { key, value: next }])
    }
    if (changes.length === 0) return 0
    const rule = this.#rule
    const savedPending = new Map(this.#pending)
    const savedIndex = new Map(this.#index)
    try {
      if (rule !== undefined) {
        // Release every changed key's current name, then claim the new ones: a clash is now
        // only with a row that keeps its name, or between two new values.
        for (const [k] of changes) {
          const prev = this.#visible(k)
          const prevName = prev === undefined ? null : rule.uniqueName(prev.value)
          if (prevName !== null && this.#index.get(prevName) === k) this.#index.delete(prevName)
        }
        for (const [k, v] of changes) {
          const name = rule.uniqueName(v.value)
          if (name === null) continue
          const holder = this.#index.get(name)
          if (holder !== undefined && holder !== k) throw rule.violation(v.value)
          this.#index.set(name, k)
        }
      }
      for (const [k, v] of changes) this.#pending.set(k, v)
    } catch (err) {
      this.#pending.clear()
      for (const [k, v] of savedPending) this.#pending.set(k, v)
      this.#index.clear()
      for (const [k, v] of savedIndex) this.#index.set(k, v)
      throw err
    }
    return changes.length
  }

  /** Deletes every visible row matching `pred`; returns the deleted rows. */
  delete(pred: (key: JsonValue, value: JsonValue) => boolean): [JsonValue, JsonValue][] {
    const deleted: [JsonValue, JsonValue][] = []
    for (const kv of this.entries()) if (pred(kv[0], kv[1])) deleted.push(kv)
    for (const [key] of deleted) this.#change(this.#keyText(key), null)
    return deleted
  }

  /**
   * The table's contribution to the commit, in the order keys were first changed: for each
   * changed key, retract what is stored and insert the new value. A key set back to exactly its
   * committed value contributes nothing.
   */
  changes(): TableChange[] {
    const out: TableChange[] = []
    for (const [k, p] of this.#pending) {
      const before = this.#initial.get(k)
      if (
        before !== undefined &&
        p !== null &&
        before.rows.length === 1 &&
        before.rows[0]!.count === 1n &&
        canonicalJson(before.value) === canonicalJson(p.value)
      ) {
        continue
      }
      if (before === undefined && p === null) continue
      out.push({ retract: before?.rows ?? [], insert: p === null ? null : { key: p.key, value: p.value } })
    }
    return out
  }

  #visible(k: string): Visible | undefined {
    const p = this.#pending.get(k)
    if (p !== undefined) return p ?? undefined
    return this.#initial.get(k)
  }

  /** Records a change of key text `k` after checking the uniqueness rule; throws and changes nothing on violation. */
  #change(k: string, next: Visible | null): void {
    const rule = this.#rule
    if (rule !== undefined) {
      const prev = this.#visible(k)
      const prevName = prev === undefined ? null : rule.uniqueName(prev.value)
      const nextName = next === null ? null : rule.uniqueName(next.value)
      if (nextName !== null && nextName !== prevName) {
        const holder = this.#index.get(nextName)
        if (holder !== undefined && holder !== k && next !== null) throw rule.violation(next.value)
      }
      if (prevName !== null && this.#index.get(prevName) === k) this.#index.delete(prevName)
      if (nextName !== null) this.#index.set(nextName, k)
    }
    this.#pending.set(k, next)
  }
}
