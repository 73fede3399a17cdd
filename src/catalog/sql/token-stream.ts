/**
 * A cursor over lexed tokens with the primitives Materialize's parser is built from
 * (`src/sql-parser/src/parser.rs`: `parse_keyword(s)`, `expect_keyword`, `parse_identifier`,
 * `parse_item_name`, `parse_raw_name`, `parse_if_not_exists`) and its "Expected …, found …" errors.
 */

import { HEAD_KEYWORDS, isKeyword, type Keyword } from './keywords.js'
import type { Token, TokenKind } from './lexer.js'

/** A parse failure: Materialize's message and the offset it points at. */
export class SqlParseError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message)
    this.name = 'SqlParseError'
  }
}

/**
 * A reference to an item as the statement writes it: resolved (`[u1 AS "db"."schema"."t"]`, as
 * every stored `create_sql` writes references) or by name (`"db"."schema"."t"`).
 */
export type RawName =
  | {
      readonly resolved: true
      readonly id: string
      readonly name: readonly string[]
      readonly version: string | null
      readonly pos: number
    }
  | { readonly resolved: false; readonly name: readonly string[]; readonly pos: number }

const KEYWORD_SET: ReadonlySet<string> = new Set(HEAD_KEYWORDS.map((k) => k.toLowerCase()))

const TOKEN_NAMES: Record<Exclude<TokenKind, 'word' | 'string' | 'hex-string' | 'number' | 'parameter' | 'op'>, string> = {
  star: 'star',
  eq: 'equals sign',
  lparen: 'left parenthesis',
  rparen: 'right parenthesis',
  lbracket: 'left square bracket',
  rbracket: 'right square bracket',
  dot: 'dot',
  comma: 'comma',
  colon: 'colon',
  'double-colon': 'double colon',
  semicolon: 'semicolon',
}

/** A token as Materialize's messages name it (`identifier "t"`, `left parenthesis`, `EOF`). */
export function describeToken(t: Token | undefined): string {
  if (t === undefined) return 'EOF'
  switch (t.kind) {
    case 'word':
      return !t.quoted && KEYWORD_SET.has(t.text) ? t.text.toUpperCase() : `identifier ${JSON.stringify(t.text)}`
    case 'string':
      return `string literal ${JSON.stringify(t.text)}`
    case 'hex-string':
      return `hex string literal ${JSON.stringify(t.text)}`
    case 'number':
      return `number "${t.text}"`
    case 'parameter':
      return `parameter "$${t.text}"`
    case 'op':
      return `operator ${JSON.stringify(t.text)}`
    default:
      return TOKEN_NAMES[t.kind]
  }
}

export class TokenStream {
  index = 0
  constructor(
    readonly tokens: readonly Token[],
    /** Offset reported for errors at the end of input. */
    readonly end: number,
  ) {}

  peek(n = 0): Token | undefined {
    return this.tokens[this.index + n]
  }
  next(): Token | undefined {
    return this.tokens[this.index++]
  }
  pos(): number {
    return this.peek()?.pos ?? this.end
  }
  expected(what: string): never {
    throw new SqlParseError(`Expected ${what}, found ${describeToken(this.peek())}`, this.pos())
  }

  peekKeyword(kw: Keyword, n = 0): boolean {
    return isKeyword(this.peek(n), kw)
  }
  peekKeywords(...kws: Keyword[]): boolean {
    return kws.every((kw, i) => this.peekKeyword(kw, i))
  }
  parseKeyword(kw: Keyword): boolean {
    if (!this.peekKeyword(kw)) return false
    this.index++
    return true
  }
  /** All of `kws` in order, or nothing consumed. */
  parseKeywords(...kws: Keyword[]): boolean {
    if (!this.peekKeywords(...kws)) return false
    this.index += kws.length
    return true
  }
  parseOneOf(...kws: Keyword[]): Keyword | undefined {
    const kw = kws.find((k) => this.peekKeyword(k))
    if (kw !== undefined) this.index++
    return kw
  }
  expectKeyword(kw: Keyword): void {
    if (!this.parseKeyword(kw)) this.expected(kw)
  }
  expectOneOf(...kws: Keyword[]): Keyword {
    return this.parseOneOf(...kws) ?? this.expected(`one of ${kws.join(' or ')}`)
  }
  consume(kind: TokenKind): boolean {
    if (this.peek()?.kind !== kind) return false
    this.index++
    return true
  }
  expectToken(kind: Exclude<TokenKind, 'word' | 'string' | 'hex-string' | 'number' | 'parameter' | 'op'>): void {
    if (!this.consume(kind)) this.expected(TOKEN_NAMES[kind])
  }

  /** `IF NOT EXISTS`, or nothing; `IF` alone is an error. */
  parseIfNotExists(): boolean {
    if (!this.parseKeyword('IF')) return false
    this.expectKeyword('NOT')
    this.expectKeyword('EXISTS')
    return true
  }

  /** One identifier; any word (keywords included) serves, but not `""`. */
  parseIdentifier(): string {
    const t = this.peek()
    if (t?.kind !== 'word') return this.expected('identifier')
    this.index++
    if (t.text === '') throw new SqlParseError('zero-length delimited identifier', t.pos)
    return t.text
  }

  /** `a`, `a.b` or `a.b.c`: an item name has at most three parts. */
  parseItemName(): string[] {
    const start = this.pos()
    const parts = [this.parseIdentifier()]
    while (this.consume('dot')) parts.push(this.parseIdentifier())
    if (parts.length > 3) throw new SqlParseError(`qualified name can have at most three components: ${parts.join('.')}`, start)
    return parts
  }

  /** A resolved `[id AS name (VERSION n)?]` reference or an item name. */
  parseRawName(): RawName {
    const pos = this.pos()
    if (!this.consume('lbracket')) return { resolved: false, name: this.parseItemName(), pos }
    const id = this.parseIdText()
    this.expectKeyword('AS')
    const namePos = this.pos()
    const name = this.parseItemName()
    if (name.length < 2) throw new SqlParseError('table name in square brackets must be fully qualified', namePos)
    let version: string | null = null
    if (this.parseKeyword('VERSION')) {
      const n = this.next()
      if (n?.kind !== 'number') {
        this.index--
        this.expected('version number')
      }
      version = n.text
    }
    this.expectToken('rbracket')
    return { resolved: true, id, name, version, pos }
  }

  /** The id inside brackets: an identifier (`u1`) or a number. */
  parseIdText(): string {
    const t = this.next()
    if (t?.kind === 'word' || t?.kind === 'number') return t.text
    throw new SqlParseError('expected id', t?.pos ?? this.end)
  }

  /** `IN CLUSTER name` or `IN CLUSTER [id]`: the cluster, or null without the clause. */
  parseOptionalInCluster(): { readonly id: string | null; readonly name: string | null; readonly pos: number } | null {
    if (!this.parseKeywords('IN', 'CLUSTER')) return null
    const pos = this.pos()
    if (this.consume('lbracket')) {
      const id = this.parseIdText()
      this.expectToken('rbracket')
      return { id, name: null, pos }
    }
    return { id: null, name: this.parseIdentifier(), pos }
  }

  /** A parenthesised group, skipped whole (its contents are not part of the statement head). */
  skipParenthesized(): void {
    this.expectToken('lparen')
    let depth = 1
    while (depth > 0) {
      const t = this.next()
      if (t === undefined) {
        this.index--
        this.expected('right parenthesis')
      }
      if (t.kind === 'lparen') depth++
      else if (t.kind === 'rparen') depth--
    }
  }
}
