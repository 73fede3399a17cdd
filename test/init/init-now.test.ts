/**
 * `init --now MS`: the boot time a new catalog records (its timeline timestamp and the occurred_at
 * of its initial audit events) comes from the flag instead of the wall clock, so a fixture made
 * with it is byte-for-byte reproducible (Materialize's tests boot with `NOW_ZERO`).
 */

import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { runCli } from '../helpers/cli-run.js'
import { FIXTURE_ORG, tempDir, type FixtureDir } from '../helpers/cli-fixture.js'
import { sha256File } from '../helpers/tmp.js'

let fx: FixtureDir
before(() => {
  fx = tempDir()
})
after(() => fx.cleanup())

/** The exported fixture of a catalog made by `init` with `args`, the wall clock at `clock`. */
async function initAndExport(name: string, clock: number, args: readonly string[]): Promise<string> {
  const store = join(fx.dir, name)
  const init = await runCli(['init', '--store', store, '--organization-id', FIXTURE_ORG, ...args], { now: () => clock })
  assert.equal(init.code, 0, init.stderr)
  const exported = await runCli(['export', '--store', store, '-'])
  assert.equal(exported.code, 0, exported.stderr)
  return exported.stdout
}

test('--now sets the boot time of the audit events and the timeline; the wall clock is ignored', async () => {
  const a = await initAndExport('a.db', 1_709_251_200_000, ['--now', '0'])
  const b = await initAndExport('b.db', 1_800_000_000_000, ['--now', '0'])
  assert.equal(a, b, 'two inits with --now 0 at different wall clocks export the same bytes')
  const audit = a.split('\n').filter((l) => l.includes('"kind":"AuditLog"'))
  assert.ok(audit.length > 5)
  for (const l of audit) assert.match(l, /"occurred_at":\{"millis":0\}/)
  assert.match(a, /\{"key":\{"id":"M"\},"kind":"Timestamp","value":\{"ts":\{"internal":0\}\}\}/)
  const later = await initAndExport('c.db', 0, ['--now', '18446744073709551615'])
  assert.match(later, /"occurred_at":\{"millis":18446744073709551615\}/)
  // Without the flag the wall clock is the boot time.
  const clock = await initAndExport('d.db', 1_709_251_200_000, [])
  assert.match(clock, /"occurred_at":\{"millis":1709251200000\}/)
})

test('--now must be a u64 of milliseconds: anything else is exit 2 and creates nothing', async () => {
  for (const bad of ['-1', '1.5', 'yesterday', '18446744073709551616']) {
    const store = join(fx.dir, 'bad.db')
    const r = await runCli(['init', '--store', store, '--organization-id', FIXTURE_ORG, '--now', bad])
    assert.equal(r.code, 2, `${bad}: ${r.stderr}`)
    assert.match(r.stderr, /--now must be an integer from 0 to 2\^64-1/)
    assert.equal(sha256File(store), 'absent')
  }
})
