/**
 * The one lossless JSON codec of catalog-debug.
 *
 * - {@link parseJson}: strict RFC 8259 JSON. Integer literals (no fraction, no exponent) become
 *   `bigint`, exact at any size; other numbers become `number` (so `1.0` stays a float and an
 *   integer field can reject it). A duplicated object key keeps its last value; with `strict`
 *   (every input boundary) it is refused, as serde refuses it when it reads a struct, and so is
 *   an escaped lone surrogate, which is no Unicode scalar value (Rust strings cannot hold one).
 * - {@link utf8Text}: bytes → text, refusing invalid UTF-8 instead of replacing it with U+FFFD.
 * - {@link canonicalJson}: the stored form. Object keys sorted by code point, no whitespace,
 *   integers as plain digits. Two documents that mean the same have the same bytes, so a
 *   retraction cancels exactly the row it retracts.
 * - {@link displayJson}: the same values in the order the object was built (the catalog builds
 *   objects in proto declaration order for display), optionally indented.
 *
 * Never use `JSON.parse`/`JSON.stringify` on catalog data: they round u64 values above 2^53.
 */
export { MAX_JSON_DEPTH, parseJson } from './json-parse.js'
export { canonicalJson, canonicalize, compareCodePoints, displayJson } from './json-write.js'
export { isJsonObject, type JsonObject, JsonSyntaxError, type JsonValue } from './json-value.js'
export { firstInvalidUtf8, utf8Text } from './utf8.js'
