/**
 * One summary row per scenario (the table `docs/reliability.md` publishes, after the reliability
 * test plan's "What to publish per run"), plus what the suite adds: the invariants a row broke.
 */

export interface Latency {
  readonly p50: number
  readonly p99: number
  readonly max: number
}

export interface ScenarioRow {
  readonly scenario: string
  readonly processes: number | string
  readonly iterations: number
  readonly seed: number
  readonly successes: number
  /** Upper mismatches (a lost race, expected under contention); null where not applicable. */
  readonly mismatches: number | null
  /** `StoreBusyError`s (or exit code 5) that reached the client. */
  readonly busySurfaced: number | null
  readonly lostAckedCommits: number | null
  readonly partialTxns: number | null
  readonly integrityFailures: number | null
  readonly linearizable: boolean | null
  /** Milliseconds. */
  readonly latency: Latency | null
  /** Every invariant the scenario found broken (empty: the row passes). */
  readonly violations: readonly string[]
  readonly notes: string
  readonly durationMs: number
}

export function latencyOf(ms: readonly number[]): Latency | null {
  if (ms.length === 0) return null
  const s = [...ms].sort((a, b) => a - b)
  const q = (x: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil(x * s.length) - 1))] as number
  return { p50: q(0.5), p99: q(0.99), max: s[s.length - 1] as number }
}

const dash = (v: number | string | null): string => (v === null ? '—' : String(v))

export function formatLatency(l: Latency | null): string {
  if (l === null) return '—'
  const f = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2))
  return `${f(l.p50)} / ${f(l.p99)} / ${f(l.max)} ms`
}

export function verdict(r: ScenarioRow): string {
  return r.violations.length === 0 ? 'ok' : `**FAIL** (${r.violations.length})`
}

export const TABLE_HEADER =
  '| scenario | processes | iterations | seed | successes | mismatches | busy surfaced | lost acked commits | partial txns | integrity failures | linearizable? | p50/p99/max latency | verdict | notes |\n' +
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |'

export function tableRow(r: ScenarioRow): string {
  const lin = r.linearizable === null ? '—' : r.linearizable ? 'yes' : '**no**'
  const notes = [r.notes, ...r.violations.slice(0, 3).map((v) => `violation: ${v}`)]
    .filter((s) => s !== '')
    .join('; ')
    .replace(/\|/g, '\\|')
  return `| ${r.scenario} | ${r.processes} | ${r.iterations} | ${r.seed} | ${r.successes} | ${dash(r.mismatches)} | ${dash(r.busySurfaced)} | ${dash(r.lostAckedCommits)} | ${dash(r.partialTxns)} | ${dash(r.integrityFailures)} | ${lin} | ${formatLatency(r.latency)} | ${verdict(r)} | ${notes} |`
}

/** One console line per row, as the suite runs. */
export function consoleRow(r: ScenarioRow): string {
  const parts = [
    `${r.scenario}`,
    `procs=${r.processes}`,
    `iter=${r.iterations}`,
    `ok=${r.successes}`,
    `mismatch=${dash(r.mismatches)}`,
    `busy=${dash(r.busySurfaced)}`,
    `lost=${dash(r.lostAckedCommits)}`,
    `partial=${dash(r.partialTxns)}`,
    `integrity=${dash(r.integrityFailures)}`,
    `linearizable=${r.linearizable === null ? '—' : r.linearizable}`,
    `latency=${formatLatency(r.latency)}`,
    `${(r.durationMs / 1000).toFixed(1)}s`,
    r.violations.length === 0 ? 'OK' : `FAIL: ${r.violations.slice(0, 3).join('; ')}`,
  ]
  return parts.join('  ')
}
