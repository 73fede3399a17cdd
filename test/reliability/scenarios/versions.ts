/**
 * Versions (test plan T-5): a catalog whose shards were last written by a build one minor ahead
 * (accepted, also as a pre-release), two minors ahead, a major ahead, or a pre-release two minors
 * ahead. Writes (`edit`, `delete`) must be refused by the data-version gate ("… received persist
 * state from the future …") with the file unchanged; read commands must not change the file
 * either; `inspect` must work. Where writes are accepted, the stamp must not go backwards.
 */
import { catalogShardIds } from '../../../src/catalog/catalog-shards.js'
import { rowLookup } from '../../../src/catalog/codec/row-codec.js'
import { openStore } from '../../../src/store/open-store.js'
import { runCli } from '../../helpers/cli-run.js'
import { row, removeStore, type SuiteContext } from '../lib/context.js'
import { failureShapeProblems, firstErrorLine, storeHash } from '../lib/cli-checks.js'
import type { ScenarioRow } from '../lib/report.js'

/** [stamp, accepted?, description] relative to this build (0.91.x). */
const STAMPS = [
  ['0.92.0', true, 'one minor ahead'],
  ['0.92.3-rc.1', true, 'pre-release one minor ahead'],
  ['0.93.0', false, 'two minors ahead'],
  ['0.93.0-dev', false, 'pre-release two minors ahead'],
  ['1.0.0', false, 'a major ahead'],
] as const

export async function versionScenarios(ctx: SuiteContext): Promise<ScenarioRow[]> {
  const rows: ScenarioRow[] = []
  for (const [stamp, accepted, what] of STAMPS) rows.push(await stamped(ctx, stamp, accepted, what))
  return rows
}

async function stamped(ctx: SuiteContext, stamp: string, accepted: boolean, what: string): Promise<ScenarioRow> {
  const started = performance.now()
  const { path, catalog } = await ctx.catalogCopy('v47')
  const shards = catalogShardIds(catalog.organizationId)
  // A key for `delete` to find, written by this build before the stamp.
  const setup = await runCli(['--store', path, 'edit', 'setting', '{"name":"version_key"}', '{"value":"x"}', '--yes'])
  if (setup.code !== 0) throw new Error(`setup edit failed: ${setup.stderr}`)
  // The newer build writes both shards (an empty append each), stamping them.
  const newer = await openStore(path, { buildVersion: stamp, lookup: rowLookup })
  for (const shard of [shards.catalog, shards.upgrade]) {
    const upper = (await newer.fetchRecentUpper(shard))!
    const res = await newer.compareAndAppend(shard, [], upper, upper + 1n)
    if (!res.ok) throw new Error('stamping lost a compare-and-append')
  }
  await newer.close()

  const violations: string[] = []
  const outcomes: string[] = []
  let asExpected = 0
  const commands: { name: string; argv: string[]; write: boolean }[] = [
    { name: 'inspect', argv: ['inspect'], write: false },
    { name: 'epoch', argv: ['epoch'], write: false },
    { name: 'dump', argv: ['dump', '--stats-only'], write: false },
    { name: 'upgrade-check', argv: ['upgrade-check'], write: false },
    { name: 'edit', argv: ['edit', 'setting', '{"name":"version_key"}', '{"value":"y"}', '--yes'], write: true },
    { name: 'delete', argv: ['delete', 'setting', '{"name":"version_key"}', '--yes'], write: true },
  ]
  const run = ctx.opts.quick === true ? commands.filter((c) => c.name === 'inspect' || c.name === 'epoch' || c.name === 'edit') : commands
  for (const c of run) {
    const before = storeHash(path)
    const r = await runCli(['--store', path, '--retry-timeout', '0', ...c.argv])
    const changed = storeHash(path) !== before
    const shape = failureShapeProblems(r)
    outcomes.push(`${c.name} ${r.code}`)
    const problems: string[] = shape.map((p) => `${c.name}: ${p}`)
    if (c.name === 'inspect' && r.code !== 0) problems.push(`inspect exited ${r.code}: ${firstErrorLine(r.stderr)}`)
    if (!c.write && changed) problems.push(`${c.name} changed the file`)
    if (c.write && accepted && r.code !== 0) problems.push(`${c.name} refused data ${what}: ${firstErrorLine(r.stderr)}`)
    // Every command but inspect reads catalog state, and state from the future is refused to
    // readers as well as writers (persist's decode check); inspect is never gated.
    if (c.name !== 'inspect' && !accepted) {
      if (r.code !== 1 || !/from the future/.test(r.stderr))
        problems.push(`${c.name} exited ${r.code} (${firstErrorLine(r.stderr)}), expected the data-version gate (exit 1)`)
      if (changed) problems.push(`${c.name} changed the file although refused`)
    }
    if (problems.length === 0) asExpected++
    violations.push(...problems)
  }
  // An older build that writes must not lower the stamp (applier_version = max(stored, build)).
  if (accepted) {
    const s = await openStore(path, { readOnly: true })
    try {
      const v = (await s.inspect(shards.catalog)).applier_version
      if (v !== stamp) violations.push(`after this build wrote, the catalog shard is stamped ${v}, not ${stamp}`)
    } finally {
      await s.close()
    }
  }
  removeStore(path)
  return row({
    scenario: `versions: stamped ${stamp} (${what})`,
    processes: 1,
    iterations: run.length,
    seed: ctx.opts.seed,
    successes: asExpected,
    violations,
    notes: `${accepted ? 'accepted' : 'gated commands refused, inspect works'}; exit codes: ${outcomes.join(', ')}; file hash checked around every command`,
    durationMs: performance.now() - started,
  })
}
