import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Chalk } from 'chalk'
import { renderValueDiff } from '../src/render/value-diff.js'

const plain = new Chalk({ level: 0 })
const coloured = new Chalk({ level: 1 })

test('a changed field shows old => new with exact integers', () => {
  const diff = renderValueDiff({ value: 9007199254740993n, name: 'a' }, { value: 9007199254740994n, name: 'a' }, plain)
  assert.equal(diff, '{\n   value: 9007199254740993 => 9007199254740994\n }')
})

test('equal values have no diff; integer and float differ', () => {
  assert.equal(renderValueDiff({ v: 1n }, { v: 1n }, plain), undefined)
  assert.notEqual(renderValueDiff({ v: 1n }, { v: 1.5 }, plain), undefined)
})

test('added and removed values', () => {
  assert.equal(renderValueDiff(undefined, { value: 2n }, plain), '+ {\n+   "value": 2\n+ }')
  assert.equal(renderValueDiff({ value: 2n }, undefined, plain), '- {\n-   "value": 2\n- }')
})

test('colour only when the chalk instance has it', () => {
  const c = renderValueDiff({ value: 1n }, { value: 2n }, coloured) ?? ''
  assert.match(c, /\x1b\[31m1\x1b\[39m => \x1b\[32m2\x1b\[39m/)
  assert.doesNotMatch(renderValueDiff({ value: 1n }, { value: 2n }, plain) ?? '', /\x1b/)
})
