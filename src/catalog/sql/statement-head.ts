/**
 * The head of Materialize's CREATE statements (`src/sql-parser/src/parser.rs`, `parse_create`
 * and the `parse_create_*` functions it dispatches to): which statement it is, its modifiers
 * (`OR REPLACE`, `TEMPORARY`, `IF NOT EXISTS`), the name it creates, its cluster, and the object
 * an index is `ON` or a sink is `FROM`. Parsing stops where the head ends (the column list, the
 * query, the options); the rest of the statement is checked by `statement.ts` only for what every
 * statement must satisfy (balanced brackets, one statement).
 */

import type { Token } from './lexer.js'
import { SqlParseError, TokenStream, type RawName } from './token-stream.js'

/** Every statement `CREATE` starts in Materialize, by the name of its `StatementKind`. */
export const CREATE_KINDS = [
  'CreateDatabase',
  'CreateSchema',
  'CreateRole',
  'CreateCluster',
  'CreateClusterReplica',
  'CreateNetworkPolicy',
  'CreateSink',
  'CreateType',
  'CreateIndex',
  'CreateSource',
  'CreateWebhookSource',
  'CreateSubsource',
  'CreateTable',
  'CreateTableFromSource',
  'CreateSecret',
  'CreateConnection',
  'CreateMaterializedView',
  'CreateContinualTask',
  'CreateView',
] as const
export type CreateKind = (typeof CREATE_KINDS)[number]

/**
 * The catalog item type (`CatalogItemType`) each statement creates, for the statements that
 * create an item. Subsources and webhook sources are sources; tables fed by a source are tables.
 * Continual tasks are items only after catalog version 47, so a v47 catalog cannot hold one.
 */
export const ITEM_TYPE_OF: Partial<Record<CreateKind, ItemTypeName>> = {
  CreateSink: 'Sink',
  CreateType: 'Type',
  CreateIndex: 'Index',
  CreateSource: 'Source',
  CreateWebhookSource: 'Source',
  CreateSubsource: 'Source',
  CreateTable: 'Table',
  CreateTableFromSource: 'Table',
  CreateSecret: 'Secret',
  CreateConnection: 'Connection',
  CreateMaterializedView: 'MaterializedView',
  CreateView: 'View',
}
export type ItemTypeName = 'Table' | 'Source' | 'Sink' | 'View' | 'MaterializedView' | 'Index' | 'Type' | 'Func' | 'Secret' | 'Connection'

export interface StatementHead {
  readonly kind: CreateKind
  readonly orReplace: boolean
  readonly temporary: boolean
  readonly ifNotExists: boolean
  /** The name created, as written (1–3 parts); null for a nameless index or sink. */
  readonly name: readonly string[] | null
  readonly nameOffset: number
  /** `IN CLUSTER …`: by id (`[u1]`, as stored) or by name. */
  readonly inCluster: { readonly id: string | null; readonly name: string | null; readonly pos: number } | null
  /** What an index is `ON`, a sink `FROM`, a table `FROM SOURCE`, a subsource `OF SOURCE`. */
  readonly target: RawName | null
  /** Index of the first token after the head (where `statement-tail.ts` continues). */
  readonly headEnd: number
}

interface Head {
  kind: CreateKind
  orReplace: boolean
  temporary: boolean
  ifNotExists: boolean
  name: readonly string[] | null
  nameOffset: number
  inCluster: StatementHead['inCluster']
  target: RawName | null
}

/**
 * Parses the head of a CREATE statement from `tokens` (all of the statement's tokens). Throws
 * {@link SqlParseError} with Materialize's message where its parser would fail in the head.
 */
export function parseStatementHead(tokens: readonly Token[], end: number): StatementHead {
  const p = new TokenStream(tokens, end)
  const head = parseHead(p)
  return { ...head, headEnd: p.index }
}

