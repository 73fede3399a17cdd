/**
 * PostgreSQL figures, when a throwaway server can be started (Debian's `postgresql` package;
 * `test/helpers/postgres-server.ts`):
 *
 * - compare-and-append throughput with 1, 4 and 16 writer processes (`../caa-writer.ts`), each
 *   against the **floor**, measured in alternation with it (three rounds, medians) in the same
 *   run: one process doing a standalone single-row compare-and-set in five statements with the
 *   same client library (`../pg-commit-floor.ts`). One writer is held to {@link PG_CAA_TARGET}×
 *   the floor. Beside each: statements per commit (every statement the writers sent, counted by
 *   the server's `pg_stat_statements`, divided by the commits), and aborts per commit:
 *   transactions the server rolled back (serialization failures and lock timeouts, each retried
 *   by the store; `pg_stat_database.xact_rollback`) and upper mismatches (the writer re-reads and
 *   tries again);
 * - `dump -o ndjson` of the same catalog as on SQLite, as a ratio to SQLite.
 *
 * The server runs with fsync off (it is thrown away), so commit rates are upper bounds; the floor
 * runs on the same server.
 */
import { join } from 'node:path'
import { rowLookup } from '../../src/catalog/codec/row-codec.js'
import { catalogShardDiagnostics, catalogShardIds, upgradeShardDiagnostics } from '../../src/catalog/catalog-shards.js'
import { downgradeCriticalSince, openCriticalSince } from '../../src/catalog/critical-since.js'
import { openStore } from '../../src/store/open-store.js'
import { postgresSkipReason, startPostgresServer, type PostgresServer } from '../../test/helpers/postgres-server.js'
import { type BenchContext, sizeLabel } from '../context.js'
import type { GeneratedCatalog } from '../generate.js'
import { median, repeat, timeNode, type TimedRun } from '../measure.js'
import { makeFigure } from '../results.js'
import { measureThroughput, type ThroughputResult } from './throughput.js'

/** One writer's compare-and-append rate, as a fraction of the floor it should reach. */
export const PG_CAA_TARGET = 0.8

const PG_FLOOR = join(import.meta.dirname, '..', 'pg-commit-floor.js')

/** The server version, or null when PostgreSQL figures were skipped. */
export async function postgresFigures(ctx: BenchContext, sqliteByWriters: Map<number, ThroughputResult>): Promise<string | null> {
  if (ctx.opts.pgWriters.length === 0) {
    ctx.skip('PostgreSQL figures', 'disabled (BENCH_PG_WRITERS is empty)')
    return null
  }
  let reason: string | undefined
  try {
    reason = postgresSkipReason()
  } catch (err) {
    reason = (err as Error).message
  }
  if (reason !== undefined) {
    ctx.skip('PostgreSQL figures', reason)
    return null
  }
  let server: PostgresServer | undefined
  try {
    server = await startPostgresServer()
    // Statement counts come from pg_stat_statements, which must be loaded at server start.
    server.psql("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'")
    server.stop()
    server.start()
    server.psql('CREATE EXTENSION pg_stat_statements')
    for (const n of ctx.opts.pgWriters) await caaFigure(ctx, server, n, sqliteByWriters.get(n))
    await postgresDump(ctx, server)
    return server.version
  } catch (err) {
    ctx.skip('PostgreSQL figures (some)', `failed: ${(err as Error).message.split('\n')[0]}`)
    return server?.version ?? null
  } finally {
    server?.dispose()
  }
}

/** The floor's commits per second, on a fresh database of `server`. */
async function floorRate(ctx: BenchContext, server: PostgresServer): Promise<number> {
  const url = server.createDatabase('bench_floor')
  const r = await timeNode(PG_FLOOR, [url, String(ctx.opts.caaSeconds * 1000)], { captureStdout: true })
  if (r.code !== 0) throw new Error(`PostgreSQL commit floor exited with ${r.code ?? r.signal}: ${r.stderr.trim()}`)
  return Number(r.stdout.trim()) / ctx.opts.caaSeconds
}

/** The database name of a URL made by `createDatabase`. */
function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1))
}

/** Statements run in `db` since the last reset, and transactions the server rolled back there. */
function serverCounters(server: PostgresServer, db: string): { statements: number; rollbacks: number } {
  const out = server.psql(
    `SELECT (SELECT COALESCE(SUM(calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '${db}'),
       (SELECT xact_rollback FROM pg_stat_database WHERE datname = '${db}')`,
  )
  const [statements, rollbacks] = out.split('|').map(Number)
  return { statements: statements ?? Number.NaN, rollbacks: rollbacks ?? Number.NaN }
}

/** Floor and store runs alternate this many times per writer count (medians), so a load swing hits both. */
const CAA_ROUNDS = 3

