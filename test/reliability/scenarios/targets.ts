/**
 * Never make things worse (issue 12): the TARGET matrix. Every command that writes a file named on
 * its command line (the `writesTarget` commands `export`, `dump`, `epoch`, `upgrade` of a fixture,
 * `backup`; `graph`'s TARGET; `repair --plan-out`/`--patch-out`; `copy --to`; and `restore`'s
 * SOURCE, which names the file a restore reads into the store; and `init`/`import` whose new
 * `--store` would be another store's sidecar) × {the store (as given and
 * spelled `./…`), its `-wal` and `-shm` (absent, and present), an existing file (without and with
 * `--force`), a directory, a URL}. Checked for each: the exit code allowed for that pair (refused
 * unless allowed: only an existing file with `--force` is), a well-formed one-line error, the
 * store's bytes unchanged (sha256 of the file, and of its `-wal` unless empty: a read leaves an
 * empty one), and an existing file
 * unchanged unless it was replaced on purpose.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { initStore } from '../../trust/trust-kit.js'
import { row, type SuiteContext } from '../lib/context.js'
import { failureShapeProblems, firstErrorLine, storeHash } from '../lib/cli-checks.js'
import { runCliProcess } from '../lib/processes.js'
import { latencyOf, type ScenarioRow } from '../lib/report.js'

/** The kinds of TARGET every command is tried with. */
type TargetKind =
  | 'the store'
  | 'the store as ./…'
  | '-wal (absent)'
  | '-wal (present)'
  | '-shm (absent)'
  | '-shm (present)'
  | 'existing file'
  | 'existing file --force'
  | 'directory'
  | 'URL'

const KINDS: readonly TargetKind[] = [
  'the store',
  'the store as ./…',
  '-wal (absent)',
  '-wal (present)',
  '-shm (absent)',
  '-shm (present)',
  'existing file',
  'existing file --force',
  'directory',
  'URL',
]

interface Files {
  /** The SQLite store. */
  readonly store: string
  /** An export of it (the fixture `upgrade` and `restore` need). */
  readonly fixture: string
  readonly existing: string
  readonly directory: string
}

interface TargetCommand {
  readonly name: string
  /** The store whose files the TARGET must never be (the SQLite store, or `upgrade`'s fixture). */
  readonly guarded: (f: Files) => string
  readonly argv: (f: Files, target: string, force: boolean) => string[]
  /** Has a `--force` that lets an existing file be replaced. */
  readonly force: boolean
  /** Exit codes allowed for a kind of TARGET (the default: refused, exit 4; a URL: exit 2). */
  readonly allowed?: Partial<Record<TargetKind, readonly number[]>>
  /** Only these kinds (default: all). */
  readonly kinds?: readonly TargetKind[]
}

/** Where a creating command's new store must never go: beside another store, as its sidecar. */
const SIDECARS: readonly TargetKind[] = ['-wal (absent)', '-wal (present)', '-shm (absent)', '-shm (present)']
const OTHER_ORG = '00000000-0000-4000-8000-0000000000cc'

const URL = 'postgres://someone:target-secret@127.0.0.1:1/catalog'

const TARGET_COMMANDS: readonly TargetCommand[] = [
  { name: 'export', guarded: (f) => f.store, argv: (f, t, force) => ['--store', f.store, 'export', t, ...flag(force)], force: true },
  { name: 'dump', guarded: (f) => f.store, argv: (f, t, force) => ['--store', f.store, 'dump', t, ...flag(force)], force: true },
  { name: 'epoch', guarded: (f) => f.store, argv: (f, t, force) => ['--store', f.store, 'epoch', t, ...flag(force)], force: true },
  { name: 'graph', guarded: (f) => f.store, argv: (f, t) => ['--store', f.store, 'graph', t], force: false },
  { name: 'backup', guarded: (f) => f.store, argv: (f, t, force) => ['--store', f.store, 'backup', t, ...flag(force)], force: true },
  {
    name: 'upgrade (fixture)',
    guarded: (f) => f.fixture,
    argv: (f, t, force) => ['--store', f.fixture, 'upgrade', t, ...flag(force)],
    force: true,
  },
  {
    name: 'repair --plan-out',
    guarded: (f) => f.store,
    argv: (f, t, force) => ['--store', f.store, 'repair', '--plan-out', t, ...flag(force)],
    force: true,
  },
  {
    name: 'repair --patch-out',
    guarded: (f) => f.store,
    argv: (f, t, force) => ['--store', f.store, 'repair', '--patch-out', t, ...flag(force)],
    force: true,
  },
  {
    name: 'copy --to',
    guarded: (f) => f.store,
    argv: (f, t) => ['copy', '--from', f.store, '--to', t],
    force: false,
    allowed: {
      // An existing file that is not a store is not a store to copy into: exit 1.
      'existing file': [1, 4],
      directory: [1, 4],
      // A PostgreSQL URL is a valid --to; nothing listens on port 1, so the copy fails to connect
      // (a refused connection is retried as transient: exit 5 when the retry time is up).
      URL: [1, 5],
    },
  },
  {
    name: 'restore SOURCE',
    guarded: (f) => f.store,
    argv: (f, t, force) => ['--store', f.store, 'restore', t, '--yes', ...flag(force)],
    force: true,
    allowed: {
      // A file that is not a backup fails its checks (1); a directory is not a file (1, 4).
      'existing file': [1, 2, 4],
      'existing file --force': [1, 2, 4],
      directory: [1, 2, 4],
    },
  },
  // A creating command whose new store would be another store's -wal/-shm: SQLite deletes or
  // rewrites that file at the other store's next open, so the acknowledged store would be lost.
  {
    name: 'init --store (sidecar of another store)',
    guarded: (f) => f.store,
    argv: (_f, t) => ['--store', t, '--organization-id', OTHER_ORG, 'init'],
    force: false,
    kinds: SIDECARS,
    allowed: { '-wal (present)': [1, 4], '-shm (present)': [1, 4] },
  },
  {
    name: 'import --store (sidecar of another store)',
    guarded: (f) => f.store,
    argv: (f, t) => ['--store', t, 'import', f.fixture],
    force: false,
    kinds: SIDECARS,
    allowed: { '-wal (present)': [1, 4], '-shm (present)': [1, 4] },
  },
]

