/**
 * Strict, lossless JSON parsing: integer literals become `bigint`; see `lossless-json.ts` for the
 * codec's rules.
 */
import { type JsonObject, JsonSyntaxError, type JsonValue } from './json-value.js'

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
