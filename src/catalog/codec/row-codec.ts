/**
 * The catalog row codec: one shard update's `data` text ⇄ a decoded (kind, key, value).
 *
 * A row is the serde form of the proto `StateUpdateKind.kind` oneof, internally tagged by `kind`:
 * `{"key":K,"kind":"X","value":V}`, `{"key":K,"kind":"AuditLog"}` (the key-only kinds have no
 * value) or `{"epoch":N,"kind":"Epoch"}`. Rows are stored in canonical JSON (sorted keys, no
 * whitespace, exact integers) so that a retraction is byte-identical to the insertion it cancels.
 *
 * Decoding refuses what Materialize's decoding refuses (`kinds/schema.ts`: required fields null or
 * missing at any depth, duplicate keys, wrong types) but, unlike Materialize's tool (which panics
 * on such rows, issue #26109), never throws: a row that does not decode is reported with the
 * reason. Like serde, a reader tolerates unknown keys and reads a missing `Option` as null; such a
 * row (e.g. a v45 unmanaged cluster with `linked_object_id` read with the v47 schema) decodes with
 * `exact: false` and `notes` saying what was dropped: its re-encoding would not retract it, so
 * retract it with its stored text (`raw`). Every input boundary refuses unknown keys too
 * ({@link parseUserKey}, {@link encodeRow}, fixtures; {@link unknownFieldNotes} for stored rows):
 * docs/materialize-parity.md.
 */

import { ValidationError } from '../../errors.js'
import type { CollectionName } from '../kinds/collections.js'
import { isKindName, KIND_NAMES, type CollectionKindName } from '../kinds/kind-names.js'
import { EPOCH_FIELD, kindsForVersion } from '../kinds/schema-sets.js'
import { describeJson, UNKNOWN_FIELD_NOTE, type DecodeNotes, type Schema } from '../kinds/schema.js'
import { CATALOG_VERSION } from '../kinds/versions.js'
import { canonicalJson, isJsonObject, JsonSyntaxError, parseJson, type JsonObject, type JsonValue } from '../../json/lossless-json.js'

export { rowLookup } from './row-lookup.js'

/** A decoded row of one of the 18 collection kinds. */
export interface CollectionRow {
  readonly kind: CollectionKindName
  readonly collection: CollectionName
  /** The decoded key: keys in proto declaration order, integers `bigint`. */
  readonly key: JsonObject
  /** The decoded value; `null` for the key-only kinds. */
  readonly value: JsonValue
  readonly epoch?: undefined
  /** The text the row was decoded from (retract with this, not a re-encoding, when `exact` is false). */
  readonly raw: string
  /** Whether {@link encodeDecodedRow} reproduces the canonical form of `raw`. */
  readonly exact: boolean
  /** What the decode ignored or defaulted (empty when `exact`). */
  readonly notes: readonly string[]
}

/** The decoded `Epoch` row (the fencing token; in no collection). */
export interface EpochRow {
  readonly kind: 'Epoch'
  readonly collection: undefined
  readonly key: null
  readonly value: null
  readonly epoch: bigint
  readonly raw: string
  readonly exact: boolean
  readonly notes: readonly string[]
}

export type DecodedRow = CollectionRow | EpochRow

/** Outcome of {@link decodeRow}: a row, or the raw text and why it did not decode. */
export type DecodeRowResult =
  | { readonly ok: true; readonly row: DecodedRow }
  | {
      readonly ok: false
      readonly raw: string
      /** One line, naming the offending field path (`value.config: …`) where there is one. */
      readonly reason: string
      /** The row's `kind` tag when it had a string one. */
      readonly kind?: string
    }

export interface DecodeRowOptions {
  /**
   * Also refuse rows that decode only by ignoring unknown fields (which the boundary rule refuses)
   * or by reading missing `Option` fields as null: only rows whose re-encoding is byte-exact pass.
   */
  readonly strict?: boolean
}

const TOP_LEVEL_FIELDS = {
  epoch: new Set(['kind', 'epoch']),
  keyOnly: new Set(['kind', 'key']),
  keyValue: new Set(['kind', 'key', 'value']),
}

/**
 * Decodes one row's text with the schemas of catalog `version` (default 47). Never throws for any
 * text; throws {@link IncompatibleCatalogVersionError} only for an unsupported `version`.
 */
