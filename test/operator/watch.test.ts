/**
 * `watch` through real processes on the demo catalog, SQLite and PostgreSQL: with concurrent
 * writers, every committed update is printed once, in commit order (compared with the exported
 * history); SIGINT, SIGTERM and a closed stdout each end it with exit 0.
 */
import assert from 'node:assert/strict'
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { parseJson } from '../../src/json/lossless-json.js'
import { CLI_BIN } from '../helpers/cli-process.js'
import { describePostgres } from '../helpers/postgres-server.js'
import { importDemo, okOn } from '../helpers/operator-cli.js'
import { makeTempDir } from '../helpers/tmp.js'

interface Watcher {
  readonly child: ChildProcessWithoutNullStreams
  stdout: string
  stderr: string
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

function startWatch(store: string, args: readonly string[]): Watcher {
  const child = spawn(process.execPath, [CLI_BIN, '--store', store, 'watch', ...args], { env: { PATH: process.env.PATH ?? '' } })
  const w: Watcher = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal }))),
  }
  child.stdout.setEncoding('utf8').on('data', (d: string) => (w.stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (w.stderr += d))
  return w
}

/** Waits (polling, generous deadline: the machine may be loaded) until `ready()` holds. */
async function until(what: string, ready: () => boolean, w: Watcher): Promise<void> {
  const deadline = Date.now() + 60_000
  while (!ready()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; stderr: ${w.stderr}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '')

function scenario(store: () => string): void {
  before(() => importDemo(store()))

  it('prints every update committed by concurrent writers once, in order; SIGTERM ends it with exit 0', async () => {
    const w = startWatch(store(), ['-o', 'ndjson'])
    await until('the watch to start', () => /watching the updates after timestamp (\d+)/.test(w.stderr), w)
    const from = BigInt((/after timestamp (\d+)/.exec(w.stderr) as RegExpExecArray)[1] as string)
    // Two writers at once, three edits each: they race for the upper and retry.
    await Promise.all(
      ['a', 'b'].map(async (name) => {
        for (let i = 0; i < 3; i++) await okOn(store(), ['edit', 'setting', `{"name":"watch_${name}"}`, `{"value":"${i}"}`, '--yes'])
      }),
    )
    const committed = lines(await okOn(store(), ['export']))
      .slice(1)
      .filter((l) => (parseJson(l) as { ts: bigint }).ts > from)
    await until('every committed update', () => lines(w.stdout).length >= committed.length, w)
    w.child.kill('SIGTERM')
    assert.deepEqual(await w.exited, { code: 0, signal: null })
    const seen = lines(w.stdout)
    assert.equal(seen.length, committed.length, w.stdout)
    const ts = seen.map((l) => (parseJson(l) as { ts: bigint }).ts)
    assert.deepEqual(
      ts,
      [...ts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    )
    assert.deepEqual([...seen].sort(), [...committed].sort())
    assert.equal(committed.filter((l) => l.includes('"watch_')).length, 6 + 4)
  })

  it('--from and --only replay the history after a time; SIGINT ends it with exit 0', async () => {
    const w = startWatch(store(), ['--from', '45', '--only', 'setting'])
    await until('the history', () => lines(w.stdout).length >= 10, w)
    w.child.kill('SIGINT')
    assert.deepEqual(await w.exited, { code: 0, signal: null })
    assert.ok(
      lines(w.stdout).every((l) => /^\d+ {2}[+-]1 {2}setting {2}\{"name":"watch_[ab]"\}/.test(l)),
      w.stdout,
    )
  })

  it('a reader that closes the pipe ends it with exit 0', async () => {
    const w = startWatch(store(), ['--from', '45', '-o', 'ndjson'])
    await until('the first line', () => lines(w.stdout).length >= 1, w)
    w.child.stdout.destroy()
    await okOn(store(), ['edit', 'setting', '{"name":"watch_pipe"}', '{"value":"x"}', '--yes'])
    assert.deepEqual(await w.exited, { code: 0, signal: null })
    assert.doesNotMatch(w.stderr, /error/)
  })
}

describe('watch on a SQLite store', () => {
  const tmp = makeTempDir('catalog-debug-watch-')
  after(() => tmp.cleanup())
  scenario(() => tmp.path('demo.db'))
})

describePostgres('watch on a PostgreSQL store', (server) => {
  let url: string | undefined
  scenario(() => {
    url ??= server().createDatabase('watch')
    return url
  })
})
