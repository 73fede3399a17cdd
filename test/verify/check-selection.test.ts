/** `verify --check NAME` runs only what the named checks need: no store integrity check otherwise. */

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { verifyStore } from '../../src/catalog/verify/index.js'
import { makeTempDir } from '../helpers/tmp.js'
import { DEMO_ORG, importDemo, openTestStore } from '../repair/corpus.js'

test('verify --check without store-integrity does not run the store integrity check (its findings would all be dropped)', async () => {
  const dir = makeTempDir('verify-checks-')
  const location = dir.path('c.db')
  try {
    await importDemo(location)
    const real = await openTestStore(location)
    let checks = 0
    // The real store, counting its integrity checks.
    const store = new Proxy(real, {
      get(target, name, receiver) {
        if (name === 'integrityCheck') {
          return () => {
            checks++
            return target.integrityCheck()
          }
        }
        const v = Reflect.get(target, name, receiver)
        return typeof v === 'function' ? v.bind(target) : v
      },
    })
    try {
      const some = await verifyStore(store, DEMO_ORG, { checks: ['unique-names', 'referential-integrity'] })
      assert.equal(checks, 0)
      assert.deepEqual(some.findings, [])
      await verifyStore(store, DEMO_ORG, { checks: ['store-integrity'] })
      await verifyStore(store, DEMO_ORG)
      assert.equal(checks, 2)
    } finally {
      await real.close()
    }
  } finally {
    dir.cleanup()
  }
})
