/**
 * Store files for file-level tests: a small store with data, and ways to wait on child processes.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, fork } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { shardId } from '../../src/store/shard-id.js'
import { SqliteShardStore } from '../../src/store/sqlite/sqlite-shard-store.js'

export const FIXTURE_BUILD = '0.91.0'

/** Creates a closed store at `path` with one shard of `rows` updates over several appends; returns the shard id. */
export async function makeStoreFile(path: string, rows = 50): Promise<string> {
  const store = await SqliteShardStore.open(path, { create: true, buildVersion: FIXTURE_BUILD })
  const s = shardId(randomUUID(), 1)
  try {
    await store.openShard(s, { shardName: 'catalog' })
    const perBatch = 25
    for (let done = 0, ts = 0n; done < rows; done += perBatch, ts++) {
      const batch = Array.from({ length: Math.min(perBatch, rows - done) }, (_, i) => ({
        data: `row-${done + i}-${'x'.repeat(40)}`,
        ts,
        diff: 1n,
      }))
      assert.equal((await store.compareAndAppend(s, batch, ts, ts + 1n)).ok, true)
    }
  } finally {
    await store.close()
  }
  return s
}

/** The compiled path of a child helper in `build/test/helpers/`. */
export function helperPath(name: string): string {
  return join(dirname(fileURLToPath(import.meta.url)), name)
}

const live = new Set<ChildProcess>()

/**
 * SIGKILLs every helper this process forked that is still running. Test files call it in
 * `after()`: a live child keeps the test process (and the whole test run) from ever exiting.
 */
export async function killAllChildren(): Promise<void> {
  const children = [...live]
  for (const child of children) child.kill('SIGKILL')
  await Promise.all(children.map(childDone))
}

/** Forks a compiled helper; `firstMessage` resolves with its first message and rejects if it exits first. */
export function forkHelper(name: string, args: string[]): { child: ChildProcess; firstMessage: Promise<unknown> } {
  const child = fork(helperPath(name), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  live.add(child)
  child.once('exit', () => live.delete(child))
  const firstMessage = new Promise<unknown>((resolve, reject) => {
    child.once('message', resolve)
    child.once('exit', (code, signal) => reject(new Error(`${name} exited early (${code ?? signal})`)))
  })
  // A child killed before it spoke is not an error unless someone waits for it.
  firstMessage.catch(() => undefined)
  return { child, firstMessage }
}

/** Resolves when the child has exited and its IPC channel is drained. */
export function childDone(child: ChildProcess): Promise<void> {
  const exited =
    child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()))
  const disconnected = child.connected ? new Promise<void>((r) => child.once('disconnect', () => r())) : Promise.resolve()
  return Promise.all([exited, disconnected]).then(() => undefined)
}
