/**
 * The reliability suite's "never make things worse" rows (issue 12) with tiny counts (CI): creation
 * races, special files, the TARGET matrix, the secret scan, a second OS user, the 0-column terminal
 * and SIGTERM. Every invariant must hold; times are recorded, never judged here (`quick`).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { CI_SIZES } from './reliability/lib/context.js'
import { runSuite } from './reliability/suite.js'

/**
 * Violations found by these rows and reported, not yet fixed in the code under test (matched
 * against the start of a violation; an entry that no longer matches anything can go).
 */
const KNOWN_ISSUES: readonly string[] = []

test('the never-make-things-worse rows hold their invariants (tiny counts)', { timeout: 900_000 }, async (t) => {
  const report = await runSuite({
    ...CI_SIZES,
    seed: 1,
    workDir: join(tmpdir(), `catalog-debug-reliability-never-worse-${process.pid}`),
    only: ['creation', 'special-files', 'targets', 'secrets', 'users', 'terminal'],
    log: () => {},
  })
  const names = report.rows.map((r) => r.scenario)
  for (const prefix of [
    'creation-race init',
    'creation-race import',
    'creation-race copy',
    'special files as --store',
    'special files as TARGET',
    'target matrix: copy --to',
    'secret scan: TARGET URL',
    'second OS user',
    '0-column terminal',
    'SIGTERM',
  ])
    assert.ok(
      names.some((n) => n.startsWith(prefix)),
      `no ${prefix} row`,
    )
  for (const r of report.rows) {
    const where = `${r.scenario} (${r.processes})`
    if (r.notes.startsWith('skipped')) t.diagnostic(`${where}: ${r.notes}`)
    assert.ok(r.lostAckedCommits === null || r.lostAckedCommits === 0, `${where}: ${r.lostAckedCommits} acknowledged stores lost`)
    const known = r.violations.filter((v) => KNOWN_ISSUES.some((k) => v.startsWith(k)))
    for (const k of known) t.diagnostic(`known issue (reported): ${where}: ${k}`)
    assert.deepEqual(
      r.violations.filter((v) => !known.includes(v)),
      [],
      `${where}: invariants broken`,
    )
  }
})
