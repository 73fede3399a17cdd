/**
 * `upgradeCheck` reads the large collections as a stream of updates instead of their
 * consolidated snapshot: a row that would not decode at version 47 is reported exactly when it is
 * current (its diffs sum above zero, in whatever order they come), in stored-text order, as the
 * snapshot reported it; and progress counts every row it goes through, up to the total it gave.
 */

import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { openUnopenedCatalog, upgradeCheck } from '../../src/catalog/index.js'
import { fileLines, importFixture } from '../../src/catalog/fixture/index.js'
import { makeTempDir } from '../helpers/tmp.js'
import { DEMO_ORG, openTestStore, rawAppend } from '../repair/corpus.js'

const DEMO_V42 = join(process.cwd(), 'fixtures', 'demo-v42.ndjson')

/** An audit event that misses every field but its id: it does not decode at version 47. */
const broken = (id: number): string => `{"key":{"event":{"V1":{"id":${id}}}},"kind":"AuditLog"}`
const error = (id: number): string =>
  `audit_log: row does not decode at catalog version 47: key.event.V1.event_type: missing required field (expected a EventType value (1..5)): ${broken(id)}`

test('upgrade-check reports the current undecodable rows of the large collections, streamed, with progress', async () => {
  const dir = makeTempDir('upgrade-check-stream-')
  try {
    const location = dir.path('c.db')
    const store = await openTestStore(location)
    try {
      await importFixture(store, DEMO_ORG, fileLines(DEMO_V42))
      // 901 current; 902 inserted then retracted; 903 retracted before it is inserted twice (net 1);
      // 9000 current, and its text sorts before 901's ('0' < '}').
      await rawAppend(store, [
        { data: broken(901), diff: 1n },
        { data: broken(902), diff: 1n },
        { data: broken(903), diff: -1n },
      ])
      await rawAppend(store, [
        { data: broken(902), diff: -1n },
        { data: broken(903), diff: 2n },
        { data: broken(9000), diff: 1n },
      ])
      const seen: [number, number][] = []
      const report = await upgradeCheck(await openUnopenedCatalog(store, DEMO_ORG), { progress: (done, total) => seen.push([done, total]) })
      assert.deepEqual(report.errors, [error(9000), error(901), error(903)])
      assert.ok(seen.length > 0)
      const [done, total] = seen[seen.length - 1] as [number, number]
      assert.equal(done, total)
      assert.ok(seen.every(([d, t], i) => t === total && d <= t && (i === 0 || d >= (seen[i - 1] as [number, number])[0])))
    } finally {
      await store.close()
    }
  } finally {
    dir.cleanup()
  }
})
