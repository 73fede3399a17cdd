/**
 * `upgrade-check`: Materialize's success line, or every reason it would fail; JSON is the whole
 * report (steps with their changes, errors, timing).
 *
 * The line is built as Materialize's tool builds it (`src/catalog-debug/src/main.rs`):
 * `catalog upgrade from {last_seen_version} to {BUILD_INFO.human_version()} would succeed in about
 * {ms} ms`, where the last seen version is the `catalog_content_version` setting (`new` when
 * absent) and the milliseconds are whole (Rust's `as_millis` truncates).
 */
import type { JsonObject, JsonValue } from '../json/lossless-json.js'
import { jsonDocument, reportRecords, type JsonFormat } from './json-text.js'

export interface UpgradeChangeView {
  readonly action: string
  readonly collection: string
  readonly key: JsonValue
  readonly before: JsonValue | null | undefined
  readonly after: JsonValue | null | undefined
}

export interface UpgradeReportView {
  readonly ok: boolean
  readonly fromVersion: number | bigint | null
  readonly toVersion: number | bigint
  readonly buildVersion: string
  readonly humanVersion: string
  readonly lastSeenVersion: string
  readonly steps: readonly {
    readonly from: number | bigint
    readonly to: number | bigint
    readonly changes: readonly UpgradeChangeView[]
  }[]
  readonly errors: readonly string[]
  readonly durationMs: number
}

function int(n: number | bigint | null): bigint | null {
  return n === null ? null : BigInt(n)
}

export function upgradeReportJson(r: UpgradeReportView): JsonObject {
  return {
    ok: r.ok,
    from_version: int(r.fromVersion),
    to_version: int(r.toVersion),
    build_version: r.buildVersion,
    human_version: r.humanVersion,
    last_seen_version: r.lastSeenVersion,
    duration_ms: BigInt(Math.round(r.durationMs)),
    steps: upgradeStepsJson(r.steps),
    errors: [...r.errors],
  }
}

/** The migration steps with their changes, as `upgrade-check` and `upgrade` print them. */
export function upgradeStepsJson(steps: UpgradeReportView['steps']): JsonValue[] {
  return steps.map((s) => ({
    from: BigInt(s.from),
    to: BigInt(s.to),
    changes: s.changes.map((c) => ({
      action: c.action,
      collection: c.collection,
      key: c.key,
      before: c.before ?? null,
      after: c.after ?? null,
    })),
  }))
}

/**
 * NDJSON of a report with migration steps: the report's line, then per step a `step` line
 * (`from`, `to`) followed by one `change` line per change.
 */
export function upgradeRecords(type: string, doc: JsonObject): string {
  const flat: JsonValue[] = []
  for (const s of (doc.steps ?? []) as JsonObject[]) {
    flat.push({ kind: 'step', from: s.from ?? null, to: s.to ?? null })
    for (const c of (s.changes ?? []) as JsonObject[]) flat.push({ kind: 'change', step_from: s.from ?? null, step_to: s.to ?? null, ...c })
  }
  const { steps: _steps, ...rest } = doc
  const head = reportRecords(type, rest, {})
  return (
    head +
    flat
      .map((r) => {
        const { kind, ...fields } = r as JsonObject
        return jsonDocument({ type: kind as string, ...fields }, 'ndjson')
      })
      .join('')
  )
}

export function renderUpgradeReport(r: UpgradeReportView, format: 'text' | JsonFormat): string {
  if (format === 'ndjson') return upgradeRecords('upgrade-check', upgradeReportJson(r))
  if (format !== 'text') return jsonDocument(upgradeReportJson(r), format)
  if (r.ok) return `${upgradeSuccessLine(r)}\n`
  return `catalog upgrade from ${r.lastSeenVersion} to ${r.humanVersion} would fail:\n${r.errors.map((e) => `  - ${e}\n`).join('')}`
}

/** Materialize's success line, without the newline. */
export function upgradeSuccessLine(r: Pick<UpgradeReportView, 'lastSeenVersion' | 'humanVersion' | 'durationMs'>): string {
  return `catalog upgrade from ${r.lastSeenVersion} to ${r.humanVersion} would succeed in about ${Math.floor(r.durationMs)} ms`
}

/** One line per migration step, for --verbose. */
export function upgradeStepSummary(r: UpgradeReportView): string[] {
  return r.steps.map((s) => `step ${s.from} → ${s.to}: ${s.changes.length} change${s.changes.length === 1 ? '' : 's'}`)
}
