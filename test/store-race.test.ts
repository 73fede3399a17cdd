/**
 * Real processes racing compare-and-append on one SQLite file (reliability plan T-2): exactly one
 * winner per upper value, no gaps, every acknowledged append present.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, it } from 'node:test'
import { shardId } from '../src/store/shard-id.js'
import { openRawDatabase } from '../src/store/sqlite/raw-database.js'
import { SqliteShardStore } from '../src/store/sqlite/sqlite-shard-store.js'
import { childDone, forkHelper, killAllChildren } from './helpers/store-fixtures.js'
import { makeTempDir } from './helpers/tmp.js'

const WRITERS = 4
const PER_WRITER = Number(process.env.RACE_APPENDS_PER_WRITER ?? 100)

const tmp = makeTempDir()
after(async () => {
  await killAllChildren()
  tmp.cleanup()
})

interface Report {
  successes?: { upper: string; seqno: string }[]
  mismatches?: number
  badMismatches?: number
  error?: string
}

it(`${WRITERS} processes race compare-and-append: one winner per upper`, async (t) => {
  const path = tmp.path('race.db')
  const s = shardId(randomUUID(), 1)
  const setup = await SqliteShardStore.open(path, { create: true, buildVersion: '0.91.0' })
  await setup.openShard(s, { shardName: 'race' })
  await setup.close()

  const children = Array.from({ length: WRITERS }, (_, i) => forkHelper('child-race-writer.js', [path, s, `c${i}`, String(PER_WRITER)]))
  const reports = children.map(({ child }, i) => new Promise<Report>((resolve, reject) => {
    child.on('message', (m) => m !== 'ready' && resolve(m as Report))
    child.once('disconnect', () => reject(new Error(`writer ${i} went away without a report`)))
  }))
  reports.forEach((r) => r.catch(() => undefined))
  await Promise.all(children.map((c) => c.firstMessage))
  const start = Date.now()
  for (const { child } of children) child.send('go')
  const results = await Promise.all(reports)
  const elapsed = Date.now() - start
  await Promise.all(children.map(({ child }) => childDone(child)))
  for (const [i, r] of results.entries()) assert.equal(r.error, undefined, `writer ${i} failed: ${r.error}`)

  const wins = new Map<bigint, string>()
  let mismatches = 0
  for (const [i, r] of results.entries()) {
    assert.equal(r.successes!.length, PER_WRITER)
    assert.equal(r.badMismatches, 0, 'every mismatch reported a later upper')
    mismatches += r.mismatches!
    for (const [k, w] of r.successes!.entries()) {
      const upper = BigInt(w.upper)
      assert.ok(!wins.has(upper), `two winners at upper ${upper}`)
      wins.set(upper, `c${i}-${k}`)
      // Each win is the shard's only state change at that point: create = 1, then one seqno per append.
      assert.equal(BigInt(w.seqno), upper + 2n)
    }
  }
  const total = BigInt(WRITERS * PER_WRITER)
  assert.deepEqual([...wins.keys()].sort((a, b) => (a < b ? -1 : 1)), Array.from({ length: Number(total) }, (_, i) => BigInt(i)), 'no gaps')

  const store = await SqliteShardStore.open(path, { readOnly: true })
  try {
    assert.equal(await store.fetchRecentUpper(s), total)
    const rows = await store.snapshot(s, total - 1n, { keepTimestamps: true })
    assert.equal(rows.length, Number(total))
    for (const row of rows) assert.equal(row.data, wins.get(row.ts), `the acknowledged append at ${row.ts} is present`)
    const st = await store.inspect(s)
    assert.equal(st.seqno, total + 1n)
    assert.equal(Object.keys(st.writers).length, WRITERS)
    assert.deepEqual(await store.integrityCheck(), [])
  } finally {
    await store.close()
  }
  const raw = openRawDatabase(path, { readOnly: true })
  const log = raw.all('SELECT seqno FROM state_log WHERE shard_id = ? ORDER BY seqno', s).map((r) => r.seqno as bigint)
  raw.close()
  assert.deepEqual(log, Array.from({ length: Number(total) + 1 }, (_, i) => BigInt(i + 1)), 'the state log has every seqno once')
  t.diagnostic(`${total} appends by ${WRITERS} processes in ${elapsed} ms (${Math.round(Number(total) / (elapsed / 1000))}/s), ${mismatches} mismatches`)
})
