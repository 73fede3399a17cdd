/**
 * kill -9 during writes (reliability plan T-3): a child appends in a loop and the parent SIGKILLs
 * it at random moments. After every kill: the file passes integrity_check, every acknowledged
 * append is present, the in-flight append is all-or-nothing, the upper is consistent, and retrying
 * the in-flight append with its idempotency token succeeds exactly once.
 *
 * `CRASH_KILLS` (default 100) sets the number of kills; `CRASH_SEED` replays a run.
 */
import assert from 'node:assert/strict'
import { randomInt, randomUUID } from 'node:crypto'
import { after, it } from 'node:test'
import { newWriterId } from '../src/store/ids.js'
import { shardId } from '../src/store/shard-id.js'
import { SqliteShardStore } from '../src/store/sqlite/sqlite-shard-store.js'
import { childDone, forkHelper, killAllChildren } from './helpers/store-fixtures.js'
import { makeTempDir } from './helpers/tmp.js'

const KILLS = Number(process.env.CRASH_KILLS ?? 100)
const SEED = Number(process.env.CRASH_SEED ?? randomInt(2 ** 31))
const ROWS = 5

const tmp = makeTempDir()
after(async () => {
  await killAllChildren()
  tmp.cleanup()
})

/** mulberry32: a small seeded PRNG so a failing run can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Round {
  acked: bigint[]
  intent: { upper: bigint; token: string } | undefined
  error: string | undefined
}

type Forked = ReturnType<typeof forkHelper>

/** Starts a writer ahead of time: node's start-up dominates each round, so it overlaps the previous round. */
function prefork(path: string, s: string, writerId: string): Forked {
  return forkHelper('child-crash-writer.js', [path, s, writerId, String(ROWS)])
}

async function runAndKill(w: Forked, delayMs: number, beforeOpened: boolean): Promise<Round> {
  const round: Round = { acked: [], intent: undefined, error: undefined }
  const { child } = w
  await w.firstMessage // rejects if the writer died on its own: a failure, never a hang (after() kills the rest)
  const opened = new Promise<void>((resolve) => {
    child.on('message', (m: 'opened' | { intent?: string; token?: string; ack?: string; error?: string }) => {
      if (m === 'opened') return resolve()
      if (m.intent !== undefined) round.intent = { upper: BigInt(m.intent), token: m.token! }
      if (m.ack !== undefined) round.acked.push(BigInt(m.ack))
      if (m.error !== undefined) round.error = m.error
    })
    child.once('exit', () => resolve())
  })
  child.send('go')
  if (!beforeOpened) await opened
  await new Promise((r) => setTimeout(r, delayMs))
  child.kill('SIGKILL')
  await childDone(child)
  return round
}

it(`SIGKILL during appends, ${KILLS} times: acknowledged appends survive, none is torn`, async (t) => {
  t.diagnostic(`seed ${SEED} (CRASH_SEED=${SEED} replays this run)`)
  const rand = prng(SEED)
  const path = tmp.path('crash.db')
  const s = shardId(randomUUID(), 1)
  const writerId = newWriterId()
  const setup = await SqliteShardStore.open(path, { create: true, buildVersion: '0.91.0' })
  await setup.openShard(s, { shardName: 'crash' })
  await setup.close()

  let checkedUpTo = 0n
  let maxAcked = -1n
  const stats = { acked: 0, inFlightCommitted: 0, inFlightNotCommitted: 0, noneInFlight: 0, killedEarly: 0 }
  const start = Date.now()
  let next = prefork(path, s, writerId)
  for (let i = 0; i < KILLS; i++) {
    const current = next
    next = prefork(path, s, writerId)
    // Now and then kill while the store is still being opened.
    const early = rand() < 0.1
    if (early) stats.killedEarly++
    const round = await runAndKill(current, Math.floor(rand() * (early ? 5 : 25)), early)
    assert.equal(round.error, undefined, round.error)
    stats.acked += round.acked.length
    for (const a of round.acked) if (a > maxAcked) maxAcked = a

    const store = await SqliteShardStore.open(path, { buildVersion: '0.91.0' })
    try {
      assert.deepEqual(await store.integrityCheck(), [], `integrity after kill ${i}`)
      const upper = (await store.fetchRecentUpper(s))!
      // Every acknowledged append is durable; at most the one in flight is beyond them.
      assert.ok(upper >= maxAcked + 1n, `kill ${i}: upper ${upper} lost acknowledged append ${maxAcked}`)
      assert.ok(upper <= maxAcked + 2n, `kill ${i}: upper ${upper} is more than one past the last acknowledged ${maxAcked}`)
      if (upper > 0n) {
        // All-or-nothing: every time below the upper holds exactly its append's rows.
        assert.equal((await store.countUpdates(s, upper - 1n)).total, upper * BigInt(ROWS), `kill ${i}: row count`)
        const rows = await store.snapshot(s, upper - 1n, { keepTimestamps: true })
        const fresh = rows.filter((r) => r.ts >= checkedUpTo)
        const expected = []
        for (let ts = checkedUpTo; ts < upper; ts++) for (let j = 0; j < ROWS; j++) expected.push(`a${ts}-${j}`)
        assert.deepEqual(fresh.map((r) => r.data).sort(), expected.sort(), `kill ${i}: appends in [${checkedUpTo}, ${upper})`)
      }
      const inFlight = round.intent !== undefined && !round.acked.includes(round.intent.upper) ? round.intent : undefined
      if (inFlight === undefined) {
        stats.noneInFlight++
      } else {
        const committed = upper > inFlight.upper
        committed ? stats.inFlightCommitted++ : stats.inFlightNotCommitted++
        assert.ok(
          upper === inFlight.upper || upper === inFlight.upper + 1n,
          `kill ${i}: in-flight append at ${inFlight.upper}, upper ${upper}`,
        )
        // Retrying the in-flight append with its token: success exactly once, never a second copy.
        const updates = Array.from({ length: ROWS }, (_, j) => ({ data: `a${inFlight.upper}-${j}`, ts: inFlight.upper, diff: 1n }))
        const res = await store.compareAndAppend(s, updates, inFlight.upper, inFlight.upper + 1n, {
          writerId,
          idempotencyToken: inFlight.token,
        })
        assert.equal(res.ok, true)
        assert.equal(res.ok && res.alreadyCommitted, committed, `kill ${i}: retry reports alreadyCommitted iff it had committed`)
        maxAcked = inFlight.upper
      }
      const now = (await store.fetchRecentUpper(s))!
      // A kill before the first append leaves the upper at 0: nothing to count yet.
      if (now > 0n) assert.equal((await store.countUpdates(s, now - 1n)).total, now * BigInt(ROWS))
      checkedUpTo = now
    } finally {
      await store.close()
    }
  }
  await killAllChildren()
  const elapsed = Date.now() - start
  t.diagnostic(
    `${KILLS} kills in ${elapsed} ms; ${stats.acked} acknowledged appends; in flight at the kill: ` +
      `${stats.inFlightCommitted} committed, ${stats.inFlightNotCommitted} not committed, ${stats.noneInFlight} none ` +
      `(${stats.killedEarly} kills while opening); final upper ${checkedUpTo}`,
  )
  assert.ok(stats.acked > 0, 'the writer made progress')
})
