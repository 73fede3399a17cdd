/**
 * Sort prefixes: the first bytes of an encoding of a decoded value whose byte order is the
 * schema's `compare` (the proto types' derived `Ord`, `../kinds/schema.ts`). Sorting a large
 * collection by a short prefix, and comparing decoded values only where two prefixes are equal,
 * gives the order `compare` gives without holding every decoded value while sorting.
 *
 * The encoding, per schema type (each is prefix-free, so a message is its fields' encodings one
 * after the other):
 * - integers and enums: 8 bytes big-endian (signed ones offset by 2^63);
 * - bool: one byte; unit: nothing;
 * - string: its UTF-8 bytes (byte order is code point order), a 0 byte written as 0 255, ended by 0 0;
 * - `Option`: 0 for `None`, else 1 and the value (a required one: the value alone);
 * - repeated: 1 and the element for each element, then 0;
 * - oneof: the variant's index (one byte) and its payload.
 * Prefixes are strings of characters 0–255, so JavaScript's `<` compares them as bytes.
 */
import type { JsonValue } from '../../json/lossless-json.js'
import type { MessageSchema, OneofSchema, Schema, WrapperSchema } from '../kinds/schema.js'
import { compareCodePoints } from '../../json/lossless-json.js'
import { scanCanonicalInteger, scanCanonicalString } from './canonical-scan.js'

/** Bytes kept: enough for the leading ids and names that tell a collection's keys apart. */
const PREFIX_BYTES = 24

const TWO_63 = 1n << 63n

/** The prefix being written: its bytes and how many there are (encoding stops once it is full). */
class PrefixBuffer {
  readonly bytes = new Uint8Array(PREFIX_BYTES + 8)
  readonly view = new DataView(this.bytes.buffer)
  length = 0

  /** Adds a byte; false once the prefix is full (the caller stops encoding). */
  push(byte: number): boolean {
    this.bytes[this.length++] = byte
    return this.length < PREFIX_BYTES
  }

  pushU64(x: bigint): boolean {
    this.view.setBigUint64(this.length, x)
    this.length += 8
    return this.length < PREFIX_BYTES
  }

  text(): string {
    return Buffer.from(this.bytes.buffer, 0, Math.min(this.length, PREFIX_BYTES)).toString('latin1')
  }
}

/**
 * The sort prefix of values of `schema`: a string that orders as `schema.compare` orders wherever
 * two prefixes differ; `undefined` for a value that does not have the schema's shape (one decoded
 * with another catalog version's schema).
 */
export function sortPrefixer(schema: Schema<unknown>): (value: JsonValue) => string | undefined {
  const out = new PrefixBuffer()
  return (value) => {
    out.length = 0
    try {
      encode(schema, value, out)
    } catch (err) {
      if (err instanceof TypeError) return undefined
      throw err
    }
    return out.text()
  }
}

/** Encodes `v` into `out`; false once the prefix is full. Throws `TypeError` for a value of another shape. */
function encode(schema: Schema<unknown>, v: unknown, out: PrefixBuffer): boolean {
  switch (schema.type) {
    case 'u64':
    case 'u32':
    case 'i64':
    case 'i32':
    case 'enum':
      if (typeof v !== 'bigint') throw new TypeError('not an integer')
      return out.pushU64(schema.type === 'u64' || schema.type === 'u32' ? v : v + TWO_63)
    case 'bool':
      if (typeof v !== 'boolean') throw new TypeError('not a bool')
      return out.push(v ? 1 : 0)
    case 'string':
      if (typeof v !== 'string') throw new TypeError('not a string')
      return encodeString(v, out)
    case 'option': {
      const w = schema as WrapperSchema<unknown>
      if (w.required === true) return encode(w.inner, v, out)
      if (v === null) return out.push(0)
      return out.push(1) && encode(w.inner, v, out)
    }
    case 'repeated': {
      if (!Array.isArray(v)) throw new TypeError('not an array')
      const inner = (schema as WrapperSchema<unknown>).inner
      for (const e of v) if (!out.push(1) || !encode(inner, e, out)) return false
      return out.push(0)
    }
    case 'message': {
      if (typeof v !== 'object' || v === null) throw new TypeError('not a message')
      for (const [k, s] of (schema as MessageSchema<unknown>).fields) if (!encode(s, (v as Record<string, unknown>)[k], out)) return false
      return true
    }
    case 'oneof': {
      if (typeof v !== 'object' || v === null) throw new TypeError('not a oneof')
      const tag = Object.keys(v)[0]
      const variants = (schema as OneofSchema<unknown>).variants
      const i = variants.findIndex(([t]) => t === tag)
      if (i < 0) throw new TypeError('unknown variant')
      return (
        out.push(i) && encode((variants[i] as readonly [string, Schema<unknown>])[1], (v as Record<string, unknown>)[tag as string], out)
      )
    }
    case 'unit':
      return true
  }
}

