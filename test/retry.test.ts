import { test } from 'node:test'
import assert from 'node:assert/strict'
import { retry, parseDuration, type RetryClock, type RetryEvent } from '../src/retry.js'
import { StoreBusyError, UpperMismatchError, UsageError } from '../src/errors.js'

/** A clock that only moves when the policy sleeps (or a test advances it). */
function fakeClock(): RetryClock & { t: number; sleeps: number[] } {
  const c = {
    t: 0,
    sleeps: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.sleeps.push(ms)
      c.t += ms
    },
  }
  return c
}

test('waits 125, 250, 500, then 1000 ms, with the final try exactly at 30 s', async () => {
  const clock = fakeClock()
  const starts: number[] = []
  const events: RetryEvent[] = []
  const err = new StoreBusyError('database is locked')
  await assert.rejects(
    retry(
      async () => {
        starts.push(clock.t)
        throw err
      },
      { clock, onRetry: (e) => events.push(e) },
    ),
    (e) => e === err,
  )
  assert.deepEqual(clock.sleeps.slice(0, 6), [125, 250, 500, 1000, 1000, 1000])
  assert.deepEqual(starts.slice(0, 5), [0, 125, 375, 875, 1875])
  // 1875 + 28 × 1000 = 29875; the last wait is shortened to land on the deadline.
  assert.equal(starts.at(-2), 29_875)
  assert.equal(starts.at(-1), 30_000)
  assert.equal(clock.sleeps.at(-1), 125)
  assert.ok(clock.sleeps.every((w) => w <= 1000))
  assert.equal(starts.length, 34)
  assert.equal(events.length, 33)
  assert.deepEqual(
    events.slice(0, 2).map((e) => [e.attempt, e.waitMs, e.reason]),
    [
      [1, 125, 'database is locked'],
      [2, 250, 'database is locked'],
    ],
  )
  assert.equal(events.at(-1)?.finalAttemptNext, true)
  assert.ok(events.slice(0, -1).every((e) => !e.finalAttemptNext))
})

test('an attempt that outlives the deadline is followed by exactly one final try, at once', async () => {
  const clock = fakeClock()
  const starts: number[] = []
  await assert.rejects(
    retry(
      async ({ attempt }) => {
        starts.push(clock.t)
        if (attempt === 2) clock.t += 40_000 // a slow attempt past the deadline
        throw new UpperMismatchError('upper moved')
      },
      { clock },
    ),
    UpperMismatchError,
  )
  assert.deepEqual(starts, [0, 125, 40_125])
})

test('permanent errors are not retried', async () => {
  const clock = fakeClock()
  let calls = 0
  await assert.rejects(
    retry(
      async () => {
        calls++
        throw new UsageError('bad key')
      },
      { clock },
    ),
    UsageError,
  )
  assert.equal(calls, 1)
  assert.deepEqual(clock.sleeps, [])
  calls = 0
  await assert.rejects(
    retry(
      async () => {
        calls++
        throw new TypeError('bug')
      },
      { clock },
    ),
    TypeError,
  )
  assert.equal(calls, 1)
})

test('succeeds after transient failures and returns the value', async () => {
  const clock = fakeClock()
  const seen: boolean[] = []
  const v = await retry(
    async ({ attempt, final }) => {
      seen.push(final)
      if (attempt < 4) throw new StoreBusyError('busy')
      return 'ok'
    },
    { clock },
  )
  assert.equal(v, 'ok')
  assert.deepEqual(clock.sleeps, [125, 250, 500])
  assert.deepEqual(seen, [false, false, false, false])
})

test('the timeout is configurable; 0 means exactly one attempt', async () => {
  const clock = fakeClock()
  let calls = 0
  await assert.rejects(
    retry(
      async () => {
        calls++
        throw new StoreBusyError('busy')
      },
      { clock, timeoutMs: 0 },
    ),
    StoreBusyError,
  )
  assert.equal(calls, 1)

  const c2 = fakeClock()
  await assert.rejects(
    retry(
      async () => {
        throw new StoreBusyError('busy')
      },
      { clock: c2, timeoutMs: 1_000 },
    ),
  )
  assert.deepEqual(c2.sleeps, [125, 250, 500, 125])
})

test('a custom retryable predicate narrows what is retried', async () => {
  const clock = fakeClock()
  let calls = 0
  await assert.rejects(
    retry(
      async () => {
        calls++
        throw new StoreBusyError('busy')
      },
      { clock, retryable: () => calls < 3 },
    ),
  )
  assert.equal(calls, 3)
})

test('parseDuration', () => {
  assert.equal(parseDuration('250ms'), 250)
  assert.equal(parseDuration('30s'), 30_000)
  assert.equal(parseDuration('1.5s'), 1_500)
  assert.equal(parseDuration('2m'), 120_000)
  assert.equal(parseDuration('100'), 100)
  assert.equal(parseDuration('0'), 0)
  assert.equal(parseDuration('soon'), undefined)
  assert.equal(parseDuration('-1s'), undefined)
})
