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
