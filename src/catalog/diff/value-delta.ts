/**
 * jsondiffpatch over catalog values, bigint-safe.
 *
 * jsondiffpatch compares primitives by `typeof` and `===` and prints values with `JSON.stringify`;
 * with bigints it misses changes (1n → 2n yields no delta) and throws when printing. So values are
 * diffed in an encoded form where every integer is a tagged string (`"\u0000n:<digits>"`, real
 * strings starting with U+0000 are tagged too so nothing collides) and decoded back afterwards:
 * integers of any size survive exactly, and the diff sees `1` and `1.0` as different values.
 */

import { create, type Delta } from 'jsondiffpatch'
import * as jsonpatchFormatter from 'jsondiffpatch/formatters/jsonpatch'
import { compareCodePoints, type JsonObject, type JsonValue } from '../../json/lossless-json.js'

const TAG = '\u0000'
const INT_TAG = `${TAG}n:`
const STR_TAG = `${TAG}s:`

/** Encodes a value for jsondiffpatch (see the module comment). */
export function encodeForDiff(v: JsonValue): unknown {
  switch (typeof v) {
    case 'bigint':
      return INT_TAG + v.toString()
    case 'string':
      return v.startsWith(TAG) ? STR_TAG + v : v
    case 'object':
      if (v === null) return null
      if (Array.isArray(v)) return v.map(encodeForDiff)
      {
        const out: Record<string, unknown> = {}
        for (const k of Object.keys(v)) out[k] = encodeForDiff(v[k] as JsonValue)
        return out
      }
    default:
      return v
  }
}

/** Reverses {@link encodeForDiff}. */
export function decodeFromDiff(v: unknown): JsonValue {
  if (typeof v === 'string') {
    if (v.startsWith(INT_TAG)) return BigInt(v.slice(INT_TAG.length))
    if (v.startsWith(STR_TAG)) return v.slice(STR_TAG.length)
    return v
  }
  if (v === null || typeof v !== 'object') return v as JsonValue
  if (Array.isArray(v)) return v.map(decodeFromDiff)
  const out: JsonObject = {}
  for (const k of Object.keys(v)) out[k] = decodeFromDiff((v as Record<string, unknown>)[k])
  return out
}

/**
 * Rewrites encoded integers in text jsondiffpatch produced (`"\u0000n:42"` → `42`), for printing.
 * JSON.stringify writes U+0000 as the six characters `\u0000`.
 */
export function decodeDiffText(text: string): string {
  return text.replace(/"\\u0000n:(-?\d+)"/g, '$1').replace(/"\\u0000s:/g, '"\\u0000')
}

/** A key-order-independent identity for array items (privileges, memberships, overrides). */
function stableText(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'undefined'
  if (Array.isArray(v)) return `[${v.map(stableText).join(',')}]`
  const o = v as Record<string, unknown>
  return `{${Object.keys(o)
    .sort(compareCodePoints)
    .map((k) => `${JSON.stringify(k)}:${stableText(o[k])}`)
    .join(',')}}`
}

let differ: ReturnType<typeof create> | undefined

/** The shared differ: array items matched by content, moves detected. */
export function valueDiffer(): ReturnType<typeof create> {
  differ ??= create({
    objectHash: (item: object) => stableText(item),
    arrays: { detectMove: true, includeValueOnMove: false },
    cloneDiffValues: true,
  })
  return differ
}

/** The jsondiffpatch delta between two encoded values (`undefined` when equal). */
export function valueDelta(before: JsonValue, after: JsonValue): Delta {
  return valueDiffer().diff(encodeForDiff(before), encodeForDiff(after))
}

/** One RFC 6902 operation; values are lossless catalog JSON (bigint integers). */
export type JsonPatchOp =
  | { readonly op: 'add'; readonly path: string; readonly value: JsonValue }
  | { readonly op: 'remove'; readonly path: string }
  | { readonly op: 'replace'; readonly path: string; readonly value: JsonValue }
  | { readonly op: 'move'; readonly from: string; readonly path: string }

/** Escapes one reference token per RFC 6901 (`~` → `~0`, `/` → `~1`). */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1')
}

/**
 * RFC 6902 operations turning `before` into `after`, with paths under `base` (a JSON pointer,
 * `''` for the root). Fine-grained: a changed field is one `replace`, a reordered array a `move`.
 */
export function valuePatch(before: JsonValue, after: JsonValue, base: string): JsonPatchOp[] {
  const delta = valueDelta(before, after)
  if (delta === undefined) return []
  return jsonpatchFormatter.format(delta).map((op): JsonPatchOp => {
    switch (op.op) {
      case 'add':
        return { op: 'add', path: base + op.path, value: decodeFromDiff(op.value) }
      case 'replace':
        return { op: 'replace', path: base + op.path, value: decodeFromDiff(op.value) }
      case 'remove':
        return { op: 'remove', path: base + op.path }
      case 'move':
        return { op: 'move', from: base + op.from, path: base + op.path }
      default:
        throw new Error(`unexpected JSON patch operation ${(op as { op: string }).op}`)
    }
  })
}

/**
 * Applies RFC 6902 operations to a deep copy of `doc` (lossless values) and returns it; for
 * checking patches in tests and for `diff --apply` style tooling.
 */
export function applyPatch(doc: JsonValue, ops: readonly JsonPatchOp[]): JsonValue {
  const target = encodeForDiff(doc)
  const encodedOps = ops.map((op) => ('value' in op ? { ...op, value: encodeForDiff(op.value) } : { ...op }))
  const holder = { root: target }
  jsonpatchFormatter.patch(holder, encodedOps.map((op) => prefixOp(op, '/root')) as Parameters<typeof jsonpatchFormatter.patch>[1])
  return decodeFromDiff(holder.root)
}

function prefixOp(op: Record<string, unknown>, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...op, path: prefix + String(op.path) }
  if (typeof op.from === 'string') out.from = prefix + op.from
  return out
}
