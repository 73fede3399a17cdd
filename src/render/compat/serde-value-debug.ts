/**
 * `serde_json::Value`'s `Debug` text, which Materialize's `edit` prints (`previous value: {prev:?}`
 * of the previous value turned into a `Value`): `Null`, `Bool(true)`, `Number(47)`,
 * `String("initial")`, `Array [...]`, `Object {"value": String("initial")}`. Object keys keep their
 * order: Materialize builds serde_json with `preserve_order`, so a struct's fields appear in
 * declaration order, as the catalog's decoded values hold them.
 */
import type { JsonValue } from '../../json/lossless-json.js'
import { rustStr } from './rust-debug.js'

export function serdeValueDebug(v: JsonValue): string {
  if (v === null) return 'Null'
  switch (typeof v) {
    case 'boolean':
      return `Bool(${v})`
    case 'bigint':
    case 'number':
      return `Number(${String(v)})`
    case 'string':
      return `String(${rustStr(v)})`
  }
  if (Array.isArray(v)) return `Array [${v.map(serdeValueDebug).join(', ')}]`
  return `Object {${Object.entries(v)
    .map(([k, x]) => `${rustStr(k)}: ${serdeValueDebug(x as JsonValue)}`)
    .join(', ')}}`
}
