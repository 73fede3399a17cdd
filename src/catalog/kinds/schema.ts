/**
 * A small schema combinator library for the catalog's proto-shaped JSON.
 *
 * Every schema decodes a {@link JsonValue} as Materialize reads the prost types it stores: serde
 * into the proto type, then `from_proto` into its Rust type (`src/catalog/src/durable/objects/
 * serialization.rs`). That is the rule of docs/materialize-parity.md, "Rows Materialize can read":
 * - every message or oneof field is a Rust `Option` in prost; it is {@link option} where
 *   `from_proto` accepts `None` and {@link required} where it does not (`into_rust_if_some`,
 *   `missing_field`), so `null` there is refused. A missing key of an `option` reads as `null`;
 * - a missing key of any other field, a wrong JSON type, an out-of-range or negative integer, a
 *   float in an integer field, an enum value `from_i32` does not know or that is `Unknown` (0),
 *   and AclMode bits `from_bits` does not know are each a {@link ValidationError} naming the exact
 *   field path;
 * - an unknown object key is refused too (serde would drop it silently), unless the caller asks
 *   for {@link DecodeNotes}, which readers of stored rows do to describe, not refuse, such rows;
 * - the decoded value is a normalized `JsonValue`: integers are `bigint`, every `Option` is present
 *   (as `null` when unset), and objects hold their keys in proto declaration order (oneofs last),
 *   so `displayJson` prints what Materialize's dump prints and `canonicalJson` gives the stored bytes.
 *
 * Each schema also carries `compare`, the proto types' derived `Ord` (fields in declaration order,
 * oneof variants in declaration order, `None` first, strings bytewise, integers numerically), which
 * is the order Materialize lists a collection in.
 */

import { compareCodePoints, isJsonObject, type JsonObject, type JsonValue } from '../../json/lossless-json.js'
import { ValidationError } from '../../errors.js'

/**
 * Where a decode departed from a byte-exact reading: unknown keys it ignored, missing `Option` keys
 * it read as `null`. Empty means re-encoding the decoded value reproduces the input's canonical form.
 * Passing notes is what makes a decode tolerate unknown keys; without them they are refused.
 */
export type DecodeNotes = string[]

/** What a schema describes; lets renderers walk a value (e.g. to print enum names). */
export type SchemaType = 'u64' | 'u32' | 'i64' | 'i32' | 'enum' | 'string' | 'bool' | 'option' | 'repeated' | 'message' | 'oneof' | 'unit'

/** A decoder, normalizer and ordering for one proto type's JSON form; `T` is the decoded type. */
export interface Schema<T> {
  readonly type: SchemaType
  /** What a valid value looks like, for error messages ("an unsigned 32-bit integer"). */
  readonly expected: string
  /** Whether a missing object key decodes as `null` (Rust `Option`). */
  readonly nullable: boolean
  /**
   * Validates and normalizes `json`. `path` names the value in errors (`value.config`).
   * Throws {@link ValidationError}. With `notes`, records tolerated departures (see {@link DecodeNotes}).
   */
  decode(json: JsonValue, path: string, notes?: DecodeNotes): T
  /** The proto type's derived `Ord` on decoded values. */
  compare(a: T, b: T): number
}

/** The decoded TypeScript type of a schema. */
export type Infer<S> = S extends Schema<infer T> ? T : never

type AnySchema = Schema<unknown>
type Fields = Record<string, AnySchema>

/** A proto message: an object with a fixed, ordered field list. */
export interface MessageSchema<T> extends Schema<T> {
  readonly type: 'message'
  /** The proto message name. */
  readonly name: string
  /** Fields in declaration order (oneofs last), as `[json key, schema]`. */
  readonly fields: readonly (readonly [string, AnySchema])[]
}

/** A proto oneof: an object with exactly one key, the variant's tag. */
export interface OneofSchema<T> extends Schema<T> {
  readonly type: 'oneof'
  readonly name: string
  /** Variants in declaration order, as `[JSON tag, payload schema]`. */
  readonly variants: readonly (readonly [string, AnySchema])[]
}