async function caaFigure(ctx: BenchContext, server: PostgresServer, n: number, sqlite: ThroughputResult | undefined): Promise<void> {
  const url = server.createDatabase('bench')
  const db = databaseOf(url)
  const created = await openStore(url, { create: true })
  await created.close()
  const rounds = Math.max(1, Math.min(CAA_ROUNDS, ctx.opts.reps))
  const floors: number[] = []
  const runs: ThroughputResult[] = []
  let statements = 0
  let rollbacks = 0
  for (let round = 0; round < rounds; round++) {
    floors.push(await floorRate(ctx, server))
    runs.push(
      await measureThroughput(url, n, ctx.opts.caaSeconds, () => {
        server.psql('SELECT pg_stat_reset()', db)
        server.psql('SELECT pg_stat_statements_reset()')
      }),
    )
    // A backend reports its counters when its session ends, which can trail the writer's exit.
    let counters = serverCounters(server, db)
    for (let i = 0; i < 10; i++) {
      await new Promise((resolve) => setTimeout(resolve, 300))
      const again = serverCounters(server, db)
      if (again.statements === counters.statements && again.rollbacks === counters.rollbacks) break
      counters = again
    }
    statements += counters.statements
    rollbacks += counters.rollbacks
  }
  const sum = (f: (r: ThroughputResult) => number): number => runs.reduce((a, r) => a + f(r), 0)
  const commits = sum((r) => r.commits)
  const per = Math.max(commits, 1)
  const details = {
    statementsPerCommit: statements / per,
    serializationAbortsPerCommit: rollbacks / per,
    mismatchesPerCommit: sum((r) => r.mismatches) / per,
    busyPerCommit: sum((r) => r.busy) / per,
    floorStatementsPerCommit: 5,
  }
  const rates = runs.map((r) => r.commitsPerSecond)
  const vsSqlite = sqlite === undefined ? '' : `; SQLite, same writers: ${sqlite.commitsPerSecond.toFixed(0)} commits/s`
  ctx.add(
    makeFigure({
      id: `caa-postgres-${n}w`,
      figure: `compare-and-append, PostgreSQL, ${n} writer${n === 1 ? '' : 's'}`,
      value: median(rates),
      unit: 'commits/s',
      baseline: { name: 'standalone single-row compare-and-set, 5 statements, 1 process', value: median(floors), unit: 'commits/s' },
      better: 'higher',
      target: n === 1 ? PG_CAA_TARGET : null,
      reps: rounds,
      details,
      note:
        `rounds (floor, store): ${floors.map((f, i) => `${f.toFixed(0)}/${rates[i]!.toFixed(0)}`).join(', ')} commits/s; ` +
        `${commits} commits, ${details.statementsPerCommit.toFixed(2)} statements/commit; per commit ` +
        `${details.serializationAbortsPerCommit.toFixed(3)} serialization aborts (retried), ${details.mismatchesPerCommit.toFixed(3)} upper mismatches, ` +
        `${sum((r) => r.busy)} busy; latency p50 ${median(runs.map((r) => r.p50Ms)).toFixed(1)} ms, p99 ${median(runs.map((r) => r.p99Ms)).toFixed(1)} ms${vsSqlite}`,
    }),
  )
}

/** `dump -o ndjson` of the same catalog in PostgreSQL and in SQLite (size: at most 100k). */
async function postgresDump(ctx: BenchContext, server: PostgresServer): Promise<void> {
  const size = Math.max(...ctx.opts.sizes.filter((s) => s <= 100_000), ctx.smallest)
  const ds = await ctx.dataset(size)
  const url = server.createDatabase('bench_dump')
  await copyCatalog(ds, url)
  const reps = ctx.dumpReps(size)
  const run = (store: string) => (): Promise<TimedRun> =>
    timeNode(ctx.cliBin, ['--store', store, 'dump', '-o', 'ndjson'], { env: ctx.cliEnv })
  await ctx.warmup(run(url))
  const pg: number[] = []
  const sq: number[] = []
  for (let i = 0; i < reps; i++) {
    sq.push((await repeat(1, 'dump (SQLite)', run(ds.storePath)))[0]!.wallMs)
    pg.push((await repeat(1, 'dump (PostgreSQL)', run(url)))[0]!.wallMs)
  }
  ctx.add(
    makeFigure({
      id: `dump-ndjson-postgres@${size}`,
      figure: `dump -o ndjson, PostgreSQL, ${sizeLabel(size)} updates`,
      value: median(pg),
      unit: 'ms',
      baseline: { name: 'the same on SQLite', value: median(sq), unit: 'ms' },
      better: 'lower',
      target: null,
      reps,
    }),
  )
}

/** Copies a generated catalog (both shards, the critical since) into another store. */
async function copyCatalog(ds: GeneratedCatalog, url: string): Promise<void> {
  const shards = catalogShardIds(ds.organizationId)
  const src = await openStore(ds.storePath, { readOnly: true })
  const dst = await openStore(url, { create: true, lookup: rowLookup })
  try {
    const upper = await src.fetchRecentUpper(shards.catalog)
    if (upper === null) throw new Error('generated catalog shard is finished')
    const rows = await src.snapshot(shards.catalog, upper - 1n, { keepTimestamps: true })
    await dst.openShard(shards.catalog, catalogShardDiagnostics(ds.organizationId))
    await openCriticalSince(dst, shards.catalog)
    await dst.openShard(shards.upgrade, upgradeShardDiagnostics(ds.organizationId))
    const up = await dst.compareAndAppend(shards.upgrade, [], 0n, 1n)
    const res = await dst.compareAndAppend(shards.catalog, rows, 0n, upper)
    if (!up.ok || !res.ok) throw new Error('copying the catalog into PostgreSQL lost a compare-and-append')
    await downgradeCriticalSince(dst, shards.catalog, upper)
  } finally {
    await src.close()
    await dst.close()
  }
}