function parseHead(p: TokenStream): Head {
  if (!p.parseKeyword('CREATE')) p.expected('CREATE')
  const h: Head = {
    kind: 'CreateView',
    orReplace: false,
    temporary: false,
    ifNotExists: false,
    name: null,
    nameOffset: p.pos(),
    inCluster: null,
    target: null,
  }
  const name = (): void => {
    h.nameOffset = p.pos()
    h.name = p.parseItemName()
  }
  const simple = (kind: CreateKind): Head => ({ ...h, kind })

  if (p.peekKeyword('DATABASE')) return simple('CreateDatabase')
  if (p.peekKeyword('SCHEMA')) return simple('CreateSchema')
  if (p.parseKeyword('SINK')) return sink(p, h, name)
  if (p.parseKeyword('TYPE')) {
    h.kind = 'CreateType'
    name()
    p.expectKeyword('AS')
    // `AS LIST (…)`, `AS MAP (…)` or a record `AS (…)`.
    p.parseOneOf('LIST', 'MAP')
    if (p.peek()?.kind !== 'lparen') p.expected('left parenthesis')
    return h
  }
  if (p.peekKeyword('ROLE')) return simple('CreateRole')
  if (p.parseKeyword('CLUSTER')) return simple(p.peekKeyword('REPLICA') ? 'CreateClusterReplica' : 'CreateCluster')
  if (p.peekKeyword('INDEX') || p.peekKeywords('DEFAULT', 'INDEX')) return index(p, h)
  if (p.parseKeyword('SOURCE')) {
    h.kind = 'CreateSource'
    h.ifNotExists = p.parseIfNotExists()
    name()
    if (p.peek()?.kind === 'lparen') p.skipParenthesized()
    h.inCluster = p.parseOptionalInCluster()
    p.expectKeyword('FROM')
    if (p.parseKeyword('WEBHOOK')) h.kind = 'CreateWebhookSource'
    return h
  }
  if (p.parseKeyword('SUBSOURCE')) {
    h.kind = 'CreateSubsource'
    h.ifNotExists = p.parseIfNotExists()
    name()
    if (p.peek()?.kind !== 'lparen') p.expected('a list of columns in parentheses')
    p.skipParenthesized()
    if (p.parseKeyword('OF')) {
      p.expectKeyword('SOURCE')
      h.target = p.parseRawName()
    }
    return h
  }
  if (p.peekKeyword('TABLE') || p.peekKeywords('TEMP', 'TABLE') || p.peekKeywords('TEMPORARY', 'TABLE')) return table(p, h, name)
  if (p.parseKeyword('SECRET')) {
    h.kind = 'CreateSecret'
    h.ifNotExists = p.parseIfNotExists()
    name()
    p.expectKeyword('AS')
    return h
  }
  if (p.parseKeyword('CONNECTION')) return connection(p, h, name)
  if (p.peekKeywords('MATERIALIZED', 'VIEW') || p.peekKeywords('OR', 'REPLACE', 'MATERIALIZED', 'VIEW')) {
    h.kind = 'CreateMaterializedView'
    h.orReplace = p.parseKeywords('OR', 'REPLACE')
    p.expectKeyword('MATERIALIZED')
    p.expectKeyword('VIEW')
    if (!h.orReplace) h.ifNotExists = p.parseIfNotExists()
    name()
    if (p.peek()?.kind === 'lparen') p.skipParenthesized()
    if (p.parseKeyword('REPLACING')) h.target = p.parseRawName()
    h.inCluster = p.parseOptionalInCluster()
    if (p.parseKeyword('WITH')) p.skipParenthesized()
    p.expectKeyword('AS')
    return h
  }
  if (p.parseKeywords('CONTINUAL', 'TASK')) {
    h.kind = 'CreateContinualTask'
    name()
    return h
  }
  if (p.peekKeyword('USER')) {
    throw new SqlParseError(
      'CREATE USER is not supported, for more information consult the documentation at https://materialize.com/docs/sql/create-role/#details',
      p.pos(),
    )
  }
  if (p.peekKeywords('NETWORK', 'POLICY')) return simple('CreateNetworkPolicy')
  return view(p, h, name)
}

function sink(p: TokenStream, h: Head, name: () => void): Head {
  h.kind = 'CreateSink'
  h.ifNotExists = p.parseIfNotExists()
  const before = p.index
  name()
  // `CREATE SINK IN CLUSTER …` and `CREATE SINK FROM …` are nameless sinks: `in` and `from` are
  // not reserved as sink names, so Materialize sniffs them out after parsing them as one.
  const [only] = h.name ?? []
  if (h.name?.length === 1 && ((only === 'in' && p.peekKeyword('CLUSTER')) || (only === 'from' && !p.peekKeyword('FROM')))) {
    h.name = null
    p.index = before
  }
  h.inCluster = p.parseOptionalInCluster()
  p.expectKeyword('FROM')
  h.target = p.parseRawName()
  p.expectKeyword('INTO')
  return h
}

