/**
 * Issue 12: SIGTERM ends a command at once, also while it waits between retries of a write
 * against a held lock, on a pipe and on a terminal that reports 0 columns (`script`). Timed
 * loosely (under 5 s: the machine running the tests may be loaded); the time each run took is
 * printed as a diagnostic. The 1 s target is measured by the reliability suite.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { type ChildProcess, fork, spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CLI_BIN } from '../helpers/cli-process.js'
import { makeTempDir } from '../helpers/tmp.js'
import { initStore } from '../trust/trust-kit.js'

const LOCK_HOLDER = join(dirname(fileURLToPath(import.meta.url)), '..', 'helpers', 'child-lock-holder.js')

/** Resolves once `child` has written `text` to stderr (or, under `script`, to the terminal). */
function waitFor(child: ChildProcess, text: RegExp): Promise<void> {
  return new Promise((resolve) => {
    let seen = ''
    const on = (d: Buffer) => {
      seen += d.toString()
      if (text.test(seen)) resolve()
    }
    child.stdout?.on('data', on)
    child.stderr?.on('data', on)
  })
}

test('SIGTERM ends a write waiting between retries, on a pipe and on a 0-column terminal', async (t) => {
  const tmp = makeTempDir()
  try {
    const store = tmp.path('s.db')
    await initStore(store)
    const lock = fork(LOCK_HOLDER, [store], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
    await new Promise<void>((resolve) => lock.once('message', () => resolve()))
    try {
      const args = [CLI_BIN, '--store', store, '--retry-timeout', '60s', 'edit', 'setting', '{"name":"k"}', '{"value":"v"}', '--yes']
      for (const terminal of [false, true]) {
        const child = terminal
          ? spawn(
              'script',
              ['-qec', `stty cols 0 rows 0; exec ${[process.execPath, ...args].map((w) => `'${w}'`).join(' ')}`, '/dev/null'],
              {
                stdio: ['ignore', 'pipe', 'pipe'],
                env: { PATH: process.env.PATH ?? '', TERM: 'xterm' },
              },
            )
          : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } })
        // In its retry waits: the second retry has been announced.
        await waitFor(child, /attempt 3/)
        const closed = new Promise<void>((resolve) => child.on('close', () => resolve()))
        const killer = setTimeout(() => child.kill('SIGKILL'), 20_000)
        const started = performance.now()
        // Under `script` the command is the script process's child: signal it, not the terminal.
        if (terminal) spawn('pkill', ['-TERM', '-P', String(child.pid)])
        else child.kill('SIGTERM')
        await closed
        const ms = performance.now() - started
        clearTimeout(killer)
        t.diagnostic(`${terminal ? '0-column terminal' : 'pipe'}: ended ${ms.toFixed(0)} ms after SIGTERM`)
        assert.ok(ms < 5000, `${terminal ? 'terminal' : 'pipe'}: SIGTERM took ${ms.toFixed(0)} ms`)
      }
    } finally {
      lock.kill('SIGKILL')
    }
  } finally {
    tmp.cleanup()
  }
})
