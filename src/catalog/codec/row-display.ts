/**
 * The fast path of the trace `dump` prints: a stored row's text → the display JSON of its key and
 * value (exactly what `displayJson` prints for what `decodeRow` decodes), without building the
 * decoded values.
 *
 * It is compiled once per (catalog version, kind) from the kind's schemas, and it answers only for
 * rows that are
 * - in canonical form, as the catalog stores every row: sorted keys, no whitespace, integers in
 *   plain digits, strings escaped exactly as `JSON.stringify` escapes them (`canonical-scan.ts`, the
 *   scanner the lookup extractor in `row-lookup.ts` uses too), and
 * - an exact decode with those schemas: the row's kind, every field present, no unknown field, every
 *   integer in range.
 * For such a row the canonical text of every value is, slice for slice, its canonical re-encoding,
 * so only messages whose declaration order differs from the sorted order need rebuilding. Any other
 * row returns `undefined`, and the caller decodes it in full (`traceEntry`), which gives the reason it
 * does not decode, or its loose or other-version decode. So this path never decides anything the
 * full decoder would decide differently; it only skips the work for the common case.
 */

import { COLLECTION_KINDS, type CollectionName } from '../kinds/collections.js'
import type { CollectionKindName } from '../kinds/kind-names.js'
import { kindsForVersion } from '../kinds/schema-sets.js'
import type { Schema } from '../kinds/schema.js'
import { BAIL, compileSchema, type Node, textOf } from './row-display-nodes.js'

/** `[key display JSON, value display JSON]` of a row, or `undefined` (decode it in full). */
export type RowDisplay = (text: string) => readonly [key: string, value: string] | undefined

const KEY_PREFIX = '{"key":'
const VALUE_INFIX = ',"value":'

function compileRow(kind: CollectionKindName, version: number): RowDisplay {
  const k = kindsForVersion(version).kind(kind)
  let key: Node
  let value: Node
  try {
    key = compileSchema(k.key as Schema<unknown>)
    value = compileSchema(k.value as Schema<unknown>)
  } catch {
    return () => undefined
  }
  const kindInfix = `,"kind":${JSON.stringify(kind)}`
  const keyOnly = k.keyOnly
  return (t) => {
    try {
      if (!t.startsWith(KEY_PREFIX)) return undefined
      const keyEnd = key.run(t, KEY_PREFIX.length)
      const keyText = textOf(key, t, KEY_PREFIX.length, keyEnd)
      if (!t.startsWith(kindInfix, keyEnd)) return undefined
      let i = keyEnd + kindInfix.length
      let valueText = 'null'
      if (!keyOnly) {
        if (!t.startsWith(VALUE_INFIX, i)) return undefined
        const start = i + VALUE_INFIX.length
        i = value.run(t, start)
        valueText = textOf(value, t, start, i)
      }
      if (i !== t.length - 1 || t.charCodeAt(i) !== 125) return undefined
      return [keyText, valueText]
    } catch (err) {
      if (err === BAIL) return undefined
      throw err
    }
  }
}

const cache = new Map<string, RowDisplay>()

/**
 * The fast display of the rows of `collection` as catalog `version` decodes them: for a row that
 * decodes exactly with that version's schemas as a row of that collection (and is stored
 * canonically) the display JSON of its key and value (`null` for the key-only collections);
 * `undefined` for every other row. Throws for an unsupported `version`, like `kindsForVersion`.
 */
export function rowDisplay(collection: CollectionName, version: number): RowDisplay {
  const kind = COLLECTION_KINDS[collection]
  const id = `${version}:${kind}`
  let f = cache.get(id)
  if (f === undefined) {
    f = compileRow(kind, version)
    cache.set(id, f)
  }
  return f
}

/**
 * Where the key of an exact row ends: for a row that `rowDisplay(collection, version)` answers (it
 * decodes exactly and is stored canonically), the index right after its key's text (where
 * `,"kind":` starts); -1 for every other row. It checks exactly what `rowDisplay` checks but builds
 * no display text (a reader that validates rows, such as `import`'s, needs only the verdict and the
 * key). Throws for an unsupported `version`, like `kindsForVersion`.
 */
export function exactRowKeyEnd(collection: CollectionName, version: number): (text: string) => number {
  const kind = COLLECTION_KINDS[collection]
  const id = `${version}:${kind}`
  let f = keyEndCache.get(id)
  if (f === undefined) {
    f = compileKeyEnd(kind, version)
    keyEndCache.set(id, f)
  }
  return f
}

const keyEndCache = new Map<string, (text: string) => number>()

function compileKeyEnd(kind: CollectionKindName, version: number): (text: string) => number {
  const k = kindsForVersion(version).kind(kind)
  let key: Node
  let value: Node
  try {
    key = compileSchema(k.key as Schema<unknown>, true)
    value = compileSchema(k.value as Schema<unknown>, true)
  } catch {
    return () => -1
  }
  const kindInfix = `,"kind":${JSON.stringify(kind)}`
  const keyOnly = k.keyOnly
  return (t) => {
    try {
      if (!t.startsWith(KEY_PREFIX)) return -1
      const keyEnd = key.run(t, KEY_PREFIX.length)
      if (!t.startsWith(kindInfix, keyEnd)) return -1
      let i = keyEnd + kindInfix.length
      if (!keyOnly) {
        if (!t.startsWith(VALUE_INFIX, i)) return -1
        i = value.run(t, i + VALUE_INFIX.length)
      }
      return i === t.length - 1 && t.charCodeAt(i) === 125 ? keyEnd : -1
    } catch (err) {
      if (err === BAIL) return -1
      throw err
    }
  }
}