function index(p: TokenStream, h: Head): Head {
  h.kind = 'CreateIndex'
  const defaultIndex = p.parseKeyword('DEFAULT')
  p.expectKeyword('INDEX')
  h.ifNotExists = p.parseIfNotExists()
  h.nameOffset = p.pos()
  if (p.peekKeyword('IN') || p.peekKeyword('ON')) {
    if (h.ifNotExists && !defaultIndex) p.expected('index name')
  } else {
    h.name = [p.parseIdentifier()]
  }
  h.inCluster = p.parseOptionalInCluster()
  p.expectKeyword('ON')
  h.target = p.parseRawName()
  if (p.parseKeyword('USING')) p.expectKeyword('ARRANGEMENT')
  if (!defaultIndex) p.skipParenthesized()
  return h
}

function table(p: TokenStream, h: Head, name: () => void): Head {
  // Materialize decides by looking ahead for `FROM SOURCE` / `FROM WEBHOOK`; such a table takes
  // no TEMPORARY, names its columns optionally and then its source.
  let fromSource = false
  for (let i = 0; p.peek(i) !== undefined; i++) {
    if (p.peekKeyword('FROM', i) && (p.peekKeyword('SOURCE', i + 1) || p.peekKeyword('WEBHOOK', i + 1))) fromSource = true
  }
  if (fromSource) {
    h.kind = 'CreateTableFromSource'
    p.expectKeyword('TABLE')
    h.ifNotExists = p.parseIfNotExists()
    name()
    if (p.parseKeywords('FROM', 'WEBHOOK')) return h
    if (p.peek()?.kind === 'lparen') p.skipParenthesized()
    p.expectKeyword('FROM')
    p.expectKeyword('SOURCE')
    h.target = p.parseRawName()
    return h
  }
  h.kind = 'CreateTable'
  h.temporary = p.parseOneOf('TEMPORARY', 'TEMP') !== undefined
  p.expectKeyword('TABLE')
  h.ifNotExists = p.parseIfNotExists()
  name()
  if (p.peek()?.kind !== 'lparen') p.expected('a list of columns in parentheses')
  p.skipParenthesized()
  return h
}

const CONNECTION_TYPES = ['AWS', 'KAFKA', 'CONFLUENT', 'POSTGRES', 'SSH', 'SQL', 'MYSQL', 'ICEBERG'] as const

function connection(p: TokenStream, h: Head, name: () => void): Head {
  h.kind = 'CreateConnection'
  h.ifNotExists = p.parseIfNotExists()
  name()
  const paren = p.expectOneOf('FOR', 'TO') === 'TO'
  const type = p.expectOneOf(...CONNECTION_TYPES)
  if (type === 'AWS') p.parseKeyword('PRIVATELINK')
  else if (type === 'CONFLUENT') p.parseKeywords('SCHEMA', 'REGISTRY') || p.expected('SCHEMA')
  else if (type === 'SSH') p.expectKeyword('TUNNEL')
  else if (type === 'SQL') p.expectKeyword('SERVER')
  else if (type === 'ICEBERG') p.expectKeyword('CATALOG')
  if (paren && p.peek()?.kind !== 'lparen') p.expected('left parenthesis')
  return h
}

function view(p: TokenStream, h: Head, name: () => void): Head {
  const start = p.index
  const orReplace = p.parseKeywords('OR', 'REPLACE')
  const temporary = p.parseOneOf('TEMP', 'TEMPORARY') !== undefined
  if (!p.parseKeyword('VIEW')) {
    const expected =
      orReplace && temporary
        ? 'VIEW after CREATE OR REPLACE TEMPORARY'
        : orReplace
          ? '[TEMPORARY] VIEW, or MATERIALIZED VIEW after CREATE OR REPLACE'
          : temporary
            ? 'TABLE, or VIEW after CREATE TEMPORARY'
            : 'DATABASE, SCHEMA, ROLE, TYPE, INDEX, SINK, SOURCE, [TEMPORARY] TABLE, SECRET, [OR REPLACE] [TEMPORARY] VIEW, or [OR REPLACE] MATERIALIZED VIEW after CREATE'
    p.expected(expected)
  }
  p.index = start
  h.kind = 'CreateView'
  h.orReplace = p.parseKeywords('OR', 'REPLACE')
  h.temporary = p.parseOneOf('TEMPORARY', 'TEMP') !== undefined
  p.expectKeyword('VIEW')
  if (!h.orReplace) h.ifNotExists = p.parseIfNotExists()
  name()
  if (p.peek()?.kind === 'lparen') p.skipParenthesized()
  p.expectKeyword('AS')
  return h
}
