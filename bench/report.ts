/** Renders `docs/performance.md` from a results document. */
import { sizeLabel } from './context.js'
import { COMMAND_TARGET, RSS_GROWTH_TARGET, RSS_LIMIT_MIB } from './figures/commands.js'
import { DUMP_TARGET } from './figures/dump.js'
import { SCALE_TARGET } from './figures/scale.js'
import { STARTUP_TARGET } from './figures/startup.js'
import { UPGRADE_TARGET } from './figures/upgrade.js'
import type { BenchResults, Figure } from './results.js'

export function renderPerformancePage(r: BenchResults): string {
  const withTarget = r.figures.filter((f) => f.target !== null)
  const runs = [...new Set(r.figures.map((f) => f.measuredAt ?? r.startedAt))].sort()
  const met = withTarget.filter((f) => f.pass === true).length
  return `# Performance

Every figure below is a **ratio against a baseline measured in the same run, on the same data**,
so the figures mean the same on a laptop and on a loaded CI machine. The harness is \`bench/\`; it
writes \`bench/results.json\` and regenerates this page.

## Running

\`\`\`sh
npm run bench                                   # all sizes: 10k, 100k and 1M updates
BENCH_SIZES=10000 npm run bench                 # a quick run (about a minute)
BENCH_SIZES=10000,100000 BENCH_PG_WRITERS= npm run bench   # without PostgreSQL
node build/bench/generate.js --size 100000 --variant v42  # only generate (and cache) a catalog (v47, v42 or audit)
BENCH_SIZES=100000 BENCH_FIGURES=commands,startup npm run bench   # every command at 100k, and start-up
\`\`\`

| knob | default | meaning |
| --- | --- | --- |
| \`BENCH_SIZES\` | \`10000,100000,1000000\` | catalog sizes (shard updates) to generate and measure; add \`10000000\` for the 10M figures (generating it takes long) |
| \`BENCH_REPS\` | \`5\` | repetitions of dumps below 100k (3 at 100k, 1 at 1M); short figures run 2×REPS+1 times; values are medians |
| \`BENCH_SEED\` | \`1\` | generator seed |
| \`BENCH_WRITERS\` | \`1,2,4,8\` | writer processes for the SQLite compare-and-append throughput |
| \`BENCH_PG_WRITERS\` | \`1,4,16\` | writer processes for PostgreSQL beside SQLite; empty skips PostgreSQL |
| \`BENCH_CAA_SECONDS\` | \`3\` | how long each throughput configuration runs |
| \`BENCH_FIXTURES\` | \`1\` | also write each generated catalog as an NDJSON fixture |
| \`BENCH_RESULTS\` | \`bench/results.json\` | where the results go (\`BENCH_DOCS=0\` leaves this page alone) |
| \`BENCH_FIGURES\` | all | figure groups to measure: \`dump\`, \`scale\`, \`commands\`, \`upgrade\`, \`startup\`, \`caa\`, \`postgres\` |
| \`BENCH_MERGE\` | \`0\` | \`1\`: keep the figures of the existing results file that this run does not measure (each figure still has its baseline from its own run) |

The harness runs from a private copy of \`build/\` (under \`bench/data/\`), so a rebuild by someone
else during a long run cannot break the command-line processes it spawns. Generated catalogs are cached in \`bench/data/\` (git-ignored), keyed by variant, size, seed and
generator version; a 1M-update catalog takes a few minutes to generate once. \`test/bench-smoke.test.ts\`
runs the whole harness at 1k/2k updates, one repetition, into a temporary directory (it checks the
shape of the results, never the timings).

## What is measured

| figure | baseline | target |
| --- | --- | --- |
| \`dump --stats-only\` and \`dump -o ndjson\` (the real command line in a child process, stdout to /dev/null), with peak RSS | the **floor scan**: bare better-sqlite3 reading every update row of the catalog shard and \`JSON.parse\` + \`JSON.stringify\` of each, in a child process | ≤${DUMP_TARGET}× at 1M |
| \`epoch\`, \`edit\`, \`delete\` on the largest catalog (on a private copy) | the same command on the smallest catalog | ≤${SCALE_TARGET}× |
| \`upgrade-check\` of a version-42 catalog at the largest size | the floor scan of that store | ≤${UPGRADE_TARGET}× |
| \`export\`, \`export --consolidated\`, \`import\`, \`copy\` (with its verifying diff), \`diff\`, \`verify\`, \`dump --consolidate\` of the generated deployment catalog and of an audit-heavy one (\`--variant audit\`: objects come and go, their audit events stay), at each size from 100k | the floor scan of the same store, interleaved run by run | ≤${COMMAND_TARGET}× at 1M |
| peak RSS of each of those commands | the same command's peak RSS at the next smaller size | ≤${RSS_GROWTH_TARGET}×, and ≤${RSS_LIMIT_MIB} MiB at 1M |
| start-up of \`--help\`, \`--version\` and \`epoch\`, as shipped (the esbuild bundle of \`scripts/bundle.mjs\`) | bare \`node\` importing yargs and parsing the same arguments | ≤${STARTUP_TARGET}× |
| compare-and-append throughput, 1/2/4/8 writer processes racing on one shard | bare better-sqlite3 one-row read-then-write transactions (WAL, synchronous=FULL), one process | informational |
| PostgreSQL beside SQLite: throughput with 1/4/16 writers, \`dump -o ndjson\` | the same on SQLite | informational |

Every figure records the machine's 1-minute load average when it was taken (the \`load\` column):
the machine is shared, and a ratio taken at load 20 on 2 CPUs says less than one taken idle.

Times are wall-clock from spawn to exit, so node's start-up is in every figure and every
baseline alike. Peak RSS comes from GNU \`time\` (\`%M\`). The command line runs from the test build
(\`build/test/helpers/cli-bin.js\`, the same code \`npm run build\` puts in \`dist/\`).

The catalogs come from \`bench/generate.ts\`: a seeded simulation of a deployment's life, starting
from the rows the catalog core writes on initialisation, then DDL sessions (items created in
batches, dropped and re-created the way dbt does, renamed, re-owned and granted; roles and role
grants; clusters; scheduled replicas coming and going; comments), storage-usage collections with
retention, restarts (epoch bumps) and the v44→v47 migrations' config churn (the v42 variant keeps
v42 shapes throughout, for \`upgrade-check\`). Every catalog transaction also updates the id
allocators it used, so edits and allocations leave ±1 churn; the audit log is the largest
collection. Rows are encoded by the catalog's own encoder and written through the store API in
batched compare-and-appends.

## Latest results

${r.startedAt} · ${(r.durationMs / 1000).toFixed(0)} s · sizes ${r.config.sizes.map(sizeLabel).join(', ')} · seed ${r.config.seed}

**Machine:** ${r.machine.cpus} CPUs (${r.machine.cpuModel}), Node ${r.machine.node}, SQLite ${r.machine.sqlite} (better-sqlite3 ${r.machine.betterSqlite3}), ${r.machine.os}${r.machine.postgres === null ? '' : `, PostgreSQL ${r.machine.postgres}`}. Shared with other work while measured.

**Targets met: ${met} of ${withTarget.length}.**${failing(withTarget)}${runs.length > 1 ? ` Figures come from ${runs.length} runs (${runs.join(', ')}); each figure and its baseline from the same run.` : ''}

| figure | value | baseline | ratio | target | met? | load |
| --- | --- | --- | --- | --- | --- | --- |
${r.figures.map(figureRow).join('\n')}

Peak RSS (dumps and upgrade-check vs the floor scan):

| figure | peak RSS | floor peak RSS |
| --- | --- | --- |
${r.figures
  .filter((f) => f.peakRssKb !== undefined)
  .map((f) => `| ${f.figure} | ${mib(f.peakRssKb ?? null)} | ${mib(f.baselinePeakRssKb ?? null)} |`)
  .join('\n')}

Datasets:

| dataset | updates | retractions | audit_log | storage_usage | item | id_alloc | store | fixture | generated in |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${r.datasets.map((d) => `| ${d.name} | ${d.updates} | ${d.retractions} | ${d.byKind.AuditLog ?? 0} | ${d.byKind.StorageUsage ?? 0} | ${d.byKind.Item ?? 0} | ${d.byKind.IdAlloc ?? 0} | ${mb(d.storeBytes)} | ${d.fixtureBytes === null ? '—' : mb(d.fixtureBytes)} | ${d.cached ? 'cached' : `${(d.generateMs / 1000).toFixed(1)} s`} |`).join('\n')}
${r.skipped.length === 0 ? '' : `\nNot measured in this run:\n\n${r.skipped.map((s) => `- ${s.figure}: ${s.reason}`).join('\n')}\n`}`
}

function failing(figures: readonly Figure[]): string {
  const no = figures.filter((f) => f.pass === false)
  return no.length === 0
    ? ''
    : ` Not met: ${no.map((f) => `${f.figure} (${f.ratio.toFixed(2)}×, target ${f.better === 'lower' ? '≤' : '≥'}${f.target}×)`).join('; ')}.`
}

function figureRow(f: Figure): string {
  const target = f.target === null ? '—' : `${f.better === 'lower' ? '≤' : '≥'}${f.target}×`
  const met = f.pass === null ? '—' : f.pass ? 'yes' : '**no**'
  const note = f.note === undefined ? '' : ` <br><sub>${f.note}</sub>`
  return `| ${f.figure}${note} | ${num(f.value)} ${f.unit} | ${num(f.baseline.value)} ${f.baseline.unit} (${f.baseline.name}) | ${f.ratio.toFixed(2)}× | ${target} | ${met} | ${f.load === undefined ? '—' : f.load.toFixed(1)} |`
}

function num(n: number): string {
  return n >= 100 ? Math.round(n).toString() : n.toFixed(1)
}

function mib(kb: number | null): string {
  return kb === null ? '—' : `${(kb / 1024).toFixed(0)} MiB`
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`
}
