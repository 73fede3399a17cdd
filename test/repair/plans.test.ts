/**
 * Repair plans over a corpus of broken catalogs (the demo catalog, damaged one way per case, and
 * several ways at once): `repair` proposes the expected repairs, `--plan-out` then `--apply` writes
 * exactly the planned updates (every other row stays byte-identical), and `verify` is clean after.
 */

import { strict as assert } from 'node:assert'
import { readFileSync } from 'node:fs'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { parsePlan } from '../../src/catalog/repair/index.js'
import { runCli } from '../helpers/cli-run.js'
import { currentRows, DAMAGE, importDemo, openTestStore } from './corpus.js'

const dirs: string[] = []
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

async function broken(cases: readonly (keyof typeof DAMAGE)[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'repair-plans-'))
  dirs.push(dir)
  const path = join(dir, 'catalog.db')
  await importDemo(path)
  const store = await openTestStore(path)
  for (const c of cases) await DAMAGE[c](store)
  await store.close()
  return path
}

async function rows(path: string): Promise<Map<string, bigint>> {
  const store = await openTestStore(path)
  try {
    return await currentRows(store)
  } finally {
    await store.close()
  }
}

interface Case {
  readonly damage: readonly (keyof typeof DAMAGE)[]
  readonly args?: readonly string[]
  /** The repairs' actions, in plan order (the epoch bump last, when anything is written). */
  readonly actions: readonly string[]
  /** Checks of the findings left unrepaired. */
  readonly left?: readonly string[]
}

const CASES: Record<string, Case> = {
  'an id allocator behind an id in use is raised': { damage: ['allocatorBehind'], actions: ['raise-id-allocator', 'bump-epoch'] },
  'a row held twice is consolidated to one copy': { damage: ['heldTwice'], actions: ['consolidate', 'bump-epoch'] },
  'a negative multiplicity is brought to zero': { damage: ['negative'], actions: ['consolidate', 'bump-epoch'] },
  'a non-canonical row is re-encoded': { damage: ['nonCanonical'], actions: ['re-encode', 'bump-epoch'] },
  'a row in an older shape is rewritten by the migrations': { damage: ['olderShape'], actions: ['rewrite-shape', 'bump-epoch'] },
  'a row of no known shape is left without --allow-delete': { damage: ['noShape'], actions: [], left: ['decode'] },
  'a row with a duplicate JSON key is not re-encoded (which value holds would be a guess)': {
    damage: ['duplicateKey'],
    actions: [],
    left: ['decode', 'canonical-encoding'],
  },
  'a row of no known shape is removed with --allow-delete': {
    damage: ['noShape'],
    args: ['--allow-delete'],
    actions: ['remove-undecodable', 'bump-epoch'],
  },
  'a dangling reference needs a choice': {
    damage: ['dangling'],
    actions: ['raise-id-allocator', 'bump-epoch'],
    left: ['referential-integrity'],
  },
  'a dangling reference is re-pointed with --repoint': {
    damage: ['dangling'],
    args: ['--repoint', 'database:u9=u1'],
    actions: ['raise-id-allocator', 'repoint', 'bump-epoch'],
  },
  'a dangling object is removed with --remove-dangling': {
    damage: ['dangling'],
    args: ['--remove-dangling'],
    actions: ['raise-id-allocator', 'remove-dangling', 'bump-epoch'],
  },
  'references to a missing role are re-pointed with --repoint': {
    damage: ['missingRole'],
    args: ['--repoint', 'role:u2=u1'],
    actions: ['repoint', 'bump-epoch'],
  },
  'duplicate names are left without --rename-suffix': {
    damage: ['duplicateName'],
    actions: ['raise-id-allocator', 'bump-epoch'],
    left: ['unique-names'],
  },
  'duplicate names are renamed with --rename-suffix': {
    damage: ['duplicateName'],
    args: ['--rename-suffix', '_dup'],
    actions: ['raise-id-allocator', 'rename', 'bump-epoch'],
  },
  'several kinds of damage at once': {
    damage: ['allocatorBehind', 'heldTwice', 'nonCanonical', 'olderShape'],
    actions: ['rewrite-shape', 're-encode', 'consolidate', 'raise-id-allocator', 'bump-epoch'],
  },
}

for (const [name, c] of Object.entries(CASES)) {
  test(name, async () => {
    const path = await broken(c.damage)
    const dir = join(path, '..')
    const planFile = join(dir, 'plan.json')
    const before = await rows(path)

    const made = await runCli(['--store', path, 'repair', ...(c.args ?? []), '--plan-out', planFile])
    assert.equal(made.code, 0, made.stderr)
    const plan = parsePlan(readFileSync(planFile, 'utf8'))
    assert.deepEqual(
      plan.repairs.map((r) => r.action),
      c.actions,
    )
    assert.deepEqual(plan.unrepaired.map((u) => u.finding.check).sort(), [...(c.left ?? [])].sort())
    for (const r of plan.repairs) if (r.action !== 'bump-epoch') assert.ok(r.answers.length > 0 && r.reason !== '', r.action)
    const before0 = await runCli(['--store', path, 'verify', '-o', 'json'])
    const found = (JSON.parse(before0.stdout) as { findings: unknown[] }).findings.length
    const answered = plan.repairs.reduce((n, r) => n + r.answers.length, 0) + plan.alsoResolved.length
    assert.equal(answered + plan.unrepaired.length, found, 'every finding is answered or listed')
    assert.deepEqual(await rows(path), before, 'planning writes nothing')

    const applied = await runCli(['--store', path, 'repair', '--apply', planFile, '--yes'])
    assert.equal(applied.code, 0, applied.stderr)
    const expected = new Map(before)
    for (const u of plan.updates) {
      const n = (expected.get(u.data) ?? 0n) + u.diff
      if (n === 0n) expected.delete(u.data)
      else expected.set(u.data, n)
    }
    assert.deepEqual(await rows(path), expected, 'the catalog changed by exactly the planned updates')

    const verified = await runCli(['--store', path, 'verify', '-o', 'json'])
    const remaining = (JSON.parse(verified.stdout) as { findings: { check: string }[] }).findings.map((f) => f.check)
    assert.deepEqual(remaining.sort(), [...(c.left ?? [])].sort())
    for (const check of plan.covered) assert.ok(!remaining.includes(check), `verify still reports ${check}`)
  })
}

test('text output names each repair, its finding and its rows; nothing to repair on a clean catalog', async () => {
  const path = await broken(['allocatorBehind'])
  const r = await runCli(['--store', path, 'repair'])
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /repair 1 \[raise-id-allocator\] id allocator "database" raised from next_id 2 to 4/)
  assert.match(r.stdout, /answers error \[id-allocators\]/)
  assert.match(r.stdout, /^ {4}- \{"key":\{"name":"database"\},"kind":"IdAlloc","value":\{"next_id":2\}\}$/m)
  assert.match(r.stdout, /^ {4}\+ \{"key":\{"name":"database"\},"kind":"IdAlloc","value":\{"next_id":4\}\}$/m)
  assert.match(r.stderr, /plan only; nothing written/)
  const clean = await runCli(['--store', join(process.cwd(), 'fixtures', 'demo-v47.ndjson'), 'repair', '--repoint', 'database:u7=u1'])
  assert.equal(clean.code, 0, clean.stderr)
  assert.match(clean.stdout, /nothing to repair\n$/)
  assert.match(clean.stderr, /warning: --repoint database:u7=u1 matched no reference to a missing database u7/)
  const bad = await runCli(['--store', path, 'repair', '--repoint', 'table:u1=u2'])
  assert.equal(bad.code, 2, bad.stderr)
})
