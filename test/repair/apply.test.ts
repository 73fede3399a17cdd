/**
 * Applying repair plans: refused (exit 4, nothing written) when the catalog changed since the plan
 * was made or without confirmation; recognised when applied twice; a fixture is planned, patched
 * into a new fixture (equal to what applying the same plan to a store gives) and never written;
 * a SIGKILL during the apply leaves the whole repair or none of it.
 */

import { strict as assert } from 'node:assert'
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { RefusedError } from '../../src/errors.js'
import { applyRepairPlan, parsePlan } from '../../src/catalog/repair/index.js'
import { consolidatePlanned } from '../../src/catalog/repair/plan.js'
import { CLI_BIN } from '../helpers/cli-process.js'
import { runCli } from '../helpers/cli-run.js'
import { currentRows, DAMAGE, importDemo, openTestStore, SHARD } from './corpus.js'

const dirs: string[] = []
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** A demo store with the database allocator behind and a row held twice, and its plan file. */
async function brokenWithPlan(): Promise<{ dir: string; path: string; planFile: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'repair-apply-'))
  dirs.push(dir)
  const path = join(dir, 'catalog.db')
  await importDemo(path)
  const store = await openTestStore(path)
  await DAMAGE.allocatorBehind(store)
  await DAMAGE.heldTwice(store)
  await store.close()
  const planFile = join(dir, 'plan.json')
  const r = await runCli(['--store', path, 'repair', '--plan-out', planFile])
  assert.equal(r.code, 0, r.stderr)
  return { dir, path, planFile }
}

function hash(path: string): string {
  const h = createHash('sha256')
  for (const f of [path, `${path}-wal`]) if (existsSync(f)) h.update(readFileSync(f))
  return h.digest('hex')
}

async function state(path: string): Promise<{ upper: bigint; rows: Map<string, bigint> }> {
  const store = await openTestStore(path)
  try {
    return { upper: (await store.fetchRecentUpper(SHARD)) as bigint, rows: await currentRows(store) }
  } finally {
    await store.close()
  }
}

test('a plan is refused (exit 4) when the catalog changed since it was made, and without confirmation', async () => {
  const { path, planFile } = await brokenWithPlan()
  const unconfirmed = await runCli(['--store', path, 'repair', '--apply', planFile])
  assert.equal(unconfirmed.code, 4, unconfirmed.stderr)
  const edited = await runCli(['--store', path, 'edit', 'setting', '{"name":"greeting"}', '{"value":"hi"}', '--yes'])
  assert.equal(edited.code, 0, edited.stderr)
  const before = hash(path)
  const r = await runCli(['--store', path, 'repair', '--apply', planFile, '--yes'])
  assert.equal(r.code, 4, r.stderr)
  assert.match(
    r.stderr,
    /the catalog changed since the plan was made \(plan made at upper \d+, the catalog is at upper \d+\); nothing was written/,
  )
  assert.equal(hash(path), before)
})

test('a plan applied twice is recognised by its idempotency token; a malformed plan is a usage error', async () => {
  const { path, planFile } = await brokenWithPlan()
  const first = await runCli(['--store', path, 'repair', '--apply', planFile, '--yes'])
  assert.equal(first.code, 0, first.stderr)
  assert.match(first.stderr, /repair applied: 5 updates in one write/)
  const applied = await state(path)
  const log = JSON.parse((await runCli(['--store', path, 'log', '-o', 'json'])).stdout) as {
    command: string
    reason: string
    appends: number
  }[]
  assert.deepEqual(
    log.filter((w) => w.command === 'repair').map((w) => [w.reason, w.appends]),
    [['repair: consolidate, raise-id-allocator (answers 2 findings: multiplicity, id-allocators)', 1]],
  )
  const again = await runCli(['--store', path, 'repair', '--apply', planFile, '--yes'])
  assert.equal(again.code, 0, again.stderr)
  assert.match(again.stderr, /the plan was already applied/)
  assert.deepEqual(await state(path), applied)
  const edited = readFileSync(planFile, 'utf8').replace('\\"next_id\\":4', '\\"next_id\\":40')
  const bad = await runCli(['--store', path, 'repair', '--apply', '-', '--yes'], { stdin: edited })
  assert.equal(bad.code, 2, bad.stderr)
  assert.match(bad.stderr, /its updates are not the sum of its repairs/)
})

