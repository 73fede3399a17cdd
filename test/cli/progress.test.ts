/**
 * Progress on stderr (issue 13): where it may show, when it starts, and what it says. The spinner
 * itself is ora's; these tests drive the reporter with a fixed clock and record what it sends.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import type { CliIo } from '../../src/cli/io.js'
import { Output } from '../../src/cli/output.js'
import { progressReporter, progressText } from '../../src/cli/progress.js'

function output(opts: { stderrTTY: boolean; env?: Record<string, string>; quiet?: boolean; columns?: number }): {
  out: Output
  shown: string[]
} {
  const stderr = Object.assign(new PassThrough(), { columns: opts.columns ?? 0 })
  const io: CliIo = {
    stdout: new PassThrough(),
    stderr,
    stdin: new PassThrough(),
    env: opts.env ?? {},
    isTTY: { stdin: false, stdout: false, stderr: opts.stderrTTY },
    cwd: process.cwd(),
  } as unknown as CliIo
  const out = new Output(io)
  out.configure({ quiet: opts.quiet === true, verbose: false, color: undefined })
  const shown: string[] = []
  // Record the spinner text instead of starting ora.
  out.progress = (text: string) => {
    shown.push(text)
  }
  out.prepareStatus = async () => {}
  return { out, shown }
}

test('no progress on a pipe, with --quiet, NO_COLOR, CI or TERM=dumb', async () => {
  assert.equal(await progressReporter(output({ stderrTTY: false }).out, false, 'x'), undefined)
  assert.equal(await progressReporter(output({ stderrTTY: true, quiet: true }).out, false, 'x'), undefined)
  for (const env of [{ NO_COLOR: '1' }, { CI: 'true' }, { TERM: 'dumb' }] as Record<string, string>[]) {
    assert.equal(await progressReporter(output({ stderrTTY: true, env }).out, false, 'x'), undefined, JSON.stringify(env))
  }
})

test('no progress while the command streams its data to a terminal stdout', async () => {
  const { out } = output({ stderrTTY: true, columns: 100 })
  assert.equal(await progressReporter(out, true, 'exporting', { streamsToStdout: true }), undefined)
  assert.notEqual(await progressReporter(out, false, 'exporting', { streamsToStdout: true }), undefined)
  assert.notEqual(await progressReporter(out, true, 'verifying'), undefined)
})

test('progress starts after a second and updates at most every 150 ms', async () => {
  const { out, shown } = output({ stderrTTY: true, columns: 100 })
  let now = 0
  const report = (await progressReporter(out, false, 'verifying the catalog', { now: () => now })) as (d: number, t?: number) => void
  report(100, 1000)
  now = 900
  report(500, 1000)
  assert.deepEqual(shown, [])
  now = 1000
  report(600, 1000)
  now = 1100
  report(650, 1000)
  now = 1200
  report(700, 1000)
  assert.deepEqual(shown, [
    'verifying the catalog: 600 of 1,000 rows (60 %), 600 rows/s, 1 s left',
    'verifying the catalog: 700 of 1,000 rows (70 %), 583 rows/s, 1 s left',
  ])
})

test('progress text: rows, rate and time left; without a total, rows and rate only', () => {
  assert.equal(
    progressText('copying', 'updates', 250_000, 1_000_000, 5),
    'copying: 250,000 of 1,000,000 updates (25 %), 50,000 updates/s, 15 s left',
  )
  assert.equal(
    progressText('copying', 'updates', 100, 10_000_000, 1),
    'copying: 100 of 10,000,000 updates (0 %), 100 updates/s, 1666 min 39 s left',
  )
  assert.equal(progressText('comparing', 'rows', 1234, undefined, 2), 'comparing: 1,234 rows, 617 rows/s')
})

test('status draws nothing on a terminal that reports no width, and never wraps', () => {
  const { out, shown } = output({ stderrTTY: true })
  out.status('no width known')
  assert.deepEqual(shown, [])
  const { out: wide, shown: drawn } = output({ stderrTTY: true, columns: 20 })
  wide.status('verifying the catalog: 1,000 rows, 10 rows/s')
  assert.deepEqual(drawn, ['verifying the ca…'])
})
