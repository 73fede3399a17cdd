import { test } from 'node:test'
import assert from 'node:assert/strict'
import { colorLevel } from '../src/cli/output.js'
import {
  EXIT_BUSY,
  EXIT_INTERNAL,
  EXIT_NOT_FOUND,
  EXIT_REFUSED,
  EXIT_UPGRADE_CHECK_FAILED,
  EXIT_USAGE,
  exitCodeFor,
} from '../src/cli/exit-codes.js'
import {
  FenceError,
  IncompatibleCatalogVersionError,
  NotFoundError,
  RefusedError,
  StoreBusyError,
  StoreCorruptError,
  UninitializedError,
  UpperMismatchError,
  UsageError,
  ValidationError,
} from '../src/errors.js'

test('colour rules', () => {
  assert.equal(colorLevel(true, { TERM: 'xterm' }, undefined), 1)
  assert.equal(colorLevel(true, { TERM: 'xterm-256color' }, undefined), 2)
  assert.equal(colorLevel(false, { TERM: 'xterm' }, undefined), 0, 'not a terminal')
  assert.equal(colorLevel(true, { NO_COLOR: '1' }, undefined), 0)
  assert.equal(colorLevel(true, { NO_COLOR: '' }, undefined), 1, 'empty NO_COLOR does not count')
  assert.equal(colorLevel(true, { TERM: 'dumb' }, undefined), 0)
  assert.equal(colorLevel(true, {}, false), 0, '--no-color')
  assert.equal(colorLevel(false, {}, true), 1, '--color forces')
  assert.equal(colorLevel(false, { FORCE_COLOR: '1' }, undefined), 1)
  assert.equal(colorLevel(true, { FORCE_COLOR: '0' }, undefined), 0)
})

test('exit codes follow the error category', () => {
  assert.equal(exitCodeFor(new StoreCorruptError('x')), 1)
  assert.equal(exitCodeFor(new UsageError('x')), EXIT_USAGE)
  assert.equal(exitCodeFor(new ValidationError('key', 'x')), EXIT_USAGE)
  assert.equal(exitCodeFor(new NotFoundError('x')), EXIT_NOT_FOUND)
  assert.equal(exitCodeFor(new UninitializedError()), EXIT_NOT_FOUND)
  assert.equal(exitCodeFor(new RefusedError('x')), EXIT_REFUSED)
  assert.equal(exitCodeFor(new StoreBusyError('x')), EXIT_BUSY)
  assert.equal(exitCodeFor(new UpperMismatchError('x')), EXIT_BUSY)
  assert.equal(exitCodeFor(new FenceError('x')), EXIT_BUSY)
  assert.equal(exitCodeFor(new IncompatibleCatalogVersionError('x')), EXIT_UPGRADE_CHECK_FAILED)
  assert.equal(exitCodeFor(new TypeError('x')), EXIT_INTERNAL)
  assert.equal(exitCodeFor('a string'), EXIT_INTERNAL)
})
