/** UTF-8 bytes to text without replacement characters; see `lossless-json.ts`. */
import { JsonSyntaxError } from './json-value.js'

/**
 * Decodes UTF-8 bytes, refusing what is not UTF-8 (instead of replacing it with U+FFFD, which
 * would silently change the text). Throws {@link JsonSyntaxError} positioned at the first bad byte.
 */
export function utf8Text(bytes: Uint8Array): string {
  const bad = firstInvalidUtf8(bytes)
  if (bad < 0) return new TextDecoder('utf-8').decode(bytes)
  const prefix = new TextDecoder('utf-8').decode(bytes.subarray(0, bad))
  throw new JsonSyntaxError(`not valid UTF-8 (byte ${bad})`, prefix.length, prefix)
}

/** The offset of the first byte that starts no valid UTF-8 sequence, or -1 when all are valid. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0
  const n = b.length
  while (i < n) {
    const c = b[i] as number
    if (c < 0x80) {
      i++
      continue
    }
    let len: number
    let min: number
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2
      min = 0x80
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3
      min = 0x800
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4
      min = 0x10000
    } else {
      return i
    }
    if (i + len > n) return i
    let cp = c & (0xff >> (len + 1))
    for (let k = 1; k < len; k++) {
      const d = b[i + k] as number
      if ((d & 0xc0) !== 0x80) return i
      cp = (cp << 6) | (d & 0x3f)
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i
    i += len
  }
  return -1
}
