/**
 * Materialize's `dump` text (`src/catalog-debug/src/main.rs`, v47 era): `writeln!("{data:#?}")`
 * of a `BTreeMap<String, Vec<Dumped>>`, the collections by name, each update a `Dumped` struct
 * printed with an empty name (` {`) and the fields `key` and `value` (prost's `Debug` of the
 * proto key and value, `()` for the key-only collections), `key_json` and `value_json` (the
 * serde JSON in single quotes, unescaped), `timestamp` (a string) and `diff`.
 */
import { displayJson, type JsonValue } from '../../json/lossless-json.js'
import type { Schema } from '../../catalog/kinds/schema.js'
import { protoDebug } from './proto-debug.js'
import { type DebugNode, leaf, prettyDebug, rustStr, struct } from './rust-debug.js'

/** One update of a collection, decoded with the schemas given. */
export interface CompatDumpEntry {
  readonly keySchema: Schema<unknown>
  readonly valueSchema: Schema<unknown>
  readonly key: JsonValue
  readonly value: JsonValue
  readonly ts: bigint
  readonly diff: bigint
}

/** `Dumped`'s Debug tree. */
function dumped(e: CompatDumpEntry): DebugNode {
  return struct('', [
    ['key', protoDebug(e.keySchema, e.key)],
    ['value', protoDebug(e.valueSchema, e.value)],
    // serde_json::to_string: compact, fields in declaration order, as displayJson prints them.
    ['key_json', leaf(`'${displayJson(e.key)}'`)],
    ['value_json', leaf(`'${displayJson(e.value)}'`)],
    ['timestamp', leaf(rustStr(String(e.ts)))],
    ['diff', leaf(String(e.diff))],
  ])
}

const ENTRY_PAD = ' '.repeat(8)

/**
 * The text of one collection as a line group of the map (`    "name": [ … ],\n`), to be put
 * between {@link COMPAT_DUMP_OPEN} and {@link COMPAT_DUMP_CLOSE}.
 */
export function compatDumpCollection(name: string, entries: readonly CompatDumpEntry[]): string {
  if (entries.length === 0) return `    ${rustStr(name)}: [],\n`
  let out = `    ${rustStr(name)}: [\n`
  for (const e of entries) out += `${ENTRY_PAD}${prettyDebug(dumped(e), ENTRY_PAD)},\n`
  return `${out}    ],\n`
}

export const COMPAT_DUMP_OPEN = '{\n'
export const COMPAT_DUMP_CLOSE = '}\n'
/** The whole text when every collection is ignored (an empty map). */
export const COMPAT_DUMP_EMPTY = '{}\n'
