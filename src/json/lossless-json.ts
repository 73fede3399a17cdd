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

export type JsonValue = null | boolean | string | bigint | number | JsonValue[] | JsonObject
export interface JsonObject {
  [key: string]: JsonValue
}

/** Raised for malformed JSON text; `position` is the 0-based character offset. */
export class JsonSyntaxError extends Error {
  readonly position: number
  readonly line: number
  readonly column: number
  /** What is wrong, without the position. */
  readonly reason: string
  /**
   * The JSON path of the offending member (`id.value`, `privileges[0]`) when the text is
   * well-formed but a strict parse refused it (a duplicate key); `undefined` for syntax errors.
   */
  readonly path: string | undefined
  constructor(message: string, position: number, text: string, path?: string) {
    const { line, column } = lineColumn(text, position)
    super(`invalid JSON at line ${line} column ${column}: ${message}`)
    this.name = 'JsonSyntaxError'
    this.position = position
    this.line = line
    this.column = column
    this.reason = message
    this.path = path
  }
}

function lineColumn(text: string, position: number): { line: number; column: number } {
  let line = 1
  let lastNewline = -1
  for (let i = 0; i < position && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      lastNewline = i
    }
  }
  return { line, column: position - lastNewline }
}

/** Maximum nesting depth accepted by the parser (deeper input is rejected, not a stack overflow). */
export const MAX_JSON_DEPTH = 512

export interface ParseOptions {
  /**
   * Refuse a key repeated in one object (at any depth) and a `\u` escape of a lone surrogate.
   * Use it wherever text enters the catalog (arguments, files, fixtures, stored rows): serde_json
   * refuses both when it reads Materialize's types. Default: the last duplicate wins.
   */
  readonly strict?: boolean
}

/** Parses JSON text losslessly. Throws {@link JsonSyntaxError}. */
export function parseJson(text: string, options?: ParseOptions): JsonValue {
  const p = new Parser(text, options?.strict === true)
  p.skipWs()
  const v = p.value(0)
  p.skipWs()
  if (p.pos !== text.length) p.fail('unexpected text after the JSON value')
  return v
}

class Parser {
  pos = 0
  /** Keys and indices from the root to the value being parsed (strict mode only). */
  readonly trail: (string | number)[] = []
  constructor(
    readonly text: string,
    readonly strict: boolean,
  ) {}

