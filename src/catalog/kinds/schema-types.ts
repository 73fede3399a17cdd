/**
 * What a schema is (the interfaces every schema of `schema.ts` implements) and how a decode says
 * what is wrong. The combinators themselves: `schema.ts` (scalars, wrappers) and
 * `schema-objects.ts` (messages, oneofs).
 */
import type { JsonValue } from '../../json/lossless-json.js'
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

export type AnySchema = Schema<unknown>
export type Fields = Record<string, AnySchema>

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

export function mismatch(path: string, expected: string, got: JsonValue | undefined): never {
  throw new ValidationError(path, `expected ${expected}, got ${describeJson(got)}`)
}

export const compareBigint = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0)
