/**
 * What follows the head, for the statements whose remainder is short enough to check without a
 * full expression parser (`src/sql-parser/src/parser.rs`): an index, table, subsource or type
 * ends after its parenthesised part and an optional `WITH (…)`; a view's or materialized view's
 * query starts as a query does. Anything else after those is "Expected end of statement".
 * Sources, sinks, connections and secrets are not checked past their heads.
 */

import { isKeyword, type Keyword } from './keywords.js'
import type { Token } from './lexer.js'
import type { StatementHead } from './statement-head.js'
import { TokenStream } from './token-stream.js'

/** Throws `SqlParseError` where Materialize's parser would reject what follows `head`. */
export function checkStatementTail(tokens: readonly Token[], end: number, head: StatementHead): void {
  const p = new TokenStream(tokens, end)
  p.index = head.headEnd
  switch (head.kind) {
    case 'CreateIndex':
    case 'CreateTable':
    case 'CreateSubsource':
      if (p.parseKeyword('WITH')) p.skipParenthesized()
      expectEnd(p)
      break
    case 'CreateType':
      p.skipParenthesized()
      expectEnd(p)
      break
    case 'CreateView':
    case 'CreateMaterializedView':
      expectQuery(p)
      break
    default:
  }
}

function expectEnd(p: TokenStream): void {
  // `statement.ts` passes at most one trailing semicolon, and nothing after it.
  if (p.peek() !== undefined && p.peek()?.kind !== 'semicolon') p.expected('end of statement')
}

const QUERY_STARTS: readonly Keyword[] = ['SELECT', 'WITH', 'VALUES', 'TABLE', 'SHOW']

function expectQuery(p: TokenStream): void {
  const t = p.peek()
  if (t?.kind === 'lparen' || QUERY_STARTS.some((kw) => isKeyword(t, kw))) return
  p.expected('SELECT, VALUES, or a subquery in the query body')
}
