/**
 * JSON text out of lossless values: the canonical, stored form and the display form; see
 * `lossless-json.ts` for the codec's rules.
 */
import { parseJson } from './json-parse.js'
import type { JsonValue } from './json-value.js'

/** Compares two strings by Unicode code point (Rust's `str` ordering), not by UTF-16 unit. */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x !== y) {
      const xs = x >= 0xd800 && x <= 0xdfff
      const ys = y >= 0xd800 && y <= 0xdfff
      if (xs === ys) return x - y
      // A surrogate (astral code point) sorts after every BMP code point.
      return xs ? 1 : -1
    }
  }
  return a.length - b.length
}

function stringifyNumber(n: number): string {
  if (!Number.isFinite(n)) throw new TypeError(`cannot encode ${n} as JSON`)
  return JSON.stringify(n)
}

/** The canonical, stored form: sorted keys, no whitespace, exact integers. */
export function canonicalJson(v: JsonValue): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v)
    case 'bigint':
      return v.toString()
    case 'number':
      return stringifyNumber(v)
    case 'boolean':
      return v ? 'true' : 'false'
    case 'object': {
      if (v === null) return 'null'
      if (Array.isArray(v)) {
        let s = '['
        for (let i = 0; i < v.length; i++) {
          if (i > 0) s += ','
          s += canonicalJson(v[i] as JsonValue)
        }
        return `${s}]`
      }
      const keys = Object.keys(v).sort(compareCodePoints)
      let s = '{'
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i] as string
        if (i > 0) s += ','
        s += `${JSON.stringify(k)}:${canonicalJson(v[k] as JsonValue)}`
      }
      return `${s}}`
    }
    default:
      throw new TypeError(`cannot encode a ${typeof v} as JSON`)
  }
}

/**
 * The display form: keys in the order the object holds them. With `indent`, pretty-printed
 * (empty arrays and objects stay `[]`/`{}`).
 */
export function displayJson(v: JsonValue, indent = 0): string {
  return display(v, indent, '')
}

function display(v: JsonValue, indent: number, pad: string): string {
  if (typeof v !== 'object' || v === null) return canonicalJson(v)
  const inner = indent > 0 ? pad + ' '.repeat(indent) : ''
  const nl = indent > 0 ? '\n' : ''
  const sep = indent > 0 ? ': ' : ':'
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]'
    return `[${nl}${v.map((x) => inner + display(x, indent, inner)).join(`,${nl}`)}${nl}${pad}]`
  }
  const keys = Object.keys(v)
  if (keys.length === 0) return '{}'
  return `{${nl}${keys.map((k) => inner + JSON.stringify(k) + sep + display(v[k] as JsonValue, indent, inner)).join(`,${nl}`)}${nl}${pad}}`
}

/** Parses then re-encodes canonically: the normal form of any JSON text. */
export function canonicalize(text: string): string {
  return canonicalJson(parseJson(text))
}