function flag(force: boolean): string[] {
  return force ? ['--force'] : []
}

/** The exit codes a (command, kind) pair may end with. */
function allowedCodes(c: TargetCommand, kind: TargetKind): readonly number[] {
  const own = c.allowed?.[kind]
  if (own !== undefined) return own
  if (kind === 'URL') return [2]
  if (kind === 'existing file --force') return [0]
  return [4]
}

export async function targetMatrixScenario(ctx: SuiteContext): Promise<ScenarioRow[]> {
  const dir = ctx.dir('targets')
  const files: Files = {
    store: join(dir, 's.db'),
    fixture: join(dir, 'f.ndjson'),
    existing: join(dir, 'existing.txt'),
    directory: join(dir, 'a-directory'),
  }
  await initStore(files.store)
  const exported = await runCliProcess(['--store', files.store, 'export', files.fixture])
  if (exported.code !== 0) throw new Error(`export for the upgrade case failed: ${exported.stderr}`)
  mkdirSync(files.directory)
  // Every pair; in CI (quick) a sixth of them, every command and every kind of TARGET among them.
  const pairs: [TargetCommand, TargetKind][] = []
  TARGET_COMMANDS.forEach((c, ci) => {
    KINDS.forEach((k, ki) => {
      if (k === 'existing file --force' && !c.force) return
      if (c.kinds !== undefined && !c.kinds.includes(k)) return
      if (ctx.opts.quick !== true || (ki + ci) % 6 === 2) pairs.push([c, k])
    })
  })
  const rows: ScenarioRow[] = []
  for (const c of TARGET_COMMANDS) {
    const mine = pairs.filter(([p]) => p === c).map(([, k]) => k)
    if (mine.length === 0) continue
    const started = performance.now()
    const violations: string[] = []
    const codes: string[] = []
    const times: number[] = []
    let successes = 0
    for (const kind of mine) {
      const guarded = c.guarded(files)
      dropEmptySidecars(guarded)
      const target = targetFor(kind, guarded, files)
      writeFileSync(files.existing, 'keep me\n')
      const before = storeHash(guarded)
      const r = await runCliProcess(['--retry-timeout', '0', ...c.argv(files, target, kind === 'existing file --force')], {
        killAfterMs: 60_000,
      })
      times.push(r.ms)
      const after = storeHash(guarded)
      codes.push(`${kind} ${r.code ?? r.signal}`)
      const allowed = allowedCodes(c, kind)
      const problems = failureShapeProblems(r)
      if (r.code === null || !allowed.includes(r.code))
        problems.push(`exit ${r.code ?? r.signal} (${firstErrorLine(r.stderr)}), expected ${allowed.join(' or ')}`)
      if (after !== before) problems.push('the store changed')
      const kept = readFileSync(files.existing, 'utf8') === 'keep me\n'
      if (!kept && !(kind === 'existing file --force' && r.code === 0)) problems.push('the existing file changed')
      if (kind === 'existing file --force' && r.code === 0 && kept) problems.push('exit 0 but the existing file was not replaced')
      if (r.stdout.includes('target-secret') || r.stderr.includes('target-secret')) problems.push("the URL's password was printed")
      if (problems.length === 0) successes++
      else violations.push(...problems.map((p) => `${c.name}, TARGET ${kind}: ${p}`))
      cleanupSidecar(kind, guarded)
    }
    rows.push(
      row({
        scenario: `target matrix: ${c.name}`,
        processes: 1,
        iterations: mine.length,
        seed: ctx.opts.seed,
        successes,
        latency: latencyOf(times),
        violations,
        notes: `exit codes: ${codes.join(', ')}; store hash checked around every run`,
        durationMs: performance.now() - started,
      }),
    )
  }
  rmSync(dir, { recursive: true, force: true })
  return rows
}

function targetFor(kind: TargetKind, guarded: string, f: Files): string {
  switch (kind) {
    case 'the store':
      return guarded
    case 'the store as ./…':
      return `${dirname(guarded)}/./${basename(guarded)}`
    case '-wal (absent)':
      return `${guarded}-wal`
    case '-shm (absent)':
      return `${guarded}-shm`
    case '-wal (present)':
    case '-shm (present)': {
      const path = `${guarded}${kind.slice(0, 4)}`
      writeFileSync(path, '')
      return path
    }
    case 'existing file':
    case 'existing file --force':
      return f.existing
    case 'directory':
      return f.directory
    case 'URL':
      return URL
  }
}

/**
 * Removes the empty `-wal`/`-shm` a read leaves behind (housekeeping: the store is not open now),
 * so that an `(absent)` case finds them absent.
 */
function dropEmptySidecars(store: string): void {
  if (existsSync(`${store}-wal`) && statSync(`${store}-wal`).size > 0) return
  for (const s of ['-wal', '-shm']) rmSync(`${store}${s}`, { force: true })
}

/** Removes the empty sidecar a `(present)` case made (a command that refused left it as it was). */
function cleanupSidecar(kind: TargetKind, guarded: string): void {
  if (kind === '-wal (present)' || kind === '-shm (present)') rmSync(`${guarded}${kind.slice(0, 4)}`, { force: true })
}
