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

import { compareCodePoints, type JsonValue } from '../../json/lossless-json.js'
import { ValidationError } from '../../errors.js'
import { compareBigint, mismatch, type EnumSchema, type Schema, type WrapperSchema } from './schema-types.js'

export { empty, message, oneof, UNKNOWN_FIELD_NOTE } from './schema-objects.js'
export {
  type DecodeNotes,
  describeJson,
  type EnumSchema,
  type Infer,
  type MessageSchema,
  type OneofSchema,
  type Schema,
  type WrapperSchema,
} from './schema-types.js'

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
