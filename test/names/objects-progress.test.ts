/**
 * Reading the named objects (`describe`, `find`, `graph`) reports its progress: stored updates of
 * the object collections read, rising to the total the store's lookup index counts (issue 13).
 * What the progress module shows of it is test/cli/progress.test.ts's.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { readCatalogObjectsAt } from '../../src/catalog/names/index.js'
import { newMemoryStore, seedCatalog, TEST_ORG } from '../helpers/fixture-testing.js'

test('reading the objects reports the updates read, ending at the total of the object collections', async () => {
  const store = await newMemoryStore()
  await seedCatalog(store)
  const calls: [number, number][] = []
  const objects = await readCatalogObjectsAt(store, TEST_ORG, undefined, (done, total) => calls.push([done, total]))
  assert.ok(calls.length > 0)
  const total = (calls[0] as [number, number])[1]
  for (const [, t] of calls) assert.equal(t, total)
  for (let i = 1; i < calls.length; i++) assert.ok((calls[i] as [number, number])[0] > (calls[i - 1] as [number, number])[0])
  assert.deepEqual(calls.at(-1), [total, total])
  // The seeded catalog's object collections hold more than its roles and databases alone.
  const count = (o: typeof objects, kind: 'role' | 'database') => [...o.scan({ kind })].length
  assert.ok(total > count(objects, 'role') + count(objects, 'database'), `${total} updates`)
  // Reading with progress reads the same objects as without.
  const again = await readCatalogObjectsAt(store, TEST_ORG)
  assert.deepEqual([...again.scan({ all: true })], [...objects.scan({ all: true })])
  again.close()
  objects.close()
})
