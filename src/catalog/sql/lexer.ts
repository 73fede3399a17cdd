/**
 * Materialize's SQL lexer, ported (`src/sql-lexer/src/lexer.rs`): the same tokens, the same
 * acceptance and the same error messages, so a `create_sql` that Materialize cannot lex is
 * refused here with the message its parser would give.
 *
 * It follows PostgreSQL's lexical rules as Materialize implements them: bare words are folded to
 * lower case (a word is a keyword when its folded text is one, see `keywords.ts`); `"…"` quotes an
 * identifier exactly (`""` is a quote, NUL is refused); strings are `'…'` (adjacent literals join
 * only across a newline), `E'…'` with backslash escapes (octal and `\x` escapes refused, as
 * Materialize refuses them, and so is an escaped NUL), `X'…'` hex strings and `$tag$…$tag$`; comments are `--` and nested
 * `/* … *\/`; operators follow PostgreSQL's rule for a trailing `+`/`-`.
 */

/** What a token is; `word` covers Materialize's `Keyword` and `Ident` (see {@link Token.quoted}). */
export type TokenKind =
  | 'word'
  | 'string'
  | 'hex-string'
  | 'number'
  | 'parameter'
  | 'op'
  | 'star'
  | 'eq'
  | 'lparen'
  | 'rparen'
  | 'lbracket'
  | 'rbracket'
  | 'dot'
  | 'comma'
  | 'colon'
  | 'double-colon'
  | 'semicolon'

export interface Token {
  readonly kind: TokenKind
  /**
   * `word`: the identifier (lower-cased unless quoted); strings: the decoded text; `number`: the
   * digits as written (exponent marker normalised to `E`); `op`: the operator (`!=` reads `<>`).
   */
  readonly text: string
  /** A `"quoted"` identifier: never a keyword, case kept. */
  readonly quoted: boolean
  /** Offset of the token's first character in the input (UTF-16 units). */
  readonly pos: number
}

/** A lexing failure: Materialize's message and where it happened. */
export class SqlLexError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message)
    this.name = 'SqlLexError'
  }
}

const OP_CHARS = new Set('+-*/<>=~!@#%^&|`?')
const NONSTANDARD_OP_CHARS = new Set('~!@#%^&|`?')

/** `char::is_ascii_whitespace`: space, tab, LF, FF, CR (not VT). */
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\f' || c === '\r'
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'
const isIdentStart = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c >= '\u0080'
const isIdentChar = (c: string): boolean => isIdentStart(c) || isDigit(c) || c === '$'

/** A cursor over the input by code point, like `mz_ore::lex::LexBuf`. */
class Cursor {
  pos = 0
  constructor(readonly src: string) {}
  peek(): string | undefined {
    const unit = this.src.charCodeAt(this.pos)
    if (Number.isNaN(unit)) return undefined
    // Outside the surrogate range a code unit is the code point (and V8 caches such strings).
    if (unit < 0xd800 || unit > 0xdbff) return this.src[this.pos]
    return String.fromCodePoint(this.src.codePointAt(this.pos) as number)
  }
  next(): string | undefined {
    const c = this.peek()
    if (c !== undefined) this.pos += c.length
    return c
  }
  consume(c: string): boolean {
    if (this.src.startsWith(c, this.pos)) {
      this.pos += c.length
      return true
    }
    return false
  }
  /** Steps back over one code point. */
  prev(): void {
    const low = this.src.charCodeAt(this.pos - 1)
    this.pos -= low >= 0xdc00 && low <= 0xdfff && this.pos >= 2 ? 2 : 1
  }
  takeWhile(pred: (c: string) => boolean): string {
    const start = this.pos
    for (let c = this.peek(); c !== undefined && pred(c); c = this.peek()) this.pos += c.length
    return this.src.slice(start, this.pos)
  }
}