function encodeString(s: string, out: PrefixBuffer): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 0) {
      if (!out.push(0) || !out.push(255)) return false
    } else if (c < 0x80) {
      if (!out.push(c)) return false
    } else {
      // A lone surrogate (never in a decoded row) has no UTF-8 form: compare such values in full.
      const cp = s.codePointAt(i) as number
      if (cp >= 0xd800 && cp <= 0xdfff) throw new TypeError('a lone surrogate')
      const ch = String.fromCodePoint(cp)
      if (cp > 0xffff) i++
      for (const b of Buffer.from(ch, 'utf8')) if (!out.push(b)) return false
    }
  }
  return out.push(0) && out.push(0)
}

/**
 * {@link sortPrefixer} read straight from a value's canonical text, without parsing or decoding
 * it: for the text of a value that decodes exactly with `schema` (`row-display.ts` checks that),
 * the same prefix as `sortPrefixer(schema)` of the decoded value. Messages are stored with their
 * fields in sorted order and encoded in declaration order, so a message's fields are found first
 * and then encoded from where each starts. Undefined for text that is not such a value.
 */
export function textSortPrefixer(schema: Schema<unknown>): (text: string, start: number) => string | undefined {
  const out = new PrefixBuffer()
  const encode = compileText(schema)
  return (text, start) => {
    out.length = 0
    try {
      encode(text, start, out)
    } catch (err) {
      if (err === NOT_EXACT) return undefined
      throw err
    }
    return out.text()
  }
}

/** Thrown when the text is not what an exact decode's canonical text is; never escapes this module. */
const NOT_EXACT = Symbol('not the canonical text of an exact value')

/** Encodes the value whose text starts at `t[i]` into `out`; false once the prefix is full. */
type TextEncoder = (t: string, i: number, out: PrefixBuffer) => boolean

/** The {@link TextEncoder} of a schema (compiled once per prefixer). */
function compileText(schema: Schema<unknown>): TextEncoder {
  switch (schema.type) {
    case 'u64':
    case 'u32':
    case 'i64':
    case 'i32':
    case 'enum': {
      const offset = schema.type === 'u64' || schema.type === 'u32' ? 0n : TWO_63
      return (t, i, out) => {
        const end = scanCanonicalInteger(t, i)
        if (end < 0) throw NOT_EXACT
        return out.pushU64(BigInt(t.slice(i, end)) + offset)
      }
    }
    case 'bool':
      return (t, i, out) => out.push(t.charCodeAt(i) === 116 /* t */ ? 1 : 0)
    case 'string':
      return (t, i, out) => encodeString(stringAt(t, i), out)
    case 'option': {
      const w = schema as WrapperSchema<unknown>
      const inner = compileText(w.inner)
      if (w.required === true) return inner
      return (t, i, out) => (t.startsWith('null', i) ? out.push(0) : out.push(1) && inner(t, i, out))
    }
    case 'repeated': {
      const inner = compileText((schema as WrapperSchema<unknown>).inner)
      return (t, i, out) => {
        if (t.charCodeAt(i) !== 91 /* [ */) throw NOT_EXACT
        i++
        if (t.charCodeAt(i) !== 93 /* ] */) {
          for (;;) {
            if (!out.push(1) || !inner(t, i, out)) return false
            i = skipText(t, i)
            if (t.charCodeAt(i) === 93) break
            i++
          }
        }
        return out.push(0)
      }
    }
    case 'message':
      return compileMessage(schema as MessageSchema<unknown>)
    case 'oneof': {
      const variants = new Map<string, readonly [index: number, encode: TextEncoder]>()
      for (const [k, [tag, s]] of (schema as OneofSchema<unknown>).variants.entries()) variants.set(tag, [k, compileText(s)])
      return (t, i, out) => {
        const tagEnd = scanCanonicalString(t, i + 1)
        if (t.charCodeAt(i) !== 123 /* { */ || tagEnd < 0) throw NOT_EXACT
        const v = variants.get(stringAt(t, i + 1))
        if (v === undefined) throw NOT_EXACT
        return out.push(v[0]) && v[1](t, tagEnd + 1, out)
      }
    }
    case 'unit':
      return () => true
  }
}

