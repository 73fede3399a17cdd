/**
 * The results section of `docs/performance.md`. The harness rewrites only the part of the page
 * between the two marker comments below; everything else on the page (how to run the harness,
 * what is measured, sections others add) is written by hand and kept as it is.
 */
import { sizeLabel } from './context.js'
import type { AtScale, BenchResults, Figure } from './results.js'

const BEGIN_TAG = '<!-- results:begin'
const BEGIN = `${BEGIN_TAG} (written by npm run bench; edits between these markers are lost) -->`
const END = '<!-- results:end -->'

/** The page with its results section replaced (or appended, when the page has none yet). */
export function updatePerformancePage(page: string | null, r: BenchResults): string {
  const section = `${BEGIN}\n${renderResults(r)}${END}\n`
  if (page === null) return `# Performance\n\n${section}`
  const begin = page.indexOf(BEGIN_TAG)
  const end = page.indexOf(END)
  if (begin < 0 || end < begin) return `${page.trimEnd()}\n\n${section}`
  return `${page.slice(0, begin)}${section}${page.slice(end + END.length).replace(/^\n/, '')}`
}

function renderResults(r: BenchResults): string {
  const withTarget = r.figures.filter((f) => f.target !== null)
  const runs = [...new Set(r.figures.map((f) => f.measuredAt ?? r.startedAt))].sort()
  const met = withTarget.filter((f) => f.pass === true).length
  const atScale = r.figures.filter((f) => f.atScale !== undefined)
  const others = r.figures.filter((f) => f.atScale === undefined)
  const load =
    r.load === undefined
      ? ''
      : ` · load average (1, 5, 15 min) ${r.load.start.join(', ')} at the start, ${r.load.end.join(', ')} at the end`
  return `## Latest results

${r.startedAt} · ${(r.durationMs / 1000).toFixed(0)} s · commit ${r.commit ?? 'unknown'} · sizes ${r.config.sizes.map(sizeLabel).join(', ')} · seed ${r.config.seed}${load}

**Machine:** ${r.machine.cpus} CPUs (${r.machine.cpuModel}), Node ${r.machine.node}, SQLite ${r.machine.sqlite} (better-sqlite3 ${r.machine.betterSqlite3}), ${r.machine.os}${r.machine.postgres === null ? '' : `, PostgreSQL ${r.machine.postgres}`}. Shared with other work while measured.

**Targets met: ${met} of ${withTarget.length}.**${failing(withTarget)}${runs.length > 1 ? ` Figures come from ${runs.length} runs (${runs.join(', ')}); each figure and its baseline from the same run.` : ''}
${atScale.length === 0 ? '' : `\n${atScaleTable(atScale)}`}${others.length === 0 ? '' : `\n${othersTable(others)}`}
Datasets:

| dataset | updates | retractions | audit_log | storage_usage | item | id_alloc | store | fixture | generated in |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${r.datasets.map((d) => `| ${d.name} | ${d.updates} | ${d.retractions} | ${d.byKind.AuditLog ?? 0} | ${d.byKind.StorageUsage ?? 0} | ${d.byKind.Item ?? 0} | ${d.byKind.IdAlloc ?? 0} | ${mb(d.storeBytes)} | ${d.fixtureBytes === null ? '—' : mb(d.fixtureBytes)} | ${d.cached ? 'cached' : `${(d.generateMs / 1000).toFixed(1)} s`} |`).join('\n')}
${r.skipped.length === 0 ? '' : `\nNot measured in this run:\n\n${r.skipped.map((s) => `- ${s.figure}: ${s.reason}`).join('\n')}\n`}`
}

/**
 * One row per command, catalog and size: the time against its baseline, then peak RSS with its
 * two checks (growth over the smallest size from 100k, the limit from 1M).
 */
function atScaleTable(figures: readonly Figure[]): string {
  const key = (s: AtScale): string => `${s.command}|${s.catalog}|${s.size}`
  const checks = new Map<string, Figure>()
  for (const f of figures) if (f.atScale !== undefined && f.atScale.check !== 'time') checks.set(`${key(f.atScale)}|${f.atScale.check}`, f)
  const order = [...new Set(figures.map((f) => f.atScale?.command))]
  const catalogs = [...new Set(figures.map((f) => f.atScale?.catalog))]
  const times = figures
    .filter((f) => f.atScale?.check === 'time')
    .sort((a, b) => {
      const [x, y] = [a.atScale as AtScale, b.atScale as AtScale]
      return (
        order.indexOf(x.command) - order.indexOf(y.command) || catalogs.indexOf(x.catalog) - catalogs.indexOf(y.catalog) || x.size - y.size
      )
    })
  const rows = times.map((f) => {
    const s = f.atScale as AtScale
    const growth = checks.get(`${key(s)}|rss-growth`)
    const limit = checks.get(`${key(s)}|rss-limit`)
    const note = f.note === undefined ? '' : ` <br><sub>${f.note}</sub>`
    return `| ${s.command}${note} | ${s.catalog} | ${sizeLabel(s.size)} | ${num(f.value)} ms | ${num(f.baseline.value)} ms (${f.baseline.name}) | ${f.ratio.toFixed(2)}× | ${target(f)} | ${mib(f.peakRssKb ?? null)} | ${growth === undefined ? '—' : `${growth.ratio.toFixed(2)}× ${met(growth)}`} | ${limit === undefined ? '—' : met(limit)} | ${load(f)} |`
  })
  return `Every command at scale (peak RSS: at most +25 % over the same at 100k, and at most 256 MiB from 1M):

| command | catalog | updates | time | baseline | ratio | target: met? | peak RSS | RSS vs 100k | RSS ≤256 MiB | load |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
`
}

function othersTable(figures: readonly Figure[]): string {
  const rss = figures.filter((f) => f.peakRssKb !== undefined)
  return `Other figures:

| figure | value | baseline | ratio | target: met? | load |
| --- | --- | --- | --- | --- | --- |
${figures.map(figureRow).join('\n')}
${
  rss.length === 0
    ? ''
    : `
| figure | peak RSS | baseline peak RSS |
| --- | --- | --- |
${rss.map((f) => `| ${f.figure} | ${mib(f.peakRssKb ?? null)} | ${mib(f.baselinePeakRssKb ?? null)} |`).join('\n')}
`
}`
}

function failing(figures: readonly Figure[]): string {
  const no = figures.filter((f) => f.pass === false)
  return no.length === 0
    ? ''
    : ` Not met: ${no.map((f) => `${f.figure} (${f.ratio.toFixed(2)}×, target ${f.better === 'lower' ? '≤' : '≥'}${f.target}×)`).join('; ')}.`
}

function target(f: Figure): string {
  return f.target === null ? '—' : `${f.better === 'lower' ? '≤' : '≥'}${f.target}×: ${met(f)}`
}

function met(f: Figure): string {
  return f.pass === null ? '—' : f.pass ? 'yes' : '**no**'
}

function load(f: Figure): string {
  return f.load === undefined ? '—' : f.load.toFixed(1)
}

function figureRow(f: Figure): string {
  const note = f.note === undefined ? '' : ` <br><sub>${f.note}</sub>`
  return `| ${f.figure}${note} | ${num(f.value)} ${f.unit} | ${num(f.baseline.value)} ${f.baseline.unit} (${f.baseline.name}) | ${f.ratio.toFixed(2)}× | ${target(f)} | ${load(f)} |`
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