/** Lexes `sql` into tokens; throws {@link SqlLexError} where Materialize's lexer would fail. */
export function lex(sql: string): Token[] {
  const buf = new Cursor(sql)
  const tokens: Token[] = []
  const push = (kind: TokenKind, pos: number, text = '', quoted = false): void => {
    tokens.push({ kind, text, quoted, pos })
  }
  for (let ch = buf.next(); ch !== undefined; ch = buf.next()) {
    const pos = buf.pos - ch.length
    if (isSpace(ch)) continue
    if (ch === '-' && buf.consume('-')) {
      lineComment(buf)
      continue
    }
    if (ch === '/' && buf.consume('*')) {
      blockComment(buf)
      continue
    }
    if (ch === "'") push('string', pos, quotedString(buf))
    else if ((ch === 'x' || ch === 'X') && buf.consume("'")) push('hex-string', pos, quotedString(buf))
    else if ((ch === 'e' || ch === 'E') && buf.consume("'")) push('string', pos, extendedString(buf))
    else if (isIdentStart(ch)) {
      buf.prev()
      push('word', pos, buf.takeWhile(isIdentChar).toLowerCase())
    } else if (ch === '"') push('word', pos, quotedIdent(buf, pos), true)
    else if (isDigit(ch) || (ch === '.' && isDigit(buf.peek()))) {
      buf.prev()
      push('number', pos, number(buf))
    } else if (ch === '$' && isDigit(buf.peek())) push('parameter', pos, parameter(buf, pos))
    else if (ch === '$') push('string', pos, dollarString(buf, pos))
    else if (ch === '(') push('lparen', pos)
    else if (ch === ')') push('rparen', pos)
    else if (ch === ',') push('comma', pos)
    else if (ch === '.') push('dot', pos)
    else if (ch === ':') push(buf.consume(':') ? 'double-colon' : 'colon', pos)
    else if (ch === ';') push('semicolon', pos)
    else if (ch === '[') push('lbracket', pos)
    else if (ch === ']') push('rbracket', pos)
    else if (OP_CHARS.has(ch)) {
      buf.prev()
      const op = operator(buf)
      if (op === '*') push('star', pos, op)
      else if (op === '=') push('eq', pos, op)
      else push('op', pos, op === '!=' ? '<>' : op)
    } else throw new SqlLexError(`unexpected character in input: ${ch}`, pos)
  }
  return tokens
}

function lineComment(buf: Cursor): void {
  buf.takeWhile((c) => c !== '\n')
}

/** `/* … *\/`, nesting allowed; the opening `/*` is already consumed. */
function blockComment(buf: Cursor): void {
  const pos = buf.pos - 2
  let nesting = 0
  for (let c = buf.next(); c !== undefined; c = buf.next()) {
    if (c === '*' && buf.consume('/')) {
      if (nesting === 0) return
      nesting--
    } else if (c === '/' && buf.consume('*')) nesting++
  }
  throw new SqlLexError('unterminated multiline comment', pos)
}

function quotedIdent(buf: Cursor, pos: number): string {
  let s = ''
  for (;;) {
    const close = buf.src.indexOf('"', buf.pos)
    const nul = buf.src.indexOf('\0', buf.pos)
    if (nul >= 0 && (close < 0 || nul < close)) throw new SqlLexError('null character in quoted identifier', pos)
    if (close < 0) throw new SqlLexError('unterminated quoted identifier', pos)
    s += buf.src.slice(buf.pos, close)
    buf.pos = close + 1
    if (!buf.consume('"')) return s
    s += '"'
  }
}

/** Whitespace containing a newline, then `'`: the next literal continues this one (SQL standard). */
function adjacentString(buf: Cursor): boolean {
  const ws = buf.takeWhile(isSpace)
  return (ws.includes('\n') || ws.includes('\r')) && buf.consume("'")
}