/**
 * A message's encoder: the canonical text holds every field in sorted order, the prefix takes
 * them in declaration order. The fields are found in the text as far as the next one encoded
 * needs, so a prefix that fills up early leaves the rest of the message unread.
 */
function compileMessage(schema: MessageSchema<unknown>): TextEncoder {
  const declared = schema.fields.map(([name]) => name)
  const sorted = [...declared].sort(compareCodePoints)
  const n = declared.length
  // What precedes each field in the text, in sorted order: `{"a":`, `,"b":`, …
  const heads = sorted.map((name, k) => `${k === 0 ? '{' : ','}${JSON.stringify(name)}:`)
  const position = declared.map((name) => sorted.indexOf(name))
  const encoders = schema.fields.map(([, s]) => compileText(s))
  return (t, i, out) => {
    if (n === 0) return true
    const starts: number[] = new Array<number>(n)
    let scanned = 0
    let at = i
    for (let j = 0; j < n; j++) {
      const k = position[j] as number
      for (; scanned <= k; scanned++) {
        const head = heads[scanned] as string
        if (!t.startsWith(head, at)) throw NOT_EXACT
        starts[scanned] = at + head.length
        at = skipText(t, at + head.length)
      }
      if (!(encoders[j] as TextEncoder)(t, starts[k] as number, out)) return false
    }
    return true
  }
}

/** The index after the canonical JSON value starting at `t[i]`. */
function skipText(t: string, i: number): number {
  const c = t.charCodeAt(i)
  if (c === 34) {
    const end = scanCanonicalString(t, i)
    if (end < 0) throw NOT_EXACT
    return end
  }
  if (c === 123 || c === 91) {
    const close = c === 123 ? 125 : 93
    i++
    if (t.charCodeAt(i) === close) return i + 1
    for (;;) {
      if (c === 123) {
        const nameEnd = scanCanonicalString(t, i)
        if (nameEnd < 0) throw NOT_EXACT
        i = nameEnd + 1
      }
      i = skipText(t, i)
      const d = t.charCodeAt(i)
      if (d === close) return i + 1
      if (d !== 44) throw NOT_EXACT
      i++
    }
  }
  if (t.startsWith('null', i) || t.startsWith('true', i)) return i + 4
  if (t.startsWith('false', i)) return i + 5
  const end = scanCanonicalInteger(t, i)
  if (end < 0) throw NOT_EXACT
  return end
}

/** The characters of the canonical string literal at `t[i]` (escapes as `JSON.stringify` writes them). */
function stringAt(t: string, i: number): string {
  const end = scanCanonicalString(t, i)
  if (end < 0) throw NOT_EXACT
  const body = t.slice(i + 1, end - 1)
  if (!body.includes('\\')) return body
  let s = ''
  for (let k = 0; k < body.length; k++) {
    const c = body[k] as string
    if (c !== '\\') {
      s += c
      continue
    }
    const e = body[++k] as string
    if (e === 'u') {
      s += String.fromCharCode(Number.parseInt(body.slice(k + 1, k + 5), 16))
      k += 4
    } else s += ESCAPES[e] ?? e
  }
  return s
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }
