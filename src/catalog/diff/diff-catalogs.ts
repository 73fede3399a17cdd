/**
 * Comparing two catalogs: per collection, the keys added, removed and changed, with before/after
 * values; as a report (data) and as an RFC 6902 JSON Patch.
 *
 * The patch addresses a document of the form
 * `{"collections": {"<collection>": {"<canonical key JSON>": <value>}}, "epoch": N}`, where the
 * value of key-only kinds (audit_log, storage_usage) is `null`. Keys are escaped per RFC 6901, so
 * a path reads `/collections/database/{"id":{"value":{"User":2}}}` (with `~1` for any `/`).
 */

import { canonicalJson, compareCodePoints, type JsonObject, type JsonValue } from '../../json/lossless-json.js'
import { COLLECTION_NAMES } from '../kinds/collections.js'
import { INVALID_ROWS, orderedKeys, type CatalogContents, type KeyState, type ValueCount } from './contents.js'
import { escapePointerToken, valuePatch, type JsonPatchOp } from './value-delta.js'

/** One key's difference. `before`/`after` are absent for added/removed keys respectively. */
export interface KeyChange {
  readonly key: JsonValue
  /** The canonical key JSON (the key's identity and its JSON-pointer token before escaping). */
  readonly keyText: string
  /** The value before (`null` for key-only kinds); absent when the key was added. */
  readonly before?: JsonValue
  readonly after?: JsonValue
  /**
   * Present only when a side does not hold exactly one value with multiplicity 1 (a damaged
   * catalog): every value with its multiplicity. `before`/`after` then show the first value.
   */
  readonly beforeValues?: readonly ValueCount[]
  readonly afterValues?: readonly ValueCount[]
}

export interface CollectionDiff {
  /** A collection name, or `(invalid rows)` for rows that are not rows of a known kind. */
  readonly collection: string
  readonly added: readonly KeyChange[]
  readonly removed: readonly KeyChange[]
  readonly changed: readonly KeyChange[]
}

export interface CatalogDiff {
  /** True when nothing differs (`collections` empty and no epoch change). */
  readonly equal: boolean
  /** Collections with at least one difference, in collection-name order. */
  readonly collections: readonly CollectionDiff[]
  /** Present when epochs are compared and differ. */
  readonly epoch?: { readonly before: JsonValue; readonly after: JsonValue }
  readonly summary: { readonly added: number; readonly removed: number; readonly changed: number }
}

export interface DiffOptions {
  /**
   * Also compare the epoch (the fencing token). Off by default: every writable open bumps it, so
   * two copies of the same catalog differ there without differing in content.
   */
  readonly includeEpoch?: boolean
  /** Only these collections. */
  readonly collections?: readonly string[]
}

function single(values: readonly ValueCount[]): boolean {
  return values.length === 1 && (values[0] as ValueCount).diff === 1n
}

function sameValues(a: readonly ValueCount[], b: readonly ValueCount[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as ValueCount
    const y = b[i] as ValueCount
    if (x.diff !== y.diff || canonicalJson(x.value) !== canonicalJson(y.value)) return false
  }
  return true
}

function side(values: readonly ValueCount[]): JsonValue {
  return (values[0] as ValueCount).value
}

function collectionOrder(names: Iterable<string>): string[] {
  const known: readonly string[] = COLLECTION_NAMES
  return [...new Set(names)].sort((a, b) => {
    const ia = known.indexOf(a)
    const ib = known.indexOf(b)
    if (ia >= 0 && ib >= 0) return ia - ib
    if (ia >= 0 || ib >= 0) return ia >= 0 ? -1 : 1
    return compareCodePoints(a, b)
  })
}

/**
 * Compares catalog `a` (before) with `b` (after). Equal catalogs give `equal: true` and no
 * collections. Values are compared by their canonical JSON, so key order never matters.
 */
export function diffCatalogs(a: CatalogContents, b: CatalogContents, opts: DiffOptions = {}): CatalogDiff {
  const only = opts.collections === undefined ? undefined : new Set(opts.collections)
  const out: CollectionDiff[] = []
  let added = 0
  let removed = 0
  let changed = 0
  for (const collection of collectionOrder([...a.collections.keys(), ...b.collections.keys()])) {
    if (only !== undefined && !only.has(collection)) continue
    const before = a.collections.get(collection) ?? new Map<string, KeyState>()
    const after = b.collections.get(collection) ?? new Map<string, KeyState>()
    const keys = new Map<string, JsonValue>()
    for (const [k, s] of before) keys.set(k, s.key)
    for (const [k, s] of after) if (!keys.has(k)) keys.set(k, s.key)
    const d = { collection, added: [] as KeyChange[], removed: [] as KeyChange[], changed: [] as KeyChange[] }
    for (const keyText of orderedKeys(collection, keys)) {
      const x = before.get(keyText)
      const y = after.get(keyText)
      const key = (x ?? y)?.key as JsonValue
      if (x === undefined && y !== undefined) {
        d.added.push({ key, keyText, after: side(y.values), ...(single(y.values) ? {} : { afterValues: y.values }) })
      } else if (y === undefined && x !== undefined) {
        d.removed.push({ key, keyText, before: side(x.values), ...(single(x.values) ? {} : { beforeValues: x.values }) })
      } else if (x !== undefined && y !== undefined && !sameValues(x.values, y.values)) {
        d.changed.push({
          key,
          keyText,
          before: side(x.values),
          after: side(y.values),
          ...(single(x.values) ? {} : { beforeValues: x.values }),
          ...(single(y.values) ? {} : { afterValues: y.values }),
        })
      }
    }
    if (d.added.length + d.removed.length + d.changed.length > 0) {
      out.push(d)
      added += d.added.length
      removed += d.removed.length
      changed += d.changed.length
    }
  }
  let epoch: CatalogDiff['epoch']
  if (opts.includeEpoch === true && !sameValues(a.epochs, b.epochs)) {
    epoch = { before: a.epochs.length === 0 ? null : side(a.epochs), after: b.epochs.length === 0 ? null : side(b.epochs) }
  }
  return {
    equal: out.length === 0 && epoch === undefined,
    collections: out,
    ...(epoch === undefined ? {} : { epoch }),
    summary: { added, removed, changed },
  }
}

