/**
 * A standalone copy of a string, for strings kept for long (indexes over a whole catalog).
 *
 * V8 keeps a string built by concatenation as a tree of its pieces (about 30 bytes a piece), and
 * a substring as a view that keeps the whole original alive: a 20-character id built by
 * `canonicalJson` takes over 250 bytes, a name cut from a `create_sql` holds the statement. The
 * copy is one flat run of characters. The JSON round trip is exact for every string (lone
 * surrogates included), which `normalize()` or a UTF-8 round trip are not; it parses no catalog
 * data, only the string's own encoding.
 */
export function flatString(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string
}
