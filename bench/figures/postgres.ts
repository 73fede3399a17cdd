/**
 * PostgreSQL beside SQLite, when a throwaway server can be started (Debian's `postgresql`
 * package; `test/helpers/postgres-server.ts`): compare-and-append throughput with 1, 4 and 16
 * writers, and `dump -o ndjson` of the same catalog, each as a ratio to SQLite measured in the
 * same run. Informational: no targets. The server runs with fsync off (it is thrown away), so
 * its commit rate is an upper bound; SQLite's runs with synchronous=FULL.
 */
import { rowLookup } from '../../src/catalog/codec/row-codec.js'
import { catalogShardDiagnostics, catalogShardIds, upgradeShardDiagnostics } from '../../src/catalog/catalog-shards.js'
import { downgradeCriticalSince, openCriticalSince } from '../../src/catalog/critical-since.js'
import { openStore } from '../../src/store/open-store.js'
import { postgresSkipReason, startPostgresServer, type PostgresServer } from '../../test/helpers/postgres-server.js'
import { type BenchContext, sizeLabel } from '../context.js'
import type { GeneratedCatalog } from '../generate.js'
import { median, repeat, timeNode, type TimedRun } from '../measure.js'
import { makeFigure } from '../results.js'
import { measureThroughput, newSqliteStore, type ThroughputResult } from './throughput.js'

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
    for (const n of ctx.opts.pgWriters) {
      let sqlite = sqliteByWriters.get(n)
      if (sqlite === undefined) {
        const s = await newSqliteStore(ctx, `caa-pg-cmp-${n}`)
        try {
          sqlite = await measureThroughput(s.path, n, ctx.opts.caaSeconds)
        } finally {
          s.dispose()
        }
      }
      const url = server.createDatabase('bench')
      const created = await openStore(url, { create: true })
      await created.close()
      const pg = await measureThroughput(url, n, ctx.opts.caaSeconds)
      ctx.add(
        makeFigure({
          id: `caa-postgres-${n}w`,
          figure: `compare-and-append, PostgreSQL, ${n} writer${n === 1 ? '' : 's'}`,
          value: pg.commitsPerSecond,
          unit: 'commits/s',
          baseline: { name: `SQLite, ${n} writer${n === 1 ? '' : 's'}`, value: sqlite.commitsPerSecond, unit: 'commits/s' },
          better: 'higher',
          target: null,
          reps: 1,
          note: `${pg.commits} commits, ${pg.mismatches} mismatches, ${pg.busy} busy; latency p50 ${pg.p50Ms.toFixed(1)} ms, p99 ${pg.p99Ms.toFixed(1)} ms`,
        }),
      )
    }
    await postgresDump(ctx, server)
    return server.version
  } catch (err) {
    ctx.skip('PostgreSQL figures (some)', `failed: ${(err as Error).message.split('\n')[0]}`)
    return server?.version ?? null
  } finally {
    server?.dispose()
  }
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
