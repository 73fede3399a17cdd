/**
 * The multi-process compare-and-append race (reliability plan T-2), one definition for every
 * backend: real processes (`child-race-writer.ts`, opening the store by location through
 * `openStore`) race appends of one update each on one shard. Checks: exactly one success per upper
 * value, no gaps, every acknowledged append stored and nothing else, one seqno per append, every
 * racer won some, the store's integrity check clean, and (when the backend's state log is
 * readable) every seqno logged once.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, describe, it } from 'node:test'
import { openStore } from '../../src/store/open-store.js'
import { shardId } from '../../src/store/shard-id.js'
import { childDone, forkHelper, killAllChildren } from './store-fixtures.js'

const RACE_WRITERS = 4
/** Successful appends per process (400 in total by default). */
const RACE_APPENDS_PER_WRITER = Number(process.env.RACE_APPENDS_PER_WRITER ?? 100)
const BUILD = '0.91.0'

export interface StoreRaceOptions {
  /** The seqnos of the shard's state log, in order (read behind the store's back), if the test can read them. */
  readonly stateLogSeqnos?: (location: string, shard: string) => bigint[] | Promise<bigint[]>
}

interface Report {
  successes?: { upper: string; seqno: string; data: string }[]
  mismatches?: number
  badMismatches?: number
  busy?: number
  error?: string
}

/**
 * Registers the race under `describe(name)`. `makeLocation` returns the location of a fresh,
 * empty store (a file path or a URL) that `openStore` can create; it is called when the test runs.
 * Child processes still running when the suite ends (a failed or hung test) are killed in `after()`.
 */
export function defineStoreRace(name: string, makeLocation: () => string | Promise<string>, opts: StoreRaceOptions = {}): void {
  describe(name, () => {
    after(() => killAllChildren())

    it(`${RACE_WRITERS} processes race compare-and-append: one winner per upper, no gaps`, { timeout: 120_000 }, async (t) => {
      const location = await makeLocation()
      const s = shardId(randomUUID(), 1)
      const setup = await openStore(location, { create: true, buildVersion: BUILD })
      try {
        await setup.openShard(s, { shardName: 'race' })
      } finally {
        await setup.close()
      }

      const children = Array.from({ length: RACE_WRITERS }, (_, i) =>
        forkHelper('child-race-writer.js', [location, s, `c${i}`, String(RACE_APPENDS_PER_WRITER)]),
      )
      const reports = children.map(
        ({ child }, i) =>
          new Promise<Report>((resolve, reject) => {
            child.on('message', (m) => m !== 'ready' && resolve(m as Report))
            child.once('disconnect', () => reject(new Error(`writer ${i} went away without a report`)))
          }),
      )
      for (const r of reports) r.catch(() => undefined)
      // Every child has opened the store before any starts.
      await Promise.all(children.map((c) => c.firstMessage))
      const start = Date.now()
      for (const { child } of children) child.send('go')
      const results = await Promise.all(reports)
      const elapsed = Date.now() - start
      await Promise.all(children.map(({ child }) => childDone(child)))
      for (const [i, r] of results.entries()) assert.equal(r.error, undefined, `writer ${i} failed: ${r.error}`)

      const wins = new Map<bigint, string>()
      for (const r of results) {
        assert.equal(r.successes!.length, RACE_APPENDS_PER_WRITER)
        assert.equal(r.badMismatches, 0, 'every mismatch reported a later upper')
        for (const w of r.successes!) {
          const upper = BigInt(w.upper)
          assert.ok(!wins.has(upper), `two winners at upper ${upper}`)
          wins.set(upper, w.data)
          // Each win is the shard's only state change at that point: create = 1, then one seqno per append.
          assert.equal(BigInt(w.seqno), upper + 2n, `seqno of the append at ${upper}`)
        }
      }
      const total = BigInt(RACE_WRITERS * RACE_APPENDS_PER_WRITER)
      const sortedUppers = [...wins.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      assert.deepEqual(
        sortedUppers,
        Array.from({ length: Number(total) }, (_, i) => BigInt(i)),
        'exactly one success per upper, no gaps',
      )

      const store = await openStore(location, { readOnly: true, buildVersion: BUILD })
      try {
        assert.equal(await store.fetchRecentUpper(s), total)
        const rows = await store.snapshot(s, total - 1n, { keepTimestamps: true })
        assert.equal(rows.length, Number(total), 'nothing stored that was not acknowledged')
        for (const row of rows) assert.equal(row.data, wins.get(row.ts), `the acknowledged append at ${row.ts} is present`)
        const st = await store.inspect(s)
        assert.equal(st.seqno, total + 1n)
        assert.equal(Object.keys(st.writers).length, RACE_WRITERS, 'one writer per process')
        assert.deepEqual(await store.integrityCheck(), [])
      } finally {
        await store.close()
      }
      if (opts.stateLogSeqnos !== undefined) {
        const log = await opts.stateLogSeqnos(location, s)
        assert.deepEqual(
          log,
          Array.from({ length: Number(total) + 1 }, (_, i) => BigInt(i + 1)),
          'the state log has every seqno once',
        )
      }
      const sum = (k: 'mismatches' | 'busy') => results.reduce((n, r) => n + (r[k] ?? 0), 0)
      t.diagnostic(
        `${total} appends by ${RACE_WRITERS} processes in ${elapsed} ms (${Math.round(Number(total) / (elapsed / 1000))}/s), ` +
          `${sum('mismatches')} mismatches, ${sum('busy')} busy`,
      )
    })
  })
}
