/**
 * `verify`: one line about the catalog checked, then every finding (severity, check, message and
 * the stored rows involved), then the counts. JSON is the whole report.
 */
import type { ChalkInstance } from 'chalk'
import type { JsonObject } from '../json/lossless-json.js'
import type { VerifyReport } from '../catalog/verify/index.js'
import { jsonDocument, reportRecords, type JsonFormat } from './json-text.js'

export function verifyReportJson(r: VerifyReport): JsonObject {
  return {
    ok: r.ok,
    organization_id: r.organizationId,
    shard_id: r.shardId,
    catalog_version: BigInt(r.catalogVersion),
    rows: BigInt(r.rows),
    upper: r.upper,
    since: r.since,
    checks: [...r.checks],
    counts: { errors: BigInt(r.counts.errors), warnings: BigInt(r.counts.warnings) },
    findings: r.findings.map((f) => ({ check: f.check, severity: f.severity, message: f.message, rows: [...f.rows] })),
  }
}

function frontier(f: bigint | null): string {
  return f === null ? '[]' : f.toString()
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

export function renderVerifyReport(r: VerifyReport, format: 'text' | JsonFormat, color: ChalkInstance): string {
  if (format === 'ndjson') return reportRecords('verify', verifyReportJson(r), { findings: 'finding' })
  if (format !== 'text') return jsonDocument(verifyReportJson(r), format)
  const lines = [
    `catalog of organization ${r.organizationId} (shard ${r.shardId}): catalog version ${r.catalogVersion}, ` +
      `${plural(r.rows, 'row')}, upper ${frontier(r.upper)}, since ${frontier(r.since)}; ${plural(r.checks.length, 'check')}`,
  ]
  for (const f of r.findings) {
    const severity = f.severity === 'error' ? color.red('error') : color.yellow('warning')
    lines.push(`${severity} [${f.check}] ${f.message}`)
    for (const row of f.rows) lines.push(`    row: ${row}`)
  }
  lines.push(
    r.findings.length === 0
      ? 'ok: no findings'
      : `${r.ok ? 'ok' : 'failed'}: ${plural(r.counts.errors, 'error')}, ${plural(r.counts.warnings, 'warning')}`,
  )
  return `${lines.join('\n')}\n`
}
