/**
 * The keywords the statement-head grammar consults (`src/sql-lexer/src/keywords.txt` has them
 * all). In Materialize a bare word is a keyword when it matches one case-insensitively and a
 * quoted identifier never is; the lexer here folds every bare word to lower case and keeps whether
 * it was quoted, so "is this token keyword K" is decided at the point of use by {@link isKeyword}.
 * Words not listed are still lexed exactly as Materialize lexes them: as identifiers.
 */

import type { Token } from './lexer.js'

export const HEAD_KEYWORDS = [
  'ARRANGEMENT',
  'AS',
  'AWS',
  'CATALOG',
  'CLUSTER',
  'CONFLUENT',
  'CONNECTION',
  'CONTINUAL',
  'CREATE',
  'DATABASE',
  'DEFAULT',
  'EXISTS',
  'FOR',
  'FROM',
  'ICEBERG',
  'IF',
  'IN',
  'INDEX',
  'INTO',
  'KAFKA',
  'LIST',
  'MAP',
  'MATERIALIZED',
  'MYSQL',
  'NETWORK',
  'NOT',
  'OF',
  'ON',
  'OR',
  'POLICY',
  'POSTGRES',
  'PRIVATELINK',
  'PROGRESS',
  'REGISTRY',
  'REPLACE',
  'REPLACING',
  'REPLICA',
  'ROLE',
  'SCHEMA',
  'SECRET',
  'SELECT',
  'SERVER',
  'SHOW',
  'SINK',
  'SOURCE',
  'SQL',
  'SSH',
  'SUBSOURCE',
  'TABLE',
  'TASK',
  'TEMP',
  'TEMPORARY',
  'TO',
  'TUNNEL',
  'TYPE',
  'USER',
  'USING',
  'VALUES',
  'VERSION',
  'VIEW',
  'WEBHOOK',
  'WITH',
] as const
export type Keyword = (typeof HEAD_KEYWORDS)[number]

/** Whether `t` is the keyword `kw`: a bare (unquoted) word with that text. */
export function isKeyword(t: Token | undefined, kw: Keyword): boolean {
  return t !== undefined && t.kind === 'word' && !t.quoted && t.text === kw.toLowerCase()
}
