/**
 * Bad files (test plan T-6): random bytes, a text file, an empty file, a store truncated
 * mid-page and to its first page, a store with corrupted pages, a SQLite file of another
 * application (marker patched, and a plain one), a store of a newer format, a missing path, a
 * directory, an immutable file, and a store whose write lock another process holds. Every command
 * must fail (or succeed) with a documented exit code and a one-line error, never a stack trace,
 * and leave the file as it was.
 */
import { spawnSync } from 'node:child_process'
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs'
import { runCli } from '../../helpers/cli-run.js'
import { row, removeStore, type SuiteContext } from '../lib/context.js'
import { failureShapeProblems, firstErrorLine, storeHash } from '../lib/cli-checks.js'
import { runCliProcess, Worker } from '../lib/processes.js'
import { latencyOf, type ScenarioRow } from '../lib/report.js'

const QUICK_COMMANDS = new Set(['epoch', 'edit'])

const COMMANDS: readonly { readonly name: string; readonly argv: readonly string[]; readonly write: boolean }[] = [
  { name: 'inspect', argv: ['inspect'], write: false },
  { name: 'epoch', argv: ['epoch'], write: false },
  { name: 'dump', argv: ['dump', '--stats-only'], write: false },
  { name: 'upgrade-check', argv: ['upgrade-check'], write: false },
  { name: 'edit', argv: ['edit', 'setting', '{"name":"bad_file"}', '{"value":"x"}', '--yes'], write: true },
]

interface BadFile {
  readonly kind: string
  /** Allowed exit codes for reads and for the write. */
  readonly reads: readonly number[]
  readonly write: readonly number[]
  make(path: string, valid: string): void
  cleanup?(path: string): void
}

const PAGE = 4096

