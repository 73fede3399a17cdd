/**
 * Persist's data-version gate (`check_data_version`, PR #24861 vectors) and version ordering.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { IncompatibleVersionError, UsageError } from '../src/errors.js'
import { checkDataVersion, compareVersions, isDataVersionCompatible, maxVersion } from '../src/store/version-gate.js'

describe('checkDataVersion', () => {
  const ok: [string, string][] = [
    ['0.10.0', '0.11.1000000'],
    ['0.10.1', '0.11.0'],
    ['0.10.1', '0.11.1'],
    ['0.10.1', '0.11.100'],
    ['0.10.0', '0.10.0'],
    ['0.10.0', '0.1.0'],
    ['0.10.0', '0.11.18446744073709551615'],
    ['0.10.0', '0.11.0-dev'],
    ['0.91.0', '0.92.0-dev.0'],
    ['1.0.0', '0.99.0'],
  ]
  const refused: [string, string][] = [
    ['0.10.0', '0.12.0-dev'],
    ['0.10.0', '0.12.0'],
    ['0.10.0', '0.13.0-dev'],
    ['0.10.0', '1.0.0'],
    ['0.114.0', '0.116.0-dev.0'],
  ]
  for (const [code, data] of ok) {
    it(`${code} accepts ${data}`, () => {
      assert.equal(isDataVersionCompatible(code, data), true)
      checkDataVersion(code, data)
    })
  }
  for (const [code, data] of refused) {
    it(`${code} refuses ${data}`, () => {
      assert.equal(isDataVersionCompatible(code, data), false)
      assert.throws(
        () => checkDataVersion(code, data),
        (e: unknown) => {
          assert.ok(e instanceof IncompatibleVersionError)
          assert.equal(e.message, `${code} received persist state from the future ${data}`)
          return true
        },
      )
    })
  }
  it('a minor at u64::MAX saturates instead of overflowing', () => {
    assert.equal(isDataVersionCompatible('0.18446744073709551615.0', '0.18446744073709551615.5'), true)
    assert.equal(isDataVersionCompatible('0.18446744073709551615.0', '1.0.0'), false)
  })
  it('invalid versions are usage errors', () => {
    for (const v of ['', '1.2', '01.2.3', '1.2.3-', '1.2.3-01', 'v1.2.3', '0.18446744073709551616.0']) {
      assert.throws(() => checkDataVersion(v, '0.1.0'), UsageError, v)
    }
  })
})

describe('version order', () => {
  it('follows semver precedence with exact bigint parts', () => {
    const ordered = [
      '0.9.0',
      '0.10.0-alpha',
      '0.10.0-alpha.1',
      '0.10.0-alpha.beta',
      '0.10.0-beta',
      '0.10.0-beta.2',
      '0.10.0-beta.11',
      '0.10.0-rc.1',
      '0.10.0',
      '0.10.9007199254740993',
      '0.10.18446744073709551615',
      '0.11.0',
      '1.0.0',
    ]
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) {
        assert.equal(compareVersions(ordered[i]!, ordered[j]!), Math.sign(i - j), `${ordered[i]} vs ${ordered[j]}`)
      }
    }
    assert.equal(compareVersions('1.0.0+build.1', '1.0.0'), 0)
  })
  it('maxVersion keeps the later version (the stored one on a tie)', () => {
    assert.equal(maxVersion('0.92.0', '0.91.0'), '0.92.0')
    assert.equal(maxVersion('0.91.0', '0.92.0-dev'), '0.92.0-dev')
    assert.equal(maxVersion('0.92.0', '0.92.0-dev'), '0.92.0')
    assert.equal(maxVersion('1.0.0+a', '1.0.0+b'), '1.0.0+a')
  })
})