/** The JSON pointer of a key in the patch document. */
export function keyPointer(collection: string, keyText: string): string {
  return `/collections/${escapePointerToken(collection)}/${escapePointerToken(keyText)}`
}

/**
 * The diff as RFC 6902 operations on the patch document (see the module comment): `add` for new
 * keys, `remove` for dropped ones, fine-grained `replace`/`add`/`remove`/`move` inside changed
 * values. Keys whose multiplicity is damaged are replaced whole. Empty for equal catalogs.
 * Rows that are not rows of a known kind ({@link INVALID_ROWS}) are in the report only: the patch
 * document has exactly the 18 collections.
 */
export function diffToJsonPatch(diff: CatalogDiff): JsonPatchOp[] {
  const ops: JsonPatchOp[] = []
  if (diff.epoch !== undefined) ops.push({ op: 'replace', path: '/epoch', value: diff.epoch.after })
  for (const c of diff.collections) {
    if (c.collection === INVALID_ROWS) continue
    for (const k of c.removed) ops.push({ op: 'remove', path: keyPointer(c.collection, k.keyText) })
    for (const k of c.changed) {
      const path = keyPointer(c.collection, k.keyText)
      if (k.beforeValues !== undefined || k.afterValues !== undefined) {
        ops.push({ op: 'replace', path, value: k.after as JsonValue })
      } else {
        ops.push(...valuePatch(k.before as JsonValue, k.after as JsonValue, path))
      }
    }
    for (const k of c.added) ops.push({ op: 'add', path: keyPointer(c.collection, k.keyText), value: k.after as JsonValue })
  }
  return ops
}

/**
 * The patch document of a catalog (what {@link diffToJsonPatch}'s paths address): all 18
 * collections, empty ones included, so every `add` has a parent.
 */
export function patchDocument(contents: CatalogContents, opts: { includeEpoch?: boolean } = {}): JsonObject {
  const collections: JsonObject = {}
  for (const name of COLLECTION_NAMES) {
    const m: JsonObject = {}
    for (const [keyText, s] of contents.collections.get(name) ?? []) m[keyText] = side(s.values)
    collections[name] = m
  }
  const doc: JsonObject = { collections }
  if (opts.includeEpoch === true) doc.epoch = contents.epochs.length === 0 ? null : side(contents.epochs)
  return doc
}

function valueCountsJson(values: readonly ValueCount[]): JsonValue {
  return values.map((v) => ({ value: v.value, diff: v.diff }))
}

function changeJson(k: KeyChange): JsonObject {
  const o: JsonObject = { key: k.key }
  if (k.before !== undefined) o.before = k.before
  if (k.after !== undefined) o.after = k.after
  if (k.beforeValues !== undefined) o.before_values = valueCountsJson(k.beforeValues)
  if (k.afterValues !== undefined) o.after_values = valueCountsJson(k.afterValues)
  return o
}

/**
 * The JSON report (lossless: integers stay `bigint`; print it with `displayJson`/`canonicalJson`):
 * `{"equal", "summary": {added, removed, changed}, "collections": [{"collection", "added": [{key, after}],
 * "removed": [{key, before}], "changed": [{key, before, after}]}], "epoch"?: {before, after}}`.
 */
export function diffToJson(diff: CatalogDiff): JsonObject {
  const o: JsonObject = {
    equal: diff.equal,
    summary: { added: BigInt(diff.summary.added), removed: BigInt(diff.summary.removed), changed: BigInt(diff.summary.changed) },
    collections: diff.collections.map((c) => ({
      collection: c.collection,
      added: c.added.map(changeJson),
      removed: c.removed.map(changeJson),
      changed: c.changed.map(changeJson),
    })),
  }
  if (diff.epoch !== undefined) o.epoch = { before: diff.epoch.before, after: diff.epoch.after }
  return o
}

/** The operations as lossless JSON (`[{"op":"replace","path":…,"value":…}]`). */
export function jsonPatchToJson(ops: readonly JsonPatchOp[]): JsonValue {
  return ops.map((op) => ({ ...op }) as JsonObject)
}

export { INVALID_ROWS }
