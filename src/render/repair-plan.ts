/**
 * `repair`: the plan for people (each repair with its reason, the finding it answers and its
 * updates as `-`/`+` lines, then what is left and why) or as the plan document (`-o json`, the
 * format `--plan-out` saves and `--apply` reads).
 */
import type { ChalkInstance } from 'chalk'
import { planToJson, type ApplyResult, type RepairPlan } from '../catalog/repair/index.js'
import { jsonDocument, reportRecords, type JsonFormat } from './json-text.js'

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

export function renderRepairPlan(p: RepairPlan, format: 'text' | JsonFormat, color: ChalkInstance): string {
  if (format === 'ndjson') {
    return reportRecords('repair-plan', planToJson(p), {
      repairs: 'repair',
      not_repaired: 'not-repaired',
      also_resolved: 'also-resolved',
      updates: 'update',
      after: 'after',
    })
  }
  if (format !== 'text') return jsonDocument(planToJson(p), format)
  const epoch = p.epoch === undefined ? '' : `; epoch ${p.epoch.from} → ${p.epoch.to}`
  const lines = [
    `repair plan for organization ${p.organizationId} (shard ${p.shardId}): catalog version ${p.catalogVersion}, made at upper ${p.upper}${epoch}`,
  ]
  p.repairs.forEach((r, i) => {
    lines.push(`${color.bold(`repair ${i + 1}`)} [${r.action}] ${r.reason}`)
    for (const f of r.answers) lines.push(`    answers ${f.severity} [${f.check}] ${f.message}`)
    for (const u of r.updates) {
      const sign = u.diff > 0n ? color.green(u.diff === 1n ? '+' : `+${u.diff}`) : color.red(u.diff === -1n ? '-' : `${u.diff}`)
      lines.push(`    ${sign} ${u.data}`)
    }
  })
  if (p.alsoResolved.length > 0) {
    lines.push(`also resolved by these repairs (${p.alsoResolved.length}):`)
    for (const f of p.alsoResolved) lines.push(`  ${f.severity} [${f.check}] ${f.message}`)
  }
  if (p.unrepaired.length > 0) {
    lines.push(`not repaired (${p.unrepaired.length}):`)
    for (const u of p.unrepaired) {
      const severity = u.finding.severity === 'error' ? color.red('error') : color.yellow('warning')
      lines.push(`  ${severity} [${u.finding.check}] ${u.finding.message}`)
      for (const row of u.finding.rows) lines.push(`    row: ${row}`)
      lines.push(`    why: ${u.why}`)
    }
  }
  const answered = p.repairs.reduce((n, r) => n + r.answers.length, 0) + p.alsoResolved.length
  lines.push(
    p.updates.length === 0
      ? `nothing to repair${p.unrepaired.length === 0 ? '' : `; ${plural(p.unrepaired.length, 'finding')} not repaired`}`
      : `plan: ${plural(p.repairs.length, 'repair')} answering ${plural(answered, 'finding')}, ${plural(p.updates.length, 'update')} in one write` +
          (p.unrepaired.length === 0 ? '' : `; ${plural(p.unrepaired.length, 'finding')} not repaired`),
  )
  return `${lines.join('\n')}\n`
}

/** The line after the write. */
export function renderApplyOutcome(p: RepairPlan, r: ApplyResult): string {
  const epoch = p.epoch === undefined ? '' : `, epoch ${p.epoch.from} → ${p.epoch.to}`
  return r.alreadyApplied
    ? `the plan was already applied (upper ${r.upper - 1n} → ${r.upper}${epoch}); nothing new written`
    : `repair applied: ${plural(r.updates, 'update')} in one write (upper ${p.upper} → ${r.upper}${epoch})`
}