export function decodeRow(text: string, version: number = CATALOG_VERSION, options: DecodeRowOptions = {}): DecodeRowResult {
  kindsForVersion(version)
  let doc: JsonValue
  try {
    doc = parseJson(text, { strict: true })
  } catch (err) {
    if (err instanceof JsonSyntaxError) return { ok: false, raw: text, reason: syntaxReason(err) }
    return { ok: false, raw: text, reason: undecodable(err) }
  }
  return decodeParsedRow(doc, text, version, options)
}

/**
 * {@link decodeRow} of a text already parsed strictly (`parseJson(text, { strict: true })`), for
 * readers that also need the parsed document: the same result, without parsing twice.
 */
export function decodeParsedRow(
  doc: JsonValue,
  text: string,
  version: number = CATALOG_VERSION,
  options: DecodeRowOptions = {},
): DecodeRowResult {
  const kinds = kindsForVersion(version)
  let kindTag: string | undefined
  try {
    if (!isJsonObject(doc)) return { ok: false, raw: text, reason: `expected a JSON object, got ${describeJson(doc)}` }
    const tag = doc.kind
    if (tag === undefined) return { ok: false, raw: text, reason: 'kind: missing required field' }
    if (typeof tag !== 'string') return { ok: false, raw: text, reason: `kind: expected a string, got ${describeJson(tag)}` }
    kindTag = tag
    if (!isKindName(tag)) {
      return {
        ok: false,
        raw: text,
        kind: tag,
        reason: `kind: unknown kind ${JSON.stringify(tag)}, expected one of: ${KIND_NAMES.join(', ')}`,
      }
    }
    const notes: DecodeNotes = []
    let row: DecodedRow
    if (tag === 'Epoch') {
      noteUnknown(doc, TOP_LEVEL_FIELDS.epoch, notes)
      const epoch = field(doc, 'epoch', EPOCH_FIELD, notes)
      row = { kind: 'Epoch', collection: undefined, key: null, value: null, epoch, raw: text, exact: notes.length === 0, notes }
    } else {
      const k = kinds.kind(tag)
      noteUnknown(doc, k.keyOnly ? TOP_LEVEL_FIELDS.keyOnly : TOP_LEVEL_FIELDS.keyValue, notes)
      const key = field(doc, 'key', k.key, notes)
      const value = k.keyOnly ? null : field(doc, 'value', k.value, notes)
      row = { kind: tag, collection: k.collection, key, value, raw: text, exact: notes.length === 0, notes }
    }
    if (options.strict === true && !row.exact) {
      return { ok: false, raw: text, kind: tag, reason: `not an exact catalog v${version} row: ${notes.join('; ')}` }
    }
    return { ok: true, row }
  } catch (err) {
    const reason = undecodable(err)
    return kindTag === undefined ? { ok: false, raw: text, reason } : { ok: false, raw: text, kind: kindTag, reason }
  }
}

function undecodable(err: unknown): string {
  return err instanceof ValidationError ? err.message : `cannot decode: ${err instanceof Error ? err.message : String(err)}`
}

/** The notes of a decoded row that name unknown fields (which the boundary rule refuses). */
export function unknownFieldNotes(row: DecodedRow): string[] {
  return row.notes.filter((n) => n.endsWith(UNKNOWN_FIELD_NOTE))
}

/** A strict parse's complaint, with the JSON path of a duplicate key in front. */
function syntaxReason(err: JsonSyntaxError): string {
  return err.path === undefined ? err.message : `${err.path}: ${err.reason} (line ${err.line} column ${err.column})`
}

/**
 * A required top-level field: the proto wrapper holds `Option`s, and `from_proto` rejects `None`
 * ("missing field state_update_kind::Config::key").
 */
function field<T>(doc: JsonObject, name: string, schema: Schema<T>, notes: DecodeNotes): T {
  const v = doc[name]
  if (v === undefined) throw new ValidationError(name, `missing required field (expected ${schema.expected})`)
  return schema.decode(v, name, notes)
}

function noteUnknown(doc: JsonObject, known: ReadonlySet<string>, notes: DecodeNotes): void {
  for (const k of Object.keys(doc)) if (!known.has(k)) notes.push(`${k}: unknown field, ignored`)
}

