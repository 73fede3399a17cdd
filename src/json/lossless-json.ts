/**
 * The one lossless JSON codec of catalog-debug.
 *
 * - {@link parseJson}: strict RFC 8259 JSON. Integer literals (no fraction, no exponent) become
 *   `bigint`, exact at any size; other numbers become `number` (so `1.0` stays a float and an
 *   integer field can reject it). A duplicated object key keeps its last value, as serde does.
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
  constructor(message: string, position: number, text: string) {
    const { line, column } = lineColumn(text, position)
    super(`invalid JSON at line ${line} column ${column}: ${message}`)
    this.name = 'JsonSyntaxError'
    this.position = position
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

/** Parses JSON text losslessly. Throws {@link JsonSyntaxError}. */
export function parseJson(text: string): JsonValue {
  const p = new Parser(text)
  p.skipWs()
  const v = p.value(0)
  p.skipWs()
  if (p.pos !== text.length) p.fail('unexpected text after the JSON value')
  return v
}

class Parser {
  pos = 0
  constructor(readonly text: string) {}

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
      const v = this.value(depth + 1)
      setKey(out, key, v)
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
      out.push(this.value(depth + 1))
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
          out += String.fromCharCode(parseInt(hex, 16))
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
