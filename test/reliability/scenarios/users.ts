/**
 * Never make things worse (issue 12): several OS users. Each round, the owner creates a store and
 * shares it read-only (0644); a second user (test/trust/trust-kit.ts: `useradd`, `runuser`) reads
 * it with one of `epoch`, `dump`, `verify`, `inspect`, in a directory it can write (1777) or not
 * (0755), rounds alternating; then the owner writes (`edit`). Checked: the read exits 0 and creates
 * no file (a `-wal`/`-shm` owned by the reader used to make every later write by the owner fail),
 * and the owner's write exits 0. Also, each round, the other way round: the second user owns the
 * store, root reads it, the owner writes. Skipped, saying why, where a second user cannot be had.
 */
import { chmodSync, chownSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { asReader, initStore, READER, readerUid, secondUserUnavailable } from '../../trust/trust-kit.js'
import { row, type SuiteContext } from '../lib/context.js'
import { runCliProcess } from '../lib/processes.js'
import { latencyOf, type ScenarioRow } from '../lib/report.js'

const ORG = '00000000-0000-4000-8000-0000000005e2'
const READS: readonly (readonly string[])[] = [['epoch'], ['dump', '-i', 'audit_log'], ['verify'], ['inspect']]
const edit = (round: number): string[] => ['edit', 'setting', '{"name":"shared"}', `{"value":"round ${round}"}`, '--yes']

export async function secondUserScenario(ctx: SuiteContext): Promise<ScenarioRow[]> {
  const started = performance.now()
  const why = secondUserUnavailable()
  if (why !== undefined) {
    return [
      row({
        scenario: 'second OS user reads, owner writes',
        processes: 2,
        iterations: 0,
        seed: ctx.opts.seed,
        successes: 0,
        notes: `skipped: ${why}`,
      }),
    ]
  }
  const uid = readerUid()
  const violations: string[] = []
  const writes: number[] = []
  let successes = 0
  const rounds = Math.max(1, ctx.opts.userRounds)
  for (let round = 0; round < rounds; round++) {
    const problems: string[] = []
    // The owner's store, read by the second user.
    const dirMode = round % 2 === 0 ? 0o755 : 0o1777
    const dir = ctx.dir(`users-${round}`)
    chmodSync(dir, dirMode)
    const store = join(dir, 's.db')
    await initStore(store, ORG)
    chmodSync(store, 0o644)
    const before = readdirSync(dir).sort().join(' ')
    const read = READS[round % READS.length]!
    const r = asReader(['--store', store, ...read])
    if (r.code !== 0) problems.push(`${READER} ${read[0]} (dir ${dirMode.toString(8)}): exit ${r.code}: ${r.stderr.trim()}`)
    const after = readdirSync(dir).sort().join(' ')
    if (after !== before) problems.push(`${READER} ${read[0]} (dir ${dirMode.toString(8)}) created files: ${before} → ${after}`)
    const w = await runCliProcess(['--store', store, ...edit(round)])
    writes.push(w.ms)
    if (w.code !== 0) problems.push(`owner's write after ${READER}'s ${read[0]}: exit ${w.code}: ${w.stderr.trim()}`)

    // The second user's store, read by root, then written by its owner.
    const theirs = join(ctx.dir(`users-theirs-${round}`), 'theirs')
    mkdirSync(theirs)
    chmodSync(theirs, 0o1777)
    chownSync(theirs, uid, -1)
    const theirStore = join(theirs, 's.db')
    const init = asReader(['--store', theirStore, '--organization-id', ORG, 'init'])
    if (init.code !== 0) problems.push(`${READER} init: exit ${init.code}: ${init.stderr.trim()}`)
    const rootRead = await runCliProcess(['--store', theirStore, ...read])
    if (rootRead.code !== 0) problems.push(`root ${read[0]} of ${READER}'s store: exit ${rootRead.code}: ${rootRead.stderr.trim()}`)
    const theirWrite = asReader(['--store', theirStore, ...edit(round)])
    if (theirWrite.code !== 0)
      problems.push(`${READER}'s write after root's ${read[0]}: exit ${theirWrite.code}: ${theirWrite.stderr.trim()}`)

    if (problems.length === 0) successes++
    violations.push(...problems.map((p) => `round ${round}: ${p}`.slice(0, 300)))
  }
  return [
    row({
      scenario: 'second OS user reads, owner writes',
      processes: 2,
      iterations: rounds,
      seed: ctx.opts.seed,
      successes,
      latency: latencyOf(writes),
      violations,
      notes: `each round: ${READER} reads the owner's 0644 store (epoch, dump, verify, inspect in turn; directory 0755 and 1777 alternating): exit 0, no file created; the owner's edit: exit 0; then root reads a store ${READER} owns and ${READER} writes it; latency = the owner's edit`,
      durationMs: performance.now() - started,
    }),
  ]
}
