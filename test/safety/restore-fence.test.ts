/**
 * Issue 12: a restore leaves every catalog's epoch above every epoch the store had seen, and its
 * upper past every upper the store had reached, so a writer that still holds the catalog it
 * opened before the restore is fenced (exit 5) on its next commit, whatever the backup held.
 * Real processes: the CLI binary for init, backup, edit, restore and epoch; a forked child that
 * holds a writable catalog open across the restore.
 */
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import type { ChildProcess } from 'node:child_process'
import { makeTempDir } from '../helpers/tmp.js'
import { childDone, forkHelper, killAllChildren } from '../helpers/store-fixtures.js'
import { cli, initStore, ORG } from '../trust/trust-kit.js'

after(killAllChildren)

async function ok(args: string[]): Promise<string> {
  const r = await cli(args)
  assert.equal(r.code, 0, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`)
  return r.stdout
}

async function epochOf(store: string): Promise<bigint> {
  const m = /Epoch: (\d+)/.exec(await ok(['--store', store, 'epoch']))
  assert.ok(m, 'epoch prints its number')
  return BigInt(m[1] as string)
}

interface HeldWriter {
  readonly child: ChildProcess
  readonly epoch: bigint
  readonly upper: bigint
  /** Lets the writer commit; resolves with its exit code and what it said. */
  commit(): Promise<{ code: number | null; outcome: string; message: string }>
}

async function holdWriter(store: string): Promise<HeldWriter> {
  const { child, firstMessage } = forkHelper('child-held-writer.js', [store, ORG])
  const held = (await firstMessage) as { epoch: string; upper: string }
  return {
    child,
    epoch: BigInt(held.epoch),
    upper: BigInt(held.upper),
    commit: async () => {
      const said = new Promise<{ outcome: string; message: string }>((resolve) => child.once('message', resolve as never))
      child.send('go')
      const msg = await said
      await childDone(child)
      return { code: child.exitCode, ...msg }
    },
  }
}

test('restore --force of an older backup: the writer holding the newer epoch is fenced, and the epoch ends above it', async () => {
  const tmp = makeTempDir()
  try {
    const store = tmp.path('s.db')
    const backup = tmp.path('s.bak')
    await initStore(store)
    await ok(['--store', store, 'backup', backup])
    const backedUp = await epochOf(store)
    await ok(['--store', store, 'edit', 'config', '{"key":"x"}', '{"value":1}', '--yes'])
    const writer = await holdWriter(store)
    assert.ok(writer.epoch > backedUp + 1n, `writer epoch ${writer.epoch}, backup ${backedUp}`)
    await ok(['--store', store, 'restore', backup, '--force', '--yes'])
    const after = await epochOf(store)
    assert.ok(after > writer.epoch, `epoch after the restore ${after} must be above the writer's ${writer.epoch}`)
    const res = await writer.commit()
    assert.equal(res.code, 5, `${res.outcome}: ${res.message}`)
    assert.match(res.message, new RegExp(`epoch ${writer.epoch} fenced by new catalog epoch ${after}`))
    assert.equal(await epochOf(store), after, 'the fenced writer wrote nothing')
    // The restore's record belongs to the append that fenced the catalog (same transaction).
    const log = await ok(['--store', store, 'log', '-o', 'json'])
    const newest = /"command": "restore"[\s\S]*?"from_upper": (\d+),\s*"to_upper": (\d+)/.exec(log)
    assert.ok(newest !== null, log)
    assert.ok(BigInt(newest[2] as string) > BigInt(newest[1] as string), 'the record spans the fence append')
  } finally {
    tmp.cleanup()
  }
})

test("a restored backup that ends at the writer's own upper still fences it", async () => {
  const tmp = makeTempDir()
  try {
    // Two copies of one store part ways: the backup's branch edits once, the store's branch
    // opens a writer once; both end one timestamp past where they parted, at different epochs.
    const store = tmp.path('s.db')
    const branch = tmp.path('branch.db')
    const backup = tmp.path('branch.bak')
    await initStore(store)
    await ok(['--store', store, 'backup', branch])
    await ok(['--store', branch, 'edit', 'config', '{"key":"x"}', '{"value":1}', '--yes'])
    await ok(['--store', branch, 'backup', backup])
    const writer = await holdWriter(store)
    await ok(['--store', store, 'restore', backup, '--force', '--yes'])
    const res = await writer.commit()
    assert.equal(res.code, 5, `the writer must be fenced, got ${res.outcome}: ${res.message}`)
    assert.ok((await epochOf(store)) > writer.epoch)
    const verify = await cli(['--store', store, 'verify'])
    assert.equal(verify.code, 0, verify.stdout + verify.stderr)
  } finally {
    tmp.cleanup()
  }
})
