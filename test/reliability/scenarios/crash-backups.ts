/** SIGKILL during an online backup: the source is untouched, a backup under its final name is complete. */
import { existsSync, readdirSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { openStore } from '../../../src/store/open-store.js'
import { sha256File } from '../../helpers/tmp.js'
import { row, removeStore, type SuiteContext } from '../lib/context.js'
import { Worker } from '../lib/processes.js'
import type { ScenarioRow } from '../lib/report.js'

export async function killBackups(ctx: SuiteContext, kills: number): Promise<ScenarioRow> {
  const started = performance.now()
  const rng = ctx.rng('crash-backups')
  const { path, catalog } = await ctx.catalogCopy('v47')
  const sourceHash = sha256File(path)
  const backup = async (target: string, killAfterMs?: number): Promise<{ done: boolean; ms: number }> => {
    const w = new Worker('catalog-worker.js', ['backup', path, target])
    await w.waitFor('ready')
    const t0 = performance.now()
    if (killAfterMs !== undefined) setTimeout(() => w.kill(), killAfterMs)
    const exit = await w.exited
    const done = w.messages.some((m) => m.type === 'done')
    if (!done && exit.signal === null) throw new Error(`backup worker failed: ${w.stderr.trim().split('\n').slice(-2).join(' | ')}`)
    return { done, ms: performance.now() - t0 }
  }
  const dir = ctx.dir('backups')
  const span = (await backup(join(dir, 'calibration.db'))).ms
  const violations: string[] = []
  let completed = 0
  let partialLeft = 0
  let lost = 0
  let integrityFailures = 0
  let complete = 0
  for (let i = 0; i < kills; i++) {
    const target = join(dir, `backup-${i}.db`)
    const r = await backup(target, rng.next() * span)
    if (r.done) completed++
    if (existsSync(target)) {
      complete++
      const problems = await backupProblems(target, catalog.organizationId, path)
      if (problems.length > 0) {
        integrityFailures++
        violations.push(`kill ${i}: the backup at its final name is not a good copy: ${problems[0]}`)
      }
    } else if (r.done) {
      lost++
      violations.push(`kill ${i}: the backup finished but ${basename(target)} is missing`)
    }
    partialLeft += readdirSync(dirname(target)).filter((f) => f.startsWith(`backup-${i}.db.partial`)).length
    removeStore(target)
  }
  if (sha256File(path) !== sourceHash) violations.push('the source store changed during the backups')
  removeStore(path)
  return row({
    scenario: 'crash: kill -9 during backup',
    processes: 1,
    iterations: kills,
    seed: ctx.opts.seed,
    successes: completed,
    lostAckedCommits: lost,
    partialTxns: 0,
    integrityFailures,
    violations,
    notes: `killed within ${span.toFixed(0)} ms; ${complete} backups reached their final name (all verified), ${partialLeft} leftover \`.partial-<pid>\` files (interrupted copies and their -wal/-shm; never under the final name); source unchanged (hash)`,
    durationMs: performance.now() - started,
  })
}

/** A finished backup must pass the integrity check and hold the source's shards at the same uppers. */
async function backupProblems(target: string, _org: string, source: string): Promise<string[]> {
  const b = await openStore(target, { readOnly: true })
  const s = await openStore(source, { readOnly: true })
  try {
    const problems = await b.integrityCheck()
    const want = (await s.listShards()).map((x) => `${x.shardId}@${x.upper}`).join(',')
    const got = (await b.listShards()).map((x) => `${x.shardId}@${x.upper}`).join(',')
    if (want !== got) problems.push(`shards ${got} instead of ${want}`)
    return problems
  } finally {
    await b.close()
    await s.close()
  }
}