  trailPath(): string {
    let s = ''
    for (const p of this.trail) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`
    return s
  }

  fail(message: string, at = this.pos): never {
    throw new JsonSyntaxError(message, at, this.text)
  }

  skipWs(): void {
    const t = this.text
    let i = this.pos
    for (;;) {
      const c = t.charCodeAt(i)
      if (c === 32 || c === 10 || c === 13 || c === 9) i++
      else break
    }
    this.pos = i
  }

  value(depth: number): JsonValue {
    if (depth > MAX_JSON_DEPTH) this.fail(`nesting deeper than ${MAX_JSON_DEPTH} levels`)
    const c = this.text.charCodeAt(this.pos)
    switch (c) {
      case 123 /* { */:
        return this.object(depth)
      case 91 /* [ */:
        return this.array(depth)
      case 34 /* " */:
        return this.string()
      case 116 /* t */:
        return this.literal('true', true)
      case 102 /* f */:
        return this.literal('false', false)
      case 110 /* n */:
        return this.literal('null', null)
      default:
        if (c === 45 || (c >= 48 && c <= 57)) return this.number()
        if (Number.isNaN(c)) this.fail('unexpected end of input')
        this.fail(`unexpected character ${JSON.stringify(this.text[this.pos])}`)
    }
  }

  literal<T>(word: string, v: T): T {
    if (this.text.startsWith(word, this.pos)) {
      this.pos += word.length
      return v
    }
    this.fail(`unexpected token (expected ${word})`)
  }

  object(depth: number): JsonObject {
    const out: JsonObject = {}
    this.pos++
    this.skipWs()
    if (this.text.charCodeAt(this.pos) === 125) {
      this.pos++
      return out
    }
    for (;;) {
      if (this.text.charCodeAt(this.pos) !== 34) this.fail('expected a string key')
      const key = this.string()
      this.skipWs()
      if (this.text.charCodeAt(this.pos) !== 58) this.fail("expected ':' after an object key")
      this.pos++
      this.skipWs()
      if (this.strict) {
        this.trail.push(key)
        if (Object.hasOwn(out, key)) {
          throw new JsonSyntaxError(`duplicate key ${JSON.stringify(key)}`, this.pos, this.text, this.trailPath())
        }
        const v = this.value(depth + 1)
        this.trail.pop()
        setKey(out, key, v)
      } else {
        setKey(out, key, this.value(depth + 1))
      }
      this.skipWs()
      const c = this.text.charCodeAt(this.pos)
      if (c === 44) {
        this.pos++
        this.skipWs()
        continue
      }
      if (c === 125) {
        this.pos++
        return out
      }
      this.fail("expected ',' or '}' in an object")
    }
  }

  array(depth: number): JsonValue[] {
    const out: JsonValue[] = []
    this.pos++
    this.skipWs()
    if (this.text.charCodeAt(this.pos) === 93) {
      this.pos++
      return out
    }
    for (;;) {
      if (this.strict) {
        this.trail.push(out.length)
        out.push(this.value(depth + 1))
        this.trail.pop()
      } else {
        out.push(this.value(depth + 1))
      }
      this.skipWs()
      const c = this.text.charCodeAt(this.pos)
      if (c === 44) {
        this.pos++
        this.skipWs()
        continue
      }
      if (c === 93) {
        this.pos++
        return out
      }
      this.fail("expected ',' or ']' in an array")
    }
  }

  string(): string {
    const t = this.text
    const start = ++this.pos
    let i = start
    // Fast path: no escapes.
    for (;;) {
      const c = t.charCodeAt(i)
      if (c === 34) {
        this.pos = i + 1
        return t.slice(start, i)
      }
      if (c === 92) break
      if (c < 32 || Number.isNaN(c)) {
        if (Number.isNaN(c)) this.fail('unterminated string', start - 1)
        this.fail('control character in a string', i)
      }
      i++
    }
    let out = t.slice(start, i)
    for (;;) {
      const c = t.charCodeAt(i)
      if (Number.isNaN(c)) this.fail('unterminated string', start - 1)
      if (c === 34) {
        this.pos = i + 1
        return out
      }
      if (c < 32) this.fail('control character in a string', i)
      if (c !== 92) {
        out += t[i]
        i++
        continue
      }
      const e = t[i + 1]
      switch (e) {
        case '"':
          out += '"'
          break
        case '\\':
          out += '\\'
          break
        case '/':
          out += '/'
          break
        case 'b':
          out += '\b'
          break
        case 'f':
          out += '\f'
          break
        case 'n':
          out += '\n'
          break
        case 'r':
          out += '\r'
          break
        case 't':
          out += '\t'
          break
        case 'u': {
          const hex = t.slice(i + 2, i + 6)
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape', i)
          const unit = parseInt(hex, 16)
          if (this.strict && unit >= 0xd800 && unit <= 0xdfff) {
            // A high surrogate must be followed at once by an escaped low one; take the pair.
            const next = t.slice(i + 6, i + 12)
            if (unit >= 0xdc00 || !/^\\u[dD][c-fC-F][0-9a-fA-F]{2}$/.test(next)) {
              this.fail('lone surrogate in a \\u escape (not a Unicode scalar value)', i)
            }
            out += String.fromCharCode(unit, parseInt(next.slice(2), 16))
            i += 10
            break
          }
          out += String.fromCharCode(unit)
          i += 4
          break
        }
        default:
          this.fail('invalid escape in a string', i)
      }
      i += 2
    }
  }

  number(): bigint | number {
    const t = this.text
    const start = this.pos
    let i = start
    if (t.charCodeAt(i) === 45) i++
    if (t.charCodeAt(i) === 48) {
      i++
    } else if (t.charCodeAt(i) >= 49 && t.charCodeAt(i) <= 57) {
      while (t.charCodeAt(i) >= 48 && t.charCodeAt(i) <= 57) i++
    } else {
      this.fail('invalid number', start)
    }
    let integer = true
    if (t.charCodeAt(i) === 46) {
      integer = false
      i++
      if (!(t.charCodeAt(i) >= 48 && t.charCodeAt(i) <= 57)) this.fail('invalid number: digits expected after "."', start)
      while (t.charCodeAt(i) >= 48 && t.charCodeAt(i) <= 57) i++
    }
    const e = t.charCodeAt(i)
    if (e === 101 || e === 69) {
      integer = false
      i++
      if (t.charCodeAt(i) === 43 || t.charCodeAt(i) === 45) i++
      if (!(t.charCodeAt(i) >= 48 && t.charCodeAt(i) <= 57)) this.fail('invalid number: digits expected in the exponent', start)
      while (t.charCodeAt(i) >= 48 && t.charCodeAt(i) <= 57) i++
    }
    this.pos = i
    const lit = t.slice(start, i)
    if (integer) {
      // Leading zeros are rejected above ("0" may only stand alone); `-0` is the integer 0.
      return BigInt(lit)
    }
    return Number(lit)
  }
}

function setKey(obj: JsonObject, key: string, v: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true })
  } else {
    if (Object.hasOwn(obj, key)) delete obj[key] // last one wins, at its new position
    obj[key] = v
  }
}

/** Compares two strings by Unicode code point (Rust's `str` ordering), not by UTF-16 unit. */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x !== y) {
      const xs = x >= 0xd800 && x <= 0xdfff
      const ys = y >= 0xd800 && y <= 0xdfff
      if (xs === ys) return x - y
      // A surrogate (astral code point) sorts after every BMP code point.
      return xs ? 1 : -1
    }
  }
  return a.length - b.length
}

function stringifyNumber(n: number): string {
  if (!Number.isFinite(n)) throw new TypeError(`cannot encode ${n} as JSON`)
  return JSON.stringify(n)
}

/** The canonical, stored form: sorted keys, no whitespace, exact integers. */
export function canonicalJson(v: JsonValue): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v)
    case 'bigint':
      return v.toString()
    case 'number':
      return stringifyNumber(v)
    case 'boolean':
      return v ? 'true' : 'false'
    case 'object': {
      if (v === null) return 'null'
      if (Array.isArray(v)) {
        let s = '['
        for (let i = 0; i < v.length; i++) {
          if (i > 0) s += ','
          s += canonicalJson(v[i] as JsonValue)
        }
        return `${s}]`
      }
      const keys = Object.keys(v).sort(compareCodePoints)
      let s = '{'
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i] as string
        if (i > 0) s += ','
        s += `${JSON.stringify(k)}:${canonicalJson(v[k] as JsonValue)}`
      }
      return `${s}}`
    }
    default:
      throw new TypeError(`cannot encode a ${typeof v} as JSON`)
  }
}

/**
 * The display form: keys in the order the object holds them. With `indent`, pretty-printed
 * (empty arrays and objects stay `[]`/`{}`).
 */
export function displayJson(v: JsonValue, indent = 0): string {
  return display(v, indent, '')
}

function display(v: JsonValue, indent: number, pad: string): string {
  if (typeof v !== 'object' || v === null) return canonicalJson(v)
  const inner = indent > 0 ? pad + ' '.repeat(indent) : ''
  const nl = indent > 0 ? '\n' : ''
  const sep = indent > 0 ? ': ' : ':'
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]'
    return `[${nl}${v.map((x) => inner + display(x, indent, inner)).join(`,${nl}`)}${nl}${pad}]`
  }
  const keys = Object.keys(v)
  if (keys.length === 0) return '{}'
  return `{${nl}${keys.map((k) => inner + JSON.stringify(k) + sep + display(v[k] as JsonValue, indent, inner)).join(`,${nl}`)}${nl}${pad}}`
}

/** Parses then re-encodes canonically: the normal form of any JSON text. */
export function canonicalize(text: string): string {
  return canonicalJson(parseJson(text))
}

/** Whether a value is a JSON object (not an array, not null). */
export function isJsonObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

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