/** A proto enum field: a bare i32. */
export interface EnumSchema extends Schema<bigint> {
  readonly type: 'enum'
  /** The proto enum name. */
  readonly name: string
  /** Variant names as prost's Debug prints them, indexed by value. */
  readonly names: readonly string[]
}

/** `Option<T>` or `Vec<T>` around an inner schema. */
export interface WrapperSchema<T> extends Schema<T> {
  readonly type: 'option' | 'repeated'
  readonly inner: AnySchema
  /** An `Option` that `from_proto` requires to be `Some` (see {@link required}). */
  readonly required?: boolean
}

/** Describes a JSON value for an error message ("-1", "null", "the string \"x\"", "an object"). */
export function describeJson(v: JsonValue | undefined): string {
  switch (typeof v) {
    case 'undefined':
      return 'nothing'
    case 'bigint':
      return v.toString()
    case 'number':
      // parseJson yields a number only for a literal with a fraction or exponent: show it as a float (`1.0`).
      return Number.isInteger(v) && Math.abs(v) < 1e21 ? v.toFixed(1) : String(v)
    case 'boolean':
      return String(v)
    case 'string':
      return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`
    default:
      if (v === null) return 'null'
      return Array.isArray(v) ? 'an array' : 'an object'
  }
}

function mismatch(path: string, expected: string, got: JsonValue | undefined): never {
  throw new ValidationError(path, `expected ${expected}, got ${describeJson(got)}`)
}

const compareBigint = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0)

function integer(type: 'u64' | 'u32' | 'i64' | 'i32' | 'enum', expected: string, min: bigint, max: bigint): Schema<bigint> {
  return {
    type,
    expected,
    nullable: false,
    decode(json, path) {
      if (typeof json !== 'bigint' || json < min || json > max) mismatch(path, expected, json)
      return json
    },
    compare: compareBigint,
  }
}

/** proto `uint64`. */
export const u64 = integer('u64', 'an unsigned 64-bit integer', 0n, 2n ** 64n - 1n)
/** proto `uint32`. */
export const u32 = integer('u32', 'an unsigned 32-bit integer', 0n, 2n ** 32n - 1n)
/** proto `int64`. */
export const i64 = integer('i64', 'a signed 64-bit integer', -(2n ** 63n), 2n ** 63n - 1n)
/** proto `int32`. */
export const i32 = integer('i32', 'a signed 32-bit integer', -(2n ** 31n), 2n ** 31n - 1n)

/**
 * A proto enum field, stored as a bare `i32`. `from_proto` accepts only a variant it knows
 * (`from_i32`) other than `Unknown` (0): the values 1..names.length-1.
 */
export function enumeration(name: string, names: readonly string[]): EnumSchema {
  const expected = `a ${name} value (1..${names.length - 1})`
  return { ...integer('enum', expected, 1n, BigInt(names.length - 1)), type: 'enum', name, names }
}

/** A `u64` of bit flags: `from_bits` refuses any bit outside `mask`. */
export interface FlagsSchema extends Schema<bigint> {
  readonly type: 'u64'
  readonly mask: bigint
}

/** A proto `uint64` holding the bits of a Rust bitflags type (`AclMode`); other bits are refused. */
export function flags(name: string, mask: bigint): FlagsSchema {
  const expected = `an unsigned 64-bit integer of ${name} bits (${mask} or a subset)`
  const base = integer('u64', expected, 0n, 2n ** 64n - 1n)
  return {
    ...base,
    mask,
    decode(json, path) {
      const v = base.decode(json, path)
      if ((v & ~mask) !== 0n) throw new ValidationError(path, `expected ${expected}, got ${v} (unknown bits ${v & ~mask})`)
      return v
    },
  } as FlagsSchema
}

/** proto `string`. */
export const string: Schema<string> = {
  type: 'string',
  expected: 'a string',
  nullable: false,
  decode(json, path) {
    if (typeof json !== 'string') mismatch(path, 'a string', json)
    return json
  },
  compare: compareCodePoints,
}

/** proto `bool`. */
export const bool: Schema<boolean> = {
  type: 'bool',
  expected: 'true or false',
  nullable: false,
  decode(json, path) {
    if (typeof json !== 'boolean') mismatch(path, 'true or false', json)
    return json
  },
  compare: (a, b) => Number(a) - Number(b),
}

/**
 * Rust `Option<T>`: a message field, a proto3 `optional` scalar, or a oneof. `null` or a missing
 * key is `None`, which sorts first.
 */
export function option<T>(inner: Schema<T>): WrapperSchema<T | null> {
  return {
    type: 'option',
    expected: `${inner.expected} or null`,
    nullable: true,
    inner,
    decode(json, path, notes) {
      return json === null ? null : inner.decode(json, path, notes)
    },
    compare(a, b) {
      if (a === null || b === null) return a === null ? (b === null ? 0 : -1) : 1
      return inner.compare(a, b)
    },
  }
}

/**
 * A prost `Option<T>` that `from_proto` requires (`into_rust_if_some`, `missing_field`): still an
 * `Option` in the proto (Debug prints `Some(…)`), but `null` or a missing key is refused, as
 * Materialize refuses to read it.
 */
export function required<T>(inner: Schema<T>): WrapperSchema<T> {
  return {
    type: 'option',
    expected: inner.expected,
    nullable: false,
    required: true,
    inner,
    decode(json, path, notes) {
      if (json === null) mismatch(path, inner.expected, json)
      return inner.decode(json, path, notes)
    },
    compare: (a, b) => inner.compare(a, b),
  }
}

/** proto `repeated T`: an array, order kept (never re-sorted), compared lexicographically. */
export function repeated<T>(inner: Schema<T>): WrapperSchema<T[]> {
  return {
    type: 'repeated',
    expected: 'an array',
    nullable: false,
    inner,
    decode(json, path, notes) {
      if (!Array.isArray(json)) mismatch(path, 'an array', json)
      const out: T[] = new Array(json.length)
      for (let i = 0; i < json.length; i++) out[i] = inner.decode(json[i] as JsonValue, `${path}[${i}]`, notes)
      return out
    },
    compare(a, b) {
      const n = Math.min(a.length, b.length)
      for (let i = 0; i < n; i++) {
        const c = inner.compare(a[i] as T, b[i] as T)
        if (c !== 0) return c
      }
      return a.length - b.length
    },
  }
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`
}

/** How a note about an ignored unknown key ends (`value.bogus: unknown field, ignored`). */
export const UNKNOWN_FIELD_NOTE = ': unknown field, ignored'

function noteUnknownKeys(obj: JsonObject, known: ReadonlySet<string>, path: string, notes: DecodeNotes): void {
  for (const k of Object.keys(obj)) if (!known.has(k)) notes.push(`${join(path, k)}${UNKNOWN_FIELD_NOTE}`)
}

function refuseUnknownKeys(obj: JsonObject, known: ReadonlySet<string>, path: string, entries: readonly [string, AnySchema][]): void {
  for (const k of Object.keys(obj)) {
    if (known.has(k)) continue
    const names = entries.map(([n]) => n)
    const expected = names.length === 0 ? 'no fields' : `only ${names.join(', ')}`
    throw new ValidationError(join(path, k), `unknown field (Materialize would drop it; expected ${expected})`)
  }
}

type MessageOf<F extends Fields> = { -readonly [K in keyof F]: Infer<F[K]> }

/**
 * A proto message. List `fields` in declaration order with oneof fields last (where prost puts
 * them); the decoded object holds its keys in that order.
 */
export function message<const F extends Fields>(name: string, fields: F): MessageSchema<MessageOf<F>> {
  const entries = Object.entries(fields) as [string, AnySchema][]
  const known = new Set(entries.map(([k]) => k))
  const expected = `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name} object`
  return {
    type: 'message',
    expected,
    nullable: false,
    name,
    fields: entries,
    decode(json, path, notes) {
      if (!isJsonObject(json)) mismatch(path, expected, json)
      const out: Record<string, unknown> = {}
      for (const [k, schema] of entries) {
        const fieldPath = join(path, k)
        if (Object.hasOwn(json, k)) {
          out[k] = schema.decode(json[k] as JsonValue, fieldPath, notes)
        } else if (schema.nullable) {
          notes?.push(`${fieldPath}: missing, read as null`)
          out[k] = null
        } else {
          throw new ValidationError(fieldPath, `missing required field (expected ${schema.expected})`)
        }
      }
      if (notes) noteUnknownKeys(json, known, path, notes)
      else refuseUnknownKeys(json, known, path, entries)
      return out as MessageOf<F>
    },
    compare(a, b) {
      for (const [k, schema] of entries) {
        const c = schema.compare((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])
        if (c !== 0) return c
      }
      return 0
    },
  }
}

type OneofOf<V extends Fields> = { [K in keyof V]: { [P in K]: Infer<V[K]> } }[keyof V]

/**
 * A proto oneof, externally tagged as serde writes it: `{"Variant": payload}` with exactly one key.
 * Variants in declaration order (their sort order). As a message field, wrap it in {@link option}:
 * prost makes every oneof an `Option`.
 */
export function oneof<const V extends Fields>(name: string, variants: V): OneofSchema<OneofOf<V>> {
  const entries = Object.entries(variants) as [string, AnySchema][]
  const index = new Map(entries.map(([k, s], i) => [k, { i, s }]))
  const tags = entries.map(([k]) => k)
  const expected = `a ${name} variant object ({"${tags[0]}": …}${tags.length > 1 ? ` or another of: ${tags.slice(1).join(', ')}` : ''})`
  return {
    type: 'oneof',
    expected,
    nullable: false,
    name,
    variants: entries,
    decode(json, path, notes) {
      if (!isJsonObject(json)) mismatch(path, expected, json)
      const keys = Object.keys(json)
      if (keys.length !== 1) {
        const got = keys.length === 0 ? 'an empty object' : `${keys.length} keys (${keys.join(', ')})`
        throw new ValidationError(path, `expected exactly one ${name} variant, got ${got}`)
      }
      const tag = keys[0] as string
      const variant = index.get(tag)
      if (variant === undefined) {
        throw new ValidationError(path, `unknown ${name} variant ${JSON.stringify(tag)}, expected one of: ${tags.join(', ')}`)
      }
      return { [tag]: variant.s.decode(json[tag] as JsonValue, join(path, tag), notes) } as OneofOf<V>
    },
    compare(a, b) {
      const ta = Object.keys(a as object)[0] as string
      const tb = Object.keys(b as object)[0] as string
      const va = index.get(ta)
      const vb = index.get(tb)
      if (va === undefined || vb === undefined) throw new TypeError(`compare: not a decoded ${name}`)
      if (va.i !== vb.i) return va.i - vb.i
      return va.s.compare((a as Record<string, unknown>)[ta], (b as Record<string, unknown>)[tb])
    },
  }
}

/** The proto `Empty` message: `{}` (serde writes prost's fieldless struct as an empty object). */
export const empty: MessageSchema<{ [key: string]: never }> = message('Empty', {})

/** Rust `()`, the value of the key-only kinds (see `collections.ts`): JSON `null` and nothing else. */
export const unit: Schema<null> = {
  type: 'unit',
  expected: 'null (these rows have no value)',
  nullable: true,
  decode(json, path) {
    if (json !== null) mismatch(path, 'null (these rows have no value)', json)
    return null
  },
  compare: () => 0,
}
