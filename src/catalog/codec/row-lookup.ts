/**
 * The store's lookup extractor for catalog rows: `[kind, canonical key text]`.
 *
 * It runs on every appended row, so it avoids building the row when it can: rows are written in
 * canonical JSON, in which the key's canonical text is a substring of the row. A scanner (`canonical-scan.ts`) checks
 * that the row *is* canonical (no whitespace, keys strictly increasing, integers in plain digits,
 * strings escaped as `JSON.stringify` escapes them) while it finds the substring; anything else
 * (whitespace, floats, unusual escapes, extra fields) takes the slow path, which parses and
 * re-encodes. Both paths give the same answer for every input.
 */

import type { LookupValues } from '../../store/shard-store.js'
import { canonicalJson, isJsonObject, MAX_JSON_DEPTH, parseJson, type JsonValue } from '../../json/lossless-json.js'
import { isPlainStringLiteral, scanCanonicalInteger, scanCanonicalString } from './canonical-scan.js'

/** Thrown inside the scanner when the text is not canonical; never escapes this module. */
const NOT_CANONICAL = Symbol('not canonical')

/**
 * `[kind, canonical key text]` of a row, `['Epoch', null]` for the epoch row, `[null, null]` when
 * the text is not a JSON object, `null` for a missing part. Does not validate against a schema (it
 * must index rows that do not decode, too). Never throws.
 */
export function rowLookup(text: string): LookupValues {
  const known = takeNoted(text)
  if (known !== undefined) return known
  try {
    const fast = scanCanonicalRow(text)
    if (fast !== undefined) return fast
  } catch (err) {
    if (err !== NOT_CANONICAL) throw err
  }
  return slowLookup(text)
}

/**
 * Whether the fast scan accepts `text` as a canonical row (`{"key":K,"kind":"X"}` with an optional
 * `"value"`, every part canonical): then it is exactly `canonicalJson` of its parse. `false`
 * decides nothing (epoch rows, floats and escaped keys are left to a full comparison). Never throws.
 */
export function isScannedCanonicalRow(text: string): boolean {
  try {
    return scanCanonicalRow(text) !== undefined
  } catch (err) {
    if (err !== NOT_CANONICAL) throw err
    return false
  }
}

/**
 * Lookups noted for rows a reader has just decoded exactly ({@link noteExactRow}), oldest first,
 * for the store's extractor to take when the same strings reach it in the same order (`import`:
 * the fixture reader checks each row, then the store indexes it). A ring of {@link NOTED_MAX}
 * entries: what is never taken is overwritten, so it costs no memory beyond the ring.
 */
const NOTED_MAX = 8192
const notedTexts: (string | undefined)[] = new Array(NOTED_MAX)
const notedValues: (LookupValues | undefined)[] = new Array(NOTED_MAX)
let notedHead = 0
let notedCount = 0
/** How many entries past the oldest a lookup looks for its text (rows consolidated away are skipped). */
const NOTED_LOOKAHEAD = 4

/**
 * Notes the lookup of `text`, a row that `row-display.ts` decoded exactly as a row of `kind` (so
 * it is canonical through its end) and whose key ends at `keyEnd` (`exactRowKeyEnd`): nothing is
 * scanned, and the next
 * {@link rowLookup} of that string answers without scanning the row again. The answer is the one
 * the full scan gives for such a row; a text that is not such a row is noted as nothing.
 */
export function noteExactRow(text: string, kind: string, keyEnd: number): void {
  if (!text.startsWith(KEY_PREFIX) || keyEnd <= KEY_PREFIX.length) return
  if (kind === 'Epoch' || !text.startsWith(`${KIND_INFIX}${kind}"`, keyEnd)) return
  const key = text.slice(KEY_PREFIX.length, keyEnd)
  const slot = (notedHead + notedCount) % NOTED_MAX
  notedTexts[slot] = text
  notedValues[slot] = [kind, key === 'null' ? null : key]
  if (notedCount < NOTED_MAX) notedCount++
  else notedHead = (notedHead + 1) % NOTED_MAX
}

/** The noted lookup of `text` (dropping the entries before it), or `undefined`. */
function takeNoted(text: string): LookupValues | undefined {
  const n = Math.min(notedCount, NOTED_LOOKAHEAD)
  for (let k = 0; k < n; k++) {
    const slot = (notedHead + k) % NOTED_MAX
    if (notedTexts[slot] !== text) continue
    const values = notedValues[slot]
    for (let j = 0; j <= k; j++) {
      const drop = (notedHead + j) % NOTED_MAX
      notedTexts[drop] = undefined
      notedValues[drop] = undefined
    }
    notedHead = (slot + 1) % NOTED_MAX
    notedCount -= k + 1
    return values
  }
  return undefined
}

