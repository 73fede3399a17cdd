/**
 * Bad input (test plan T-7): thousands of generated bad command lines through `main` in process
 * (invalid JSON, wrong shapes, unknown collections, huge and boundary integers, unicode, 10 MiB
 * values, bad flags, absent keys, unconfirmed writes). Each must end with its documented exit
 * code and a one-line error without a stack trace, and the store must be byte-for-byte unchanged.
 */
import { runCli } from '../../helpers/cli-run.js'
import { row, removeStore, type SuiteContext } from '../lib/context.js'
import { failureShapeProblems, firstErrorLine, storeHash } from '../lib/cli-checks.js'
import { latencyOf, type ScenarioRow } from '../lib/report.js'
import { badInputCases } from './bad-input-cases.js'

export async function badInputScenario(ctx: SuiteContext): Promise<ScenarioRow[]> {
  const started = performance.now()
  const cases = badInputCases(ctx.rng('bad-input'), ctx.opts.badInputs, ctx.opts.quick !== true)
  const { path } = await ctx.catalogCopy('v47')
  const initial = storeHash(path)
  const failures = new Map<string, { count: number; example: string }>()
  const fail = (category: string, problem: string, argv: readonly string[]): void => {
    const key = `${category}: ${problem.replace(/\d+/g, 'N').slice(0, 120)}`
    const f = failures.get(key)
    if (f !== undefined) f.count++
    else
      failures.set(key, {
        count: 1,
        example: `${problem} — argv ${JSON.stringify(argv.map((a) => (a.length > 60 ? `${a.slice(0, 40)}…(${a.length} chars)` : a)))}`,
      })
  }
  const ms: number[] = []
  const byCode = new Map<number, number>()
  let asDocumented = 0
  let changedCount = 0
  for (const c of cases) {
    const t0 = performance.now()
    const r = await runCli(['--store', path, '--retry-timeout', '0', ...c.argv], c.stdin === undefined ? {} : { stdin: c.stdin })
    ms.push(performance.now() - t0)
    byCode.set(r.code, (byCode.get(r.code) ?? 0) + 1)
    const problems = failureShapeProblems(r)
    if (!c.expect.includes(r.code))
      problems.push(`exit ${r.code}, expected ${c.expect.join(' or ')} (${firstErrorLine(r.stderr).slice(0, 160)})`)
    if (storeHash(path) !== initial) {
      changedCount++
      problems.push('the store changed')
    }
    for (const p of problems) fail(c.category, p, c.argv)
    if (problems.length === 0) asDocumented++
  }
  removeStore(path)
  const violations = [...failures.entries()].map(([k, f]) => `${k} ×${f.count}, e.g. ${f.example}`)
  return [
    row({
      scenario: 'bad input: generated arguments (in-process main)',
      processes: 1,
      iterations: cases.length,
      seed: ctx.opts.seed,
      successes: asDocumented,
      latency: latencyOf(ms),
      violations,
      notes: `${new Set(cases.map((c) => c.category)).size} categories${ctx.opts.quick === true ? '' : ' incl. four 10 MiB values'}; exit codes seen: ${[
        ...byCode.entries(),
      ]
        .sort((a, b) => a[0] - b[0])
        .map(([c, n]) => `${c}×${n}`)
        .join(', ')}; store hash checked after every case${changedCount > 0 ? `; changed ${changedCount} times` : ''}`,
      durationMs: performance.now() - started,
    }),
  ]
}
