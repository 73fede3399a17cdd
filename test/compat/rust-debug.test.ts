/**
 * The Rust `Debug` forms the compat mode prints, checked against what Rust prints for the same
 * values (`format!("{:?}")` / `format!("{:#?}")` of `str`, `Option`, structs, `Vec`,
 * `serde_json::Value`).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { compactDebug, leaf, list, option, prettyDebug, rustStr, struct, tuple } from '../../src/render/compat/rust-debug.js'
import { serdeValueDebug } from '../../src/render/compat/serde-value-debug.js'

test("str's Debug: quotes, the short escapes, \\u{…} for what is not printable", () => {
  assert.equal(rustStr('plain'), '"plain"')
  assert.equal(rustStr('a"b\\c'), '"a\\"b\\\\c"')
  assert.equal(rustStr("it's"), '"it\'s"', "' is not escaped in a string")
  assert.equal(rustStr('\n\t\r\0'), '"\\n\\t\\r\\0"')
  assert.equal(rustStr('\u001b[0m'), '"\\u{1b}[0m"')
  assert.equal(rustStr('\u007f\u200b'), '"\\u{7f}\\u{200b}"')
  assert.equal(rustStr('e\u0301'), '"e\\u{301}"', 'a combining mark')
  assert.equal(rustStr('Grüße 🦀'), '"Grüße 🦀"')
})

test('pretty and compact forms of structs, tuples, options and lists', () => {
  const v = struct('Key', [
    ['id', option(tuple('User', [leaf('1')]))],
    ['empty', struct('Empty', [])],
    ['items', list([])],
    ['none', option(null)],
  ])
  assert.equal(compactDebug(v), 'Key { id: Some(User(1)), empty: Empty, items: [], none: None }')
  assert.equal(
    prettyDebug(v),
    [
      'Key {',
      '    id: Some(',
      '        User(',
      '            1,',
      '        ),',
      '    ),',
      '    empty: Empty,',
      '    items: [],',
      '    none: None,',
      '}',
    ].join('\n'),
  )
  // Materialize's `Dumped` is `debug_struct("")`: a space before the brace.
  assert.equal(prettyDebug(struct('', [['diff', leaf('1')]])), ' {\n    diff: 1,\n}')
})

test("serde_json::Value's Debug", () => {
  assert.equal(serdeValueDebug(null), 'Null')
  assert.equal(serdeValueDebug({ value: 'initial' }), 'Object {"value": String("initial")}')
  assert.equal(
    serdeValueDebug({ name: 'x', owner_id: { value: { System: 1n } }, privileges: [], ok: true, gone: null }),
    'Object {"name": String("x"), "owner_id": Object {"value": Object {"System": Number(1)}}, "privileges": Array [], "ok": Bool(true), "gone": Null}',
  )
  assert.equal(serdeValueDebug({ v: { Public: {} } }), 'Object {"v": Object {"Public": Object {}}}')
  assert.equal(serdeValueDebug(18446744073709551615n), 'Number(18446744073709551615)')
})