function slowLookup(text: string): LookupValues {
  let doc: JsonValue
  try {
    doc = parseJson(text)
  } catch {
    return [null, null]
  }
  if (!isJsonObject(doc)) return [null, null]
  const kind = typeof doc.kind === 'string' ? doc.kind : null
  if (kind === 'Epoch') return ['Epoch', null]
  const key = doc.key
  return [kind, key === undefined || key === null ? null : canonicalJson(key)]
}

const KEY_PREFIX = '{"key":'
const KIND_INFIX = ',"kind":"'
const VALUE_INFIX = ',"value":'

/** The fast path: `undefined` (or a throw of NOT_CANONICAL) when the slow path must decide. */
function scanCanonicalRow(text: string): LookupValues | undefined {
  if (!text.startsWith(KEY_PREFIX)) return undefined // Epoch rows and odd shapes: rare, slow path
  const keyEnd = skipValue(text, KEY_PREFIX.length, 1)
  if (!text.startsWith(KIND_INFIX, keyEnd)) return undefined
  const kindStart = keyEnd + KIND_INFIX.length
  const kindEnd = skipString(text, kindStart - 1)
  if (!isPlainStringLiteral(text, kindStart - 1, kindEnd)) return undefined
  const kind = text.slice(kindStart, kindEnd - 1)
  if (kind === 'Epoch') return undefined
  let end = kindEnd
  if (text.startsWith(VALUE_INFIX, end)) end = skipValue(text, end + VALUE_INFIX.length, 1)
  if (end !== text.length - 1 || text.charCodeAt(end) !== 125 /* } */) return undefined
  const key = text.slice(KEY_PREFIX.length, keyEnd)
  return [kind, key === 'null' ? null : key]
}

/**
 * Skips one canonical JSON value starting at `i`; returns the index after it. Past the parser's
 * depth limit it leaves the verdict to the slow path (and never overflows the stack).
 */
function skipValue(t: string, i: number, depth = 0): number {
  if (depth > MAX_JSON_DEPTH) throw NOT_CANONICAL
  const c = t.charCodeAt(i)
  if (c === 34 /* " */) return skipString(t, i)
  if (c === 123 /* { */) {
    i++
    if (t.charCodeAt(i) === 125) return i + 1
    let prevKey: string | undefined
    for (;;) {
      if (t.charCodeAt(i) !== 34) throw NOT_CANONICAL
      const keyEnd = skipString(t, i)
      // Raw key text compares like the decoded key only without escapes; UTF-16 order equals
      // code-point order without surrogates (catalog keys are ASCII).
      if (!isPlainStringLiteral(t, i, keyEnd)) throw NOT_CANONICAL
      const key = t.slice(i + 1, keyEnd - 1)
      if (prevKey !== undefined && !(prevKey < key)) throw NOT_CANONICAL
      prevKey = key
      if (t.charCodeAt(keyEnd) !== 58 /* : */) throw NOT_CANONICAL
      i = skipValue(t, keyEnd + 1, depth + 1)
      const d = t.charCodeAt(i)
      if (d === 44 /* , */) i++
      else if (d === 125) return i + 1
      else throw NOT_CANONICAL
    }
  }
  if (c === 91 /* [ */) {
    i++
    if (t.charCodeAt(i) === 93) return i + 1
    for (;;) {
      i = skipValue(t, i, depth + 1)
      const d = t.charCodeAt(i)
      if (d === 44) i++
      else if (d === 93) return i + 1
      else throw NOT_CANONICAL
    }
  }
  if (c === 45 /* - */ || (c >= 48 && c <= 57)) return skipInteger(t, i)
  if (t.startsWith('true', i)) return i + 4
  if (t.startsWith('false', i)) return i + 5
  if (t.startsWith('null', i)) return i + 4
  throw NOT_CANONICAL
}

function skipInteger(t: string, i: number): number {
  const end = scanCanonicalInteger(t, i)
  if (end < 0) throw NOT_CANONICAL
  return end
}

function skipString(t: string, i: number): number {
  const end = scanCanonicalString(t, i)
  if (end < 0) throw NOT_CANONICAL
  return end
}
