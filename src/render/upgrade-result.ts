/**
 * `upgrade`: the plan shown before the write (each migration step and what it changes, as value
 * diffs), and the outcome (one line, or JSON with the steps).
 */
import type { ChalkInstance } from 'chalk'
import { displayJson, type JsonObject } from '../json/lossless-json.js'
import { jsonDocument, jsonLine, type JsonFormat } from './json-text.js'
import { upgradeRecords, upgradeStepsJson, type UpgradeReportView } from './upgrade-report.js'
import { renderValueDiff } from './value-diff.js'

export interface UpgradeOutcome {
  /** Exact (a u64 `user_version`); `null` when the catalog has none. */
  readonly fromVersion: number | bigint | null
  readonly toVersion: number
  readonly steps: UpgradeReportView['steps']
  readonly committed: boolean
  readonly dryRun: boolean
  /** The epoch the writable open took (absent when nothing was committed). */
  readonly epoch?: bigint
}

function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n')
}

/** The migrations about to be committed, for stderr. */
export function renderUpgradePlan(
  steps: UpgradeReportView['steps'],
  from: number | bigint | null,
  to: number,
  color: ChalkInstance,
): string {
  const lines = [`upgrade from catalog version ${from ?? 'unknown'} to ${to}:`]
  for (const s of steps) {
    lines.push(`  step ${s.from} → ${s.to}: ${s.changes.length} change${s.changes.length === 1 ? '' : 's'}`)
    for (const c of s.changes) {
      const mark = c.action === 'insert' ? color.green('+') : c.action === 'delete' ? color.red('-') : '~'
      lines.push(`    ${mark} ${c.collection} ${jsonLine(c.key)}`)
      const before = c.action === 'insert' || c.before === null ? undefined : c.before
      const after = c.action === 'delete' || c.after === null ? undefined : c.after
      const diff = c.action === 'update' ? renderValueDiff(before, after, color) : undefined
      if (diff !== undefined) lines.push(indent(diff, '      '))
      else if (c.action === 'insert' && after !== undefined) lines.push(indent(color.green(displayJson(after)), '      '))
      else if (c.action === 'delete' && before !== undefined) lines.push(indent(color.red(displayJson(before)), '      '))
    }
  }
  return lines.join('\n')
}

export function renderUpgradeOutcome(o: UpgradeOutcome, format: 'text' | JsonFormat): string {
  if (format !== 'text') {
    const doc: JsonObject = {
      from_version: o.fromVersion === null ? null : BigInt(o.fromVersion),
      to_version: BigInt(o.toVersion),
      committed: o.committed,
      dry_run: o.dryRun,
      epoch: o.epoch ?? null,
      steps: upgradeStepsJson(o.steps),
    }
    return format === 'ndjson' ? upgradeRecords('upgrade', doc) : jsonDocument(doc, format)
  }
  if (o.steps.length === 0) return `catalog version ${o.fromVersion ?? 'unknown'}: nothing to upgrade\n`
  const what = `from catalog version ${o.fromVersion ?? 'unknown'} to ${o.toVersion} (${o.steps.length} step${o.steps.length === 1 ? '' : 's'})`
  return o.committed ? `upgraded ${what}; epoch ${o.epoch}\n` : `would upgrade ${what}\n`
}
