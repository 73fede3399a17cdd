/**
 * The object schemas of `schema.ts`: proto messages (fixed, ordered fields) and oneofs (exactly
 * one variant), with how unknown keys are refused or noted.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../../json/lossless-json.js'
import { ValidationError } from '../../errors.js'
import type { AnySchema, DecodeNotes, Fields, Infer, MessageSchema, OneofSchema } from './schema-types.js'
import { mismatch } from './schema-types.js'

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