test('a fixture is planned and patched into a new fixture, equal to the store the same plan repairs', async () => {
  const { dir, path } = await brokenWithPlan()
  const fixture = join(dir, 'broken.ndjson')
  assert.equal((await runCli(['--store', path, 'export', fixture])).code, 0)
  const planFile = join(dir, 'fixture-plan.json')
  const patched = join(dir, 'repaired.ndjson')
  const made = await runCli(['--store', fixture, 'repair', '--plan-out', planFile, '--patch-out', patched])
  assert.equal(made.code, 0, made.stderr)
  const refused = await runCli(['--store', fixture, 'repair', '--yes'])
  assert.equal(refused.code, 4, refused.stderr)
  const exists = await runCli(['--store', fixture, 'repair', '--patch-out', patched])
  assert.equal(exists.code, 4, exists.stderr)
  assert.equal((await runCli(['--store', fixture, 'repair', '--patch-out', patched, '--force'])).code, 0)

  const shown = await runCli(['diff', fixture, patched])
  assert.equal(shown.code, 1, shown.stderr)
  assert.match(shown.stdout, /next_id: 2 => 4/)
  assert.equal((await runCli(['--store', patched, 'verify'])).code, 0)

  // The plan made on the fixture applies to the store it was exported from (same catalog, same upper).
  const applied = await runCli(['--store', path, 'repair', '--apply', planFile, '--yes'])
  assert.equal(applied.code, 0, applied.stderr)
  const same = await runCli(['diff', path, patched])
  assert.equal(same.code, 0, same.stdout)
})

function applyUntilKilled(path: string, planFile: string, killAfterMs: number | undefined): Promise<{ code: number | null; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, [CLI_BIN, '--store', path, 'repair', '--apply', planFile, '--yes'], {
      env: { PATH: process.env.PATH ?? '' },
      stdio: 'ignore',
    })
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs)
    child.on('error', reject)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, ms: performance.now() - started })
    })
  })
}

test('SIGKILL during the apply leaves the whole repair or none of it', async (t) => {
  // One undisturbed run says how long an apply takes here; the kills land across that span.
  const probe = await brokenWithPlan()
  const full = await applyUntilKilled(probe.path, probe.planFile, undefined)
  assert.equal(full.code, 0)
  const outcomes: string[] = []
  for (const fraction of [0.5, 0.75, 0.9, 1]) {
    const { path, planFile } = await brokenWithPlan()
    const plan = parsePlan(readFileSync(planFile, 'utf8'))
    const before = await state(path)
    await applyUntilKilled(path, planFile, Math.round(full.ms * fraction))
    const now = await state(path)
    if (now.upper === plan.upper) {
      assert.deepEqual(now.rows, before.rows, 'none of the repair')
      outcomes.push('none')
    } else {
      assert.equal(now.upper, plan.upper + 1n)
      const expected = new Map(before.rows)
      for (const u of plan.updates) {
        const n = (expected.get(u.data) ?? 0n) + u.diff
        if (n === 0n) expected.delete(u.data)
        else expected.set(u.data, n)
      }
      assert.deepEqual(now.rows, expected, 'the whole repair')
      outcomes.push('whole')
    }
    assert.equal((await runCli(['--store', path, 'verify'])).code, now.upper === plan.upper ? 1 : 0)
  }
  assert.equal(outcomes.length, 4)
  t.diagnostic(`after SIGKILL at 50/75/90/100 % of an apply's ${Math.round(full.ms)} ms: ${outcomes.join(', ')}`)
})

test('on a terminal the plan is applied after a yes, refused after a no; a fixture only gets the plan', async () => {
  const { dir, path } = await brokenWithPlan()
  const tty = { stdin: true, stderr: true }
  const fixture = join(dir, 'broken.ndjson')
  assert.equal((await runCli(['--store', path, 'export', fixture])).code, 0)
  const before = hash(path)
  const no = await runCli(['--store', path, 'repair'], { isTTY: tty, stdin: 'n\n' })
  assert.equal(no.code, 4, no.stderr)
  assert.equal(hash(path), before)
  const yes = await runCli(['--store', path, 'repair', '--reason', 'ticket 42'], { isTTY: tty, stdin: 'y\n' })
  assert.equal(yes.code, 0, yes.stderr)
  assert.match(yes.stderr, /apply this repair plan \(5 updates in one write\)\? \[y\/N\][\s\S]*repair applied/)
  assert.equal((await runCli(['--store', path, 'verify'])).code, 0)
  const log = await runCli(['--store', path, 'log'])
  assert.match(log.stdout, /repair at \d+ {2}"ticket 42"/)

  const planned = await runCli(['--store', fixture, 'repair'], { isTTY: tty, stdin: 'y\n' })
  assert.equal(planned.code, 0, planned.stderr)
  assert.match(planned.stdout, /plan: 3 repairs/)
  assert.match(planned.stderr, /a fixture is never written/)
})

test('a plan that does not fit the catalog is refused before anything is written', async () => {
  const { path, planFile } = await brokenWithPlan()
  const plan = parsePlan(readFileSync(planFile, 'utf8'))
  // Consistent (the updates are the sum of the repairs), but it retracts the epoch row twice.
  const repairs = plan.repairs.map((r) =>
    r.action === 'bump-epoch' ? { ...r, updates: r.updates.map((u) => (u.diff < 0n ? { ...u, diff: -2n } : u)) } : r,
  )
  const tampered = { ...plan, repairs, updates: consolidatePlanned(repairs.flatMap((r) => r.updates)) }
  const before = hash(path)
  const store = await openTestStore(path)
  try {
    await assert.rejects(applyRepairPlan(store, tampered), (err: unknown) => err instanceof RefusedError && err.code === 'plan-mismatch')
  } finally {
    await store.close()
  }
  assert.equal(hash(path), before)
})
