/**
 * The one scanner of canonical JSON text (the form `canonicalJson` writes: strings escaped exactly
 * as `JSON.stringify` escapes them, integers in plain digits). The fast paths that read stored rows
 * without parsing them (`row-lookup.ts`, `row-display.ts`) build on these two functions, so both
 * agree on what canonical text is; each falls back to the full decoder when a scan answers -1.
 */

/**
 * Scans a string literal starting at `t[i]` (a `"`), written exactly as `JSON.stringify` writes it.
 * Returns the index after the closing quote, or -1 when the text there is not such a string.
 */
export function scanCanonicalString(t: string, i: number): number {
  if (t.charCodeAt(i) !== 34 /* " */) return -1
  i++
  for (;;) {
    const c = t.charCodeAt(i)
    if (c === 34) return i + 1
    if (c === 92 /* \ */) {
      const e = t.charCodeAt(i + 1)
      if (e === 34 || e === 92 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) {
        i += 2
        continue
      }
      // `\u00xx` (lowercase hex) only for the control characters without a short escape.
      if (e === 117 && t.charCodeAt(i + 2) === 48 && t.charCodeAt(i + 3) === 48) {
        const h = t.charCodeAt(i + 4)
        const l = t.charCodeAt(i + 5)
        const lv = l >= 48 && l <= 57 ? l - 48 : l >= 97 && l <= 102 ? l - 87 : -1
        if ((h === 48 || h === 49) && lv >= 0) {
          const code = (h - 48) * 16 + lv
          if (code !== 8 && code !== 9 && code !== 10 && code !== 12 && code !== 13) {
            i += 6
            continue
          }
        }
      }
      return -1
    }
    if (!(c >= 32)) return -1 // a raw control character, or the end of the text (NaN)
    if (c >= 0xd800 && c <= 0xdfff) {
      // A well-formed pair stays raw; JSON.stringify escapes a lone surrogate.
      const n = t.charCodeAt(i + 1)
      if (c > 0xdbff || !(n >= 0xdc00 && n <= 0xdfff)) return -1
      i += 2
      continue
    }
    i++
  }
}

/**
 * Scans an integer starting at `t[i]` in plain digits: an optional `-` (not on zero), no leading
 * zeros, no fraction or exponent. Returns the index after it, or -1. The range is the caller's.
 */
export function scanCanonicalInteger(t: string, i: number): number {
  const neg = t.charCodeAt(i) === 45 /* - */
  if (neg) i++
  const c = t.charCodeAt(i)
  if (c === 48 /* 0 */) {
    if (neg) return -1
    i++
  } else if (c >= 49 && c <= 57) {
    i++
    while (isDigit(t.charCodeAt(i))) i++
  } else {
    return -1
  }
  const d = t.charCodeAt(i)
  if (d === 46 || d === 101 || d === 69 || isDigit(d)) return -1
  return i
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

/** Whether a scanned string literal `t[start, end)` has no escape and no surrogate pair. */
export function isPlainStringLiteral(t: string, start: number, end: number): boolean {
  for (let i = start + 1; i < end - 1; i++) {
    const c = t.charCodeAt(i)
    if (c === 92 || (c >= 0xd800 && c <= 0xdfff)) return false
  }
  return true
}
