/**
 * Issue 12, item 4 (hangs): a write that retries against a held lock on a terminal that reports 0
 * columns (`script`, some CI runners, `docker exec -t`) finishes when its retry time is up, with
 * bounded output; and SIGTERM ends a command that is waiting for a lock.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fork, spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CLI_BIN } from '../helpers/cli-process.js'
import { makeTempDir } from '../helpers/tmp.js'
import { initStore } from './trust-kit.js'

const LOCK_HOLDER = join(dirname(fileURLToPath(import.meta.url)), '..', 'helpers', 'child-lock-holder.js')

/** Forks a process holding the store's write lock; resolves once it holds it. */
async function holdLock(store: string): Promise<() => void> {
  const child = fork(LOCK_HOLDER, [store], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve())
    child.once('error', reject)
  })
  return () => child.kill('SIGKILL')
}

const EDIT = ['edit', 'setting', '{"name":"greeting"}', '{"value":"hi"}', '--yes']

test('a retrying write on a 0-column terminal ends when its retry time is up, with bounded output', async () => {
  const tmp = makeTempDir()
  try {
    const store = tmp.path('s.db')
    await initStore(store)
    const release = await holdLock(store)
    try {
      const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`
      const cmd = ['stty cols 0 rows 0;', process.execPath, CLI_BIN, '--store', store, '--retry-timeout', '2s', ...EDIT]
        .map((w, i) => (i === 0 ? w : quote(w)))
        .join(' ')
      const child = spawn('script', ['-qec', cmd, '/dev/null'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { PATH: process.env.PATH ?? '', TERM: 'xterm' },
      })
      let bytes = 0
      child.stdout.on('data', (d: Buffer) => (bytes += d.length))
      const killer = setTimeout(() => child.kill('SIGKILL'), 60_000)
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)))
      clearTimeout(killer)
      assert.equal(code, 5, `the command did not end by itself (exit ${code}, ${bytes} bytes of output)`)
      assert.ok(bytes < 64 * 1024, `${bytes} bytes written to the terminal`)
    } finally {
      release()
    }
  } finally {
    tmp.cleanup()
  }
})

test('SIGTERM ends a command waiting for a lock, on a pipe and on a 0-column terminal', async () => {
  const tmp = makeTempDir()
  try {
    const store = tmp.path('s.db')
    await initStore(store)
    const release = await holdLock(store)
    try {
      for (const terminal of [false, true]) {
        const args = [CLI_BIN, '--store', store, '--retry-timeout', '60s', '--busy-timeout', '5s', ...EDIT]
        const child = terminal
          ? spawn(
              'script',
              ['-qec', `stty cols 0 rows 0; exec ${[process.execPath, ...args].map((w) => `'${w}'`).join(' ')}`, '/dev/null'],
              {
                stdio: ['ignore', 'pipe', 'pipe'],
                env: { PATH: process.env.PATH ?? '', TERM: 'xterm' },
              },
            )
          : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
        child.stdout.resume()
        child.stderr.resume()
        await new Promise((r) => setTimeout(r, 1500))
        const closed = new Promise<void>((resolve) => child.on('close', () => resolve()))
        // Under `script`, the command is the child of the script process: signal the whole group.
        if (terminal) spawn('pkill', ['-TERM', '-P', String(child.pid)])
        else child.kill('SIGTERM')
        const killer = setTimeout(() => child.kill('SIGKILL'), 20_000)
        await closed
        clearTimeout(killer)
        assert.notEqual(child.signalCode, 'SIGKILL', `terminal=${terminal}: SIGTERM did not end the command`)
      }
    } finally {
      release()
    }
  } finally {
    tmp.cleanup()
  }
})
