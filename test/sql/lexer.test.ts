/**
 * The SQL lexer against the expectations of Materialize's own lexer tests: token offsets and
 * values from `src/sql-lexer/tests/testdata/{comments,strings}` and the lexing cases of
 * `src/sql-parser/tests/testdata/lexer` (which tests the lexer through the parser).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { lex, SqlLexError, type Token } from '../../src/catalog/sql/lexer.js'

const brief = (tokens: Token[]): string[] => tokens.map((t) => `${t.pos}:${t.kind}${t.text === '' ? '' : `(${t.text})`}`)

function lexError(sql: string): { message: string; pos: number } {
  try {
    lex(sql)
  } catch (err) {
    assert.ok(err instanceof SqlLexError, String(err))
    return { message: err.message, pos: err.pos }
  }
  assert.fail(`expected ${JSON.stringify(sql)} not to lex`)
}

describe('lexer: comments (src/sql-lexer/tests/testdata/comments)', () => {
  it('line comments are skipped wherever they are', () => {
    assert.deepEqual(brief(lex('--1\nselect 2\n--3\n-- 4')), ['4:word(select)', '11:number(2)'])
  })
  it('a comment ends an operator', () => {
    assert.deepEqual(brief(lex('select 1+/*!*/=2')), ['0:word(select)', '7:number(1)', '8:op(+)', '14:eq(=)', '15:number(2)'])
  })
  it('block comments nest', () => {
    assert.deepEqual(brief(lex('select 1/*\n/*\n,2\n*/\n,3\n*/,4')), ['0:word(select)', '7:number(1)', '25:comma', '26:number(4)'])
  })
  it('an unterminated block comment is refused where it starts (src/sql-parser/tests/testdata/lexer)', () => {
    assert.deepEqual(lexError('SELECT /* blah blah blah'), { message: 'unterminated multiline comment', pos: 7 })
    assert.deepEqual(lexError('SELECT @@/*'), { message: 'unterminated multiline comment', pos: 9 })
  })
})

describe('lexer: strings (src/sql-lexer/tests/testdata/strings, src/sql-parser/tests/testdata/lexer)', () => {
  it('E strings decode escapes', () => {
    assert.deepEqual(brief(lex("SELECT E'A'")), ['0:word(select)', '7:string(A)'])
    assert.equal(lex("e'a\\z\\8\\b\\n\\f\\r\\t\\u2713\\U0001F47B'")[0]?.text, 'az8\b\n\f\r\t✓👻')
  })
  it('an escaped NUL is refused', () => {
    assert.equal(lexError("SELECT E'\\u0000'").message, 'null character in string literal')
    assert.equal(lexError("SELECT E'\\U00000000'").message, 'null character in string literal')
  })
  it('octal and hexadecimal escapes are refused at the backslash', () => {
    assert.deepEqual(lexError("e'\\018'"), { message: 'octal escapes are not supported', pos: 2 })
    assert.deepEqual(lexError("e'\\x1fg'"), { message: 'hexadecimal escapes are not supported', pos: 2 })
  })
  it('adjacent literals join only across a newline', () => {
    assert.deepEqual(brief(lex("SELECT 'foo'\n\n'bar'\n\n\n\n'baz'")), ['0:word(select)', '7:string(foobarbaz)'])
    assert.deepEqual(brief(lex("SELECT 'foo'  'bar'")), ['0:word(select)', '7:string(foo)', '14:string(bar)'])
    assert.deepEqual(brief(lex("SELECT e'foo'\ne'bar'")), ['0:word(select)', '7:string(foo)', '14:string(bar)'])
    assert.equal(lex("SELECT e'\\u2713'\n'\\u2713'")[1]?.text, '✓✓')
  })
  it('dollar-quoted strings need their exact closing tag', () => {
    assert.deepEqual(lexError('SELECT $$POST'), { message: 'unterminated dollar-quoted string', pos: 7 })
    assert.deepEqual(lexError('SELECT $EOF$PostgreSQL$$eof$$'), { message: 'unterminated dollar-quoted string', pos: 7 })
  })
})

describe('lexer: numbers, identifiers (src/sql-parser/tests/testdata/lexer)', () => {
  it('normalises the exponent marker and drops a + sign', () => {
    const numbers = ['10', '10E10', '10E-10', '10e-10', '10e+10', '1.1e10'].map((s) => lex(s)[0]?.text)
    assert.deepEqual(numbers, ['10', '10E10', '10E-10', '10E-10', '10E10', '1.1E10'])
  })
  it('lexes 1e10.1 as two numbers', () => {
    assert.deepEqual(brief(lex('1e10.1')), ['0:number(1E10)', '4:number(.1)'])
  })
  it('non-ASCII characters start and continue identifiers', () => {
    assert.deepEqual(brief(lex('’hello’')), ['0:word(’hello’)'])
    assert.deepEqual(
      lex('SELECT "😁" AS "😨😨"').map((t) => [t.text, t.quoted]),
      [
        ['select', false],
        ['😁', true],
        ['as', false],
        ['😨😨', true],
      ],
    )
  })
  it('folds bare words to lower case and keeps quoted ones', () => {
    assert.deepEqual(
      lex('CREATE "View" Foo').map((t) => [t.text, t.quoted]),
      [
        ['create', false],
        ['View', true],
        ['foo', false],
      ],
    )
  })
})

describe('lexer: refusals', () => {
  it('refuses what Materialize refuses', () => {
    assert.equal(lexError("SELECT 'abc").message, 'unterminated quoted string')
    assert.equal(lexError('SELECT "abc').message, 'unterminated quoted identifier')
    assert.equal(lexError('SELECT "a\0b"').message, 'null character in quoted identifier')
    assert.equal(lexError('SELECT 1e-').message, 'missing required exponent')
    assert.equal(lexError('SELECT {').message, 'unexpected character in input: {')
    assert.equal(lexError('SELECT $99999999999999999999999').message, 'invalid parameter number')
  })
  it('keeps 1+-2 as three tokens but @+ as one operator', () => {
    assert.deepEqual(brief(lex('1+-2')), ['0:number(1)', '1:op(+)', '2:op(-)', '3:number(2)'])
    assert.deepEqual(brief(lex('1@+2')), ['0:number(1)', '1:op(@+)', '3:number(2)'])
    assert.deepEqual(brief(lex('a != b')), ['0:word(a)', '2:op(<>)', '5:word(b)'])
  })
})