/**
 * The canonical stored text of a row. Validates `key` and `value` against the schemas of `version`
 * (default 47) and normalizes them, so a row written through here always decodes exactly. For
 * key-only kinds `value` must be `null`; for `Epoch` pass `key = null` and the epoch as
 * `value` (or use {@link encodeEpochRow}). Throws {@link ValidationError} (paths `key.…`/`value.…`).
 */
export function encodeRow(kind: 'Epoch', key: null, value: bigint, version?: number): string
export function encodeRow(kind: CollectionKindName, key: JsonValue, value: JsonValue, version?: number): string
export function encodeRow(kind: CollectionKindName | 'Epoch', key: JsonValue, value: JsonValue, version: number = CATALOG_VERSION): string {
  if (kind === 'Epoch') return encodeEpochRow(EPOCH_FIELD.decode(value, 'epoch'))
  const k = kindsForVersion(version).kind(kind)
  const doc: JsonObject = { key: k.key.decode(key, 'key'), kind }
  if (!k.keyOnly) doc.value = k.value.decode(value, 'value')
  else k.value.decode(value, 'value')
  return canonicalJson(doc)
}

/** `{"epoch":N,"kind":"Epoch"}`. Throws {@link ValidationError} if `epoch` is not an i64. */
export function encodeEpochRow(epoch: bigint): string {
  return `{"epoch":${EPOCH_FIELD.decode(epoch, 'epoch').toString()},"kind":"Epoch"}`
}

/** Re-encodes a decoded row (equal to the canonical form of `row.raw` when `row.exact`). */
export function encodeDecodedRow(row: DecodedRow, version: number = CATALOG_VERSION): string {
  return row.kind === 'Epoch' ? encodeEpochRow(row.epoch) : encodeRow(row.kind, row.key, row.value, version)
}

export interface UserInputOptions {
  /** Catalog version whose schema applies (default 47). */
  readonly version?: number
}

function userJson(input: string | JsonValue, path: string): JsonValue {
  if (typeof input !== 'string') return input
  try {
    return parseJson(input, { strict: true })
  } catch (err) {
    if (err instanceof JsonSyntaxError) {
      if (err.path === undefined) throw new ValidationError(path, err.message, { cause: err })
      throw new ValidationError(`${path}.${err.path}`, `${err.reason} (line ${err.line} column ${err.column})`, { cause: err })
    }
    throw err
  }
}

/**
 * Validates a key an operator typed for `edit`/`delete` (JSON text, or an already parsed value:
 * a JS string is always taken as JSON text) by the boundary rule: what Materialize's decoding
 * accepts, without unknown fields or duplicate keys. Field order and whitespace do not matter.
 * Returns the normalized key. Throws {@link ValidationError} with a path starting `key`.
 */
export function parseUserKey(collection: CollectionName, input: string | JsonValue, options: UserInputOptions = {}): JsonObject {
  const k = kindsForVersion(options.version).collection(collection)
  return k.key.decode(userJson(input, 'key'), 'key')
}

/**
 * Validates a value an operator typed for `edit` (see {@link parseUserKey}); for the key-only
 * collections only `null` is valid. Throws {@link ValidationError} with a path starting `value`.
 */
export function parseUserValue(collection: CollectionName, input: string | JsonValue, options: UserInputOptions = {}): JsonValue {
  const k = kindsForVersion(options.version).collection(collection)
  return k.value.decode(userJson(input, 'value'), 'value')
}

/** The lookup values under which {@link rowLookup} indexes rows with this (decoded) key. */
export function keyLookup(kind: CollectionKindName, key: JsonValue): readonly [string, string] {
  return [kind, canonicalJson(key)]
}

/**
 * Comparator on decoded keys of `kind`, in Materialize's dump order (the proto key's derived `Ord`:
 * fields in declaration order, oneof variants in declaration order, `None` first, strings bytewise,
 * integers numerically). Keys must be decoded with the same `version`.
 */
export function sortKeyOrder(kind: CollectionKindName, version: number = CATALOG_VERSION): (a: JsonValue, b: JsonValue) => number {
  const schema = kindsForVersion(version).kind(kind).key
  return (a, b) => schema.compare(a as JsonObject, b as JsonObject)
}

/** Comparator on decoded values of `kind` (ties between equal keys in an unconsolidated trace). */
export function sortValueOrder(kind: CollectionKindName, version: number = CATALOG_VERSION): (a: JsonValue, b: JsonValue) => number {
  return kindsForVersion(version).kind(kind).value.compare
}