function quotedString(buf: Cursor): string {
  let s = ''
  for (;;) {
    const pos = buf.pos - 1
    for (;;) {
      const close = buf.src.indexOf("'", buf.pos)
      if (close < 0) throw new SqlLexError('unterminated quoted string', pos)
      s += buf.src.slice(buf.pos, close)
      buf.pos = close + 1
      if (!buf.consume("'")) break
      s += "'"
    }
    if (!adjacentString(buf)) return s
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }

function extendedString(buf: Cursor): string {
  let s = ''
  for (;;) {
    const pos = buf.pos - 1
    for (;;) {
      const c = buf.next()
      if (c === undefined) throw new SqlLexError('unterminated quoted string', pos)
      if (c === "'") {
        if (!buf.consume("'")) break
        s += "'"
      } else if (c === '\\') {
        const e = buf.next()
        if (e === undefined) throw new SqlLexError('unterminated quoted string', pos)
        const escapePos = buf.pos - 2
        if (e in SIMPLE_ESCAPES) s += SIMPLE_ESCAPES[e]
        else if (e === 'u' || e === 'U') s += unicodeEscape(buf, e === 'u' ? 4 : 8, escapePos)
        else if (e >= '0' && e <= '7') {
          buf.takeWhile((d) => d >= '0' && d <= '7')
          throw new SqlLexError('octal escapes are not supported', escapePos)
        } else if (e === 'x') {
          buf.takeWhile((d) => /^[0-9A-Fa-f]$/.test(d))
          throw new SqlLexError('hexadecimal escapes are not supported', escapePos)
        } else s += e
      } else s += c
    }
    if (!adjacentString(buf)) return s
  }
}

function unicodeEscape(buf: Cursor, n: number, pos: number): string {
  const digits = buf.src.slice(buf.pos, buf.pos + n)
  const valid = digits.length === n && /^[0-9A-Fa-f]+$/.test(digits)
  const cp = valid ? Number.parseInt(digits, 16) : -1
  // Rust's `char::try_from` refuses surrogates and anything past U+10FFFF.
  if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new SqlLexError('invalid unicode escape', pos)
  if (cp === 0) throw new SqlLexError('null character in string literal', pos)
  buf.pos += n
  return String.fromCodePoint(cp)
}

function dollarString(buf: Cursor, pos: number): string {
  const tag = `$${buf.takeWhile((c) => c !== '$')}$`
  buf.next()
  const end = buf.src.indexOf(tag, buf.pos)
  if (end < 0) throw new SqlLexError('unterminated dollar-quoted string', pos)
  const s = buf.src.slice(buf.pos, end)
  buf.pos = end + tag.length
  return s
}

/** `$n`: Materialize parses `n` as a `usize`; one that overflows it is refused. */
function parameter(buf: Cursor, pos: number): string {
  const digits = buf.takeWhile(isDigit)
  if (BigInt(digits) > 2n ** 64n - 1n) throw new SqlLexError('invalid parameter number', pos)
  return digits.replace(/^0+(?=\d)/, '')
}

function number(buf: Cursor): string {
  let s = buf.takeWhile(isDigit)
  if (buf.consume('.')) s += `.${buf.takeWhile(isDigit)}`
  if (buf.consume('e') || buf.consume('E')) {
    let required = false
    let sign = ''
    if (buf.consume('-')) {
      sign = '-'
      required = true
    } else required = buf.consume('+')
    const exp = buf.takeWhile(isDigit)
    if (required && exp === '') throw new SqlLexError('missing required exponent', buf.pos - 1)
    // No digits after a bare `e`: the `e` is not part of the number (it starts the next word).
    if (exp === '') buf.prev()
    else s += `E${sign}${exp}`
  }
  return s
}

/**
 * An operator: a run of operator characters. `--` and `/*` start comments even where an operator
 * could continue, and end the operator (`1+/*c*\/=2` is `1`, `+`, `=`, `2`). A multi-character
 * operator ending in `+` or `-` gives those back unless it contains a non-standard operator
 * character (so `1+-2` is `1 + -2`, but `@+` stays one operator).
 */
function operator(buf: Cursor): string {
  let s = ''
  for (let c = buf.next(); c !== undefined; c = buf.next()) {
    const comment = (c === '-' && buf.peek() === '-') || (c === '/' && buf.peek() === '*')
    if (comment || !OP_CHARS.has(c)) {
      buf.prev()
      break
    }
    s += c
  }
  if (s.length > 1 && /[+-]$/.test(s) && ![...s].some((c) => NONSTANDARD_OP_CHARS.has(c))) {
    while (s.length > 1 && /[+-]$/.test(s)) {
      buf.prev()
      s = s.slice(0, -1)
    }
  }
  return s
}