export async function badFileScenario(ctx: SuiteContext): Promise<ScenarioRow[]> {
  const started = performance.now()
  const rng = ctx.rng('bad-files')
  const { path: valid } = await ctx.catalogCopy('v47')
  const patch = (path: string, offset: number, bytes: number[]): void => {
    const fd = openSync(path, 'r+')
    writeSync(fd, Buffer.from(bytes), 0, bytes.length, offset)
    closeSync(fd)
  }
  const immutable = canMakeImmutable(ctx.path('probe'))
  const files: BadFile[] = [
    {
      kind: 'random bytes',
      reads: [1],
      write: [1],
      make: (p) => writeFileSync(p, Buffer.from(Array.from({ length: 65536 }, () => rng.int(0, 255)))),
    },
    { kind: 'text file', reads: [1], write: [1], make: (p) => writeFileSync(p, 'this is not a database\n') },
    { kind: 'empty (0 bytes)', reads: [1], write: [1], make: (p) => writeFileSync(p, '') },
    {
      kind: 'truncated mid-page',
      reads: [0, 1],
      write: [0, 1],
      make: (p, v) => {
        copyFileSync(v, p)
        truncateSync(p, Math.floor(statSync(v).size / 2 / PAGE) * PAGE + 1000)
      },
    },
    {
      kind: 'truncated to its first page',
      reads: [1],
      write: [1],
      make: (p, v) => {
        copyFileSync(v, p)
        truncateSync(p, PAGE)
      },
    },
    {
      kind: 'corrupted pages',
      // Damage SQLite does not notice on the pages a command reads goes unseen (0, or 3 when the
      // damage hides the catalog's rows); damage it notices is exit 1.
      reads: [0, 1, 3],
      write: [0, 1, 3],
      make: (p, v) => {
        copyFileSync(v, p)
        const pages = Math.floor(statSync(p).size / PAGE)
        for (let i = 0; i < 8; i++)
          patch(
            p,
            rng.int(1, pages - 1) * PAGE + rng.int(0, PAGE - 64),
            Array.from({ length: 64 }, () => rng.int(0, 255)),
          )
      },
    },
    {
      kind: 'another application (application_id)',
      reads: [1],
      write: [1],
      make: (p, v) => {
        copyFileSync(v, p)
        patch(p, 68, [0x12, 0x34, 0x56, 0x78])
      },
    },
    {
      kind: 'a newer store format (user_version 99)',
      reads: [1],
      write: [1],
      make: (p, v) => {
        copyFileSync(v, p)
        patch(p, 60, [0, 0, 0, 99])
      },
    },
    { kind: 'missing file', reads: [3], write: [3], make: () => {} },
    { kind: 'a directory', reads: [1, 3], write: [1, 3], make: (p) => mkdirSync(p) },
  ]
  if (hasSqliteCli()) {
    files.push({
      kind: 'a plain SQLite database',
      reads: [1],
      write: [1],
      make: (p) => void spawnSync('sqlite3', [p, 'CREATE TABLE t (x); INSERT INTO t VALUES (1);']),
    })
  }
  if (immutable) {
    files.push({
      kind: 'an immutable file (chattr +i)',
      reads: [0],
      write: [1, 4],
      make: (p, v) => {
        copyFileSync(v, p)
        spawnSync('chattr', ['+i', p])
      },
      cleanup: (p) => void spawnSync('chattr', ['-i', p]),
    })
  }

  const commands = ctx.opts.quick === true ? COMMANDS.filter((c) => QUICK_COMMANDS.has(c.name)) : COMMANDS
  const violations: string[] = []
  const notes: string[] = []
  let asExpected = 0
  let runs = 0
  for (const f of files) {
    const path = ctx.path('bad.db')
    f.make(path, valid)
    const codes: string[] = []
    try {
      for (const c of commands) {
        runs++
        const before = existsSync(path) && statSync(path).isFile() ? storeHash(path) : 'not a file'
        const r = await runCli(['--store', path, '--retry-timeout', '0', ...c.argv])
        const after = existsSync(path) && statSync(path).isFile() ? storeHash(path) : 'not a file'
        codes.push(`${c.name} ${r.code}`)
        const allowed = c.write ? f.write : f.reads
        const problems = failureShapeProblems(r).map((p) => `${f.kind}: ${c.name}: ${p}`)
        if (!allowed.includes(r.code))
          problems.push(`${f.kind}: ${c.name} exited ${r.code} (${firstErrorLine(r.stderr)}), expected ${allowed.join(' or ')}`)
        if (after !== before && !(c.write && r.code === 0)) problems.push(`${f.kind}: ${c.name} changed the file`)
        if (c.write && r.code === 0 && f.kind !== 'missing file') notes.push(`an edit succeeded on ${f.kind}`)
        if (problems.length === 0) asExpected++
        violations.push(...problems)
      }
    } finally {
      f.cleanup?.(path)
      if (existsSync(path) && statSync(path).isDirectory()) spawnSync('rmdir', [path])
      else removeStore(path)
    }
    notes.push(`${f.kind}: ${codes.join(', ')}`)
  }

  // Locked: another process holds the write lock; reads go on (WAL), a write gives up busy (5).
  const { path: lockedPath } = await ctx.catalogCopy('v47')
  const holder = new Worker('lock-holder.js', [lockedPath])
  await holder.waitFor('locked')
  const waits: number[] = []
  const [busyTimeout, retryTimeout] = ctx.opts.quick === true ? ['100ms', '200ms'] : ['300ms', '1s']
  try {
    const before = storeHash(lockedPath)
    for (const c of commands) {
      runs++
      const r = await runCliProcess(['--store', lockedPath, '--busy-timeout', busyTimeout, '--retry-timeout', retryTimeout, ...c.argv])
      const want = c.write ? [5] : [0]
      const problems = failureShapeProblems(r).map((p) => `locked: ${c.name}: ${p}`)
      if (!want.includes(r.code ?? -1))
        problems.push(`locked: ${c.name} exited ${r.code} (${firstErrorLine(r.stderr)}), expected ${want.join(' or ')}`)
      if (c.write) waits.push(r.ms)
      if (problems.length === 0) asExpected++
      violations.push(...problems)
    }
    if (storeHash(lockedPath) !== before) violations.push('locked: the file changed')
  } finally {
    holder.send({ type: 'release' })
    await holder.exited
    removeStore(lockedPath)
  }
  notes.push(
    `locked by another process: the edit gave up after ${waits.map((w) => `${(w / 1000).toFixed(1)} s`).join(', ')} (busy timeout ${busyTimeout}, retry timeout ${retryTimeout}, incl. start-up)`,
  )
  if (!immutable) notes.push('immutable-file case skipped (chattr +i not possible here)')
  removeStore(valid)
  return [
    row({
      scenario: 'bad files: damaged, foreign, missing, read-only, locked',
      processes: 1,
      iterations: runs,
      seed: ctx.opts.seed,
      successes: asExpected,
      latency: latencyOf(waits),
      violations,
      notes: notes.join('; '),
      durationMs: performance.now() - started,
    }),
  ]
}

function hasSqliteCli(): boolean {
  return spawnSync('sqlite3', ['-version']).status === 0
}

/** Whether `chattr +i` works here (root on ext4 does; elsewhere it usually does not). */
function canMakeImmutable(probe: string): boolean {
  writeFileSync(probe, 'x')
  const ok = spawnSync('chattr', ['+i', probe]).status === 0
  if (ok) spawnSync('chattr', ['-i', probe])
  return ok
}
