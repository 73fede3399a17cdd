/**
 * One `create_sql` text as Materialize reads it when it opens the catalog: lexed, exactly one
 * statement, brackets balanced, a CREATE statement whose head parses, and the references it
 * makes by id — `[u1 AS "db"."schema"."t"]` to items, `[u1]` to clusters — which is how every
 * stored statement names what it depends on (`src/sql-parser/src/ast/defs/name.rs`,
 * `RawItemName::Id`).
 */

import { lex, type Token } from './lexer.js'
import { isKeyword } from './keywords.js'
import { parseStatementHead, type StatementHead } from './statement-head.js'
import { checkStatementTail } from './statement-tail.js'
import { describeToken, SqlParseError, TokenStream } from './token-stream.js'

/** What the words before a reference say it must be: `CONNECTION [..]`, `SECRET [..]`. */
export type ReferenceContext = 'connection' | 'secret' | null

export interface ItemReference {
  readonly id: string
  /** The name the statement gives the item (1–3 parts). */
  readonly name: readonly string[]
  readonly pos: number
  readonly context: ReferenceContext
}

export interface ClusterReference {
  readonly id: string
  readonly pos: number
}

/** The statement lexes and parses, but it is not a CREATE statement. */
export class NotCreateStatementError extends SqlParseError {}

export interface ParsedStatement {
  readonly head: StatementHead
  readonly items: readonly ItemReference[]
  readonly clusters: readonly ClusterReference[]
}

const CLOSER = { lparen: 'rparen', lbracket: 'rbracket' } as const
const CLOSER_NAME = { rparen: 'right parenthesis', rbracket: 'right square bracket' } as const

/**
 * The tokens of the one statement in `tokens`: a trailing `;` is allowed, a second statement is
 * not (Materialize takes exactly one statement from each `create_sql`).
 */
function singleStatement(tokens: readonly Token[], end: number): readonly Token[] {
  if (tokens.length === 0) throw new SqlParseError('empty statement: create_sql holds no SQL', 0)
  const stack: ('rparen' | 'rbracket')[] = []
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token
    if (t.kind === 'lparen' || t.kind === 'lbracket') stack.push(CLOSER[t.kind])
    else if (t.kind === 'rparen' || t.kind === 'rbracket') {
      const want = stack.pop()
      if (want !== t.kind) {
        throw new SqlParseError(`Expected ${want === undefined ? 'end of statement' : CLOSER_NAME[want]}, found ${describeToken(t)}`, t.pos)
      }
    } else if (t.kind === 'semicolon' && stack.length === 0) {
      const rest = tokens.slice(i + 1).filter((r) => r.kind !== 'semicolon')
      if (rest.length > 0) {
        throw new SqlParseError('create_sql holds more than one statement; Materialize reads exactly one', (rest[0] as Token).pos)
      }
      // The head parser sees the `;` as Materialize's parser does ("…, found semicolon").
      return tokens.slice(0, i + 1)
    }
  }
  const open = stack.pop()
  if (open !== undefined) throw new SqlParseError(`Expected ${CLOSER_NAME[open]}, found EOF`, end)
  return tokens
}

function contextOf(before: Token | undefined): ReferenceContext {
  if (isKeyword(before, 'CONNECTION') || isKeyword(before, 'TUNNEL')) return 'connection'
  if (isKeyword(before, 'SECRET')) return 'secret'
  return null
}

/**
 * Every `[id AS name]` and bare `[id]` in the statement. Square brackets also open array
 * subscripts and constructors (`a[1]`, `ARRAY[…]`), which never hold `word AS`, nor a bare word
 * right after `IN CLUSTER`.
 */
function references(tokens: readonly Token[], end: number): { items: ItemReference[]; clusters: ClusterReference[] } {
  const items: ItemReference[] = []
  const clusters: ClusterReference[] = []
  const p = new TokenStream(tokens, end)
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]?.kind !== 'lbracket') continue
    const id = tokens[i + 1]
    if (id?.kind !== 'word' && id?.kind !== 'number') continue
    if (isKeyword(tokens[i + 2], 'AS')) {
      p.index = i
      const raw = p.parseRawName()
      if (raw.resolved) items.push({ id: raw.id, name: raw.name, pos: raw.pos, context: contextOf(tokens[i - 1]) })
      i = p.index - 1
    } else if (tokens[i + 2]?.kind === 'rbracket' && isKeyword(tokens[i - 1], 'CLUSTER') && isKeyword(tokens[i - 2], 'IN')) {
      clusters.push({ id: id.text, pos: id.pos })
    }
  }
  return { items, clusters }
}

/**
 * Parses `sql` as a stored CREATE statement. Throws `SqlLexError`, {@link NotCreateStatementError} or
 * {@link SqlParseError}, each with the offset of the problem.
 */
export function parseCreateStatement(sql: string): ParsedStatement {
  const tokens = singleStatement(lex(sql), sql.length)
  if (!isKeyword(tokens[0], 'CREATE')) {
    throw new NotCreateStatementError(`not a CREATE statement: it starts with ${describeToken(tokens[0])}`, tokens[0]?.pos ?? 0)
  }
  const head = parseStatementHead(tokens, sql.length)
  checkStatementTail(tokens, sql.length, head)
  return { head, ...references(tokens, sql.length) }
}
