/**
 * The `Debug` text prost derives for the catalog's proto types, built by walking a decoded key or
 * value along its schema (`src/catalog/kinds/schema.ts`): a message prints as a struct named after
 * the proto message (nested messages by their own name: `RoleVars.Entry` is `Entry`), its fields
 * in declaration order (oneofs last, where prost puts them); an optional field or a oneof as
 * `Some(…)`/`None`; a oneof variant as `Variant(payload)`; an enum field by its variant name
 * (`event_type: Grant`), or the bare number when no variant has it; `repeated` as a list; `()`
 * for the value of the key-only collections.
 */
import type { JsonObject, JsonValue } from '../../json/lossless-json.js'
import type { EnumSchema, MessageSchema, OneofSchema, Schema, WrapperSchema } from '../../catalog/kinds/schema.js'
import { type DebugNode, leaf, list, option, rustStr, struct, tuple } from './rust-debug.js'

/** The Debug tree of `value`, a value the schema decoded (keys in declaration order, integers as bigint). */
export function protoDebug(schema: Schema<unknown>, value: JsonValue): DebugNode {
  switch (schema.type) {
    case 'u64':
    case 'u32':
    case 'i64':
    case 'i32':
      return leaf(String(value))
    case 'enum': {
      const names = (schema as EnumSchema).names
      const n = value as bigint
      const name = n >= 0n && n < BigInt(names.length) ? names[Number(n)] : undefined
      return leaf(name ?? String(n))
    }
    case 'string':
      return leaf(rustStr(value as string))
    case 'bool':
      return leaf(String(value))
    case 'unit':
      return leaf('()')
    case 'option':
      return option(value === null ? null : protoDebug((schema as WrapperSchema<unknown>).inner, value))
    case 'repeated':
      return list((value as JsonValue[]).map((v) => protoDebug((schema as WrapperSchema<unknown>).inner, v)))
    case 'message': {
      const m = schema as MessageSchema<unknown>
      const obj = value as JsonObject
      return struct(
        rustTypeName(m.name),
        m.fields.map(([k, s]) => [k, protoDebug(s, (obj[k] ?? null) as JsonValue)] as const),
      )
    }
    case 'oneof': {
      const o = schema as OneofSchema<unknown>
      const [tag, payload] = Object.entries(value as JsonObject)[0] as [string, JsonValue]
      const variant = o.variants.find(([t]) => t === tag)
      if (variant === undefined) throw new TypeError(`not a ${o.name} variant: ${tag}`)
      return tuple(tag, [protoDebug(variant[1], payload)])
    }
  }
}

/** The Rust struct prost generates for a proto message: the last segment of a nested name. */
function rustTypeName(protoName: string): string {
  return protoName.slice(protoName.lastIndexOf('.') + 1)
}
