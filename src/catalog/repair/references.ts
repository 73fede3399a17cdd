/**
 * References to missing objects. There are two fixes and the operator chooses; nothing is guessed:
 * - `--remove-dangling`: remove the object that refers to the missing one. What depends on the
 *   removed object then refers to a missing object too, and is removed in the next round of
 *   planning, so the plan removes the dangling object and everything that depends on it.
 * - `--repoint KIND:OLD=NEW`: rewrite the references of KIND to the missing OLD so that they name
 *   the existing NEW (database, schema and cluster ids; role ids as owner, grantee, grantor, role
 *   and member).
 */

import { UsageError } from '../../errors.js'
import { canonicalJson, isJsonObject, type JsonObject, type JsonValue } from '../../json/lossless-json.js'
import { encodeRow, type CollectionRow } from '../codec/row-codec.js'
import type { CollectionName } from '../kinds/collections.js'
import { cloneJson } from '../upgrade/migration.js'
import type { Finding } from '../verify/findings.js'
import type { Repoint, RepointKind } from './plan.js'
import { idFromText, idText, removeRow, replaceRow, type RepairContext, type RepairModule } from './repair-context.js'

/** The fields that hold references of each kind. */
const FIELDS: { readonly [K in RepointKind]: ReadonlySet<string> } = {
  database: new Set(['database_id']),
  schema: new Set(['schema_id']),
  cluster: new Set(['cluster_id']),
  role: new Set(['owner_id', 'grantee', 'grantor', 'role_id']),
}

const TARGETS: { readonly [K in RepointKind]: CollectionName } = {
  database: 'database',
  schema: 'schema',
  cluster: 'compute_instance',
  role: 'role',
}

/** The kind and id a finding says is missing, when it is one `--repoint` can name. */
function missingTarget(f: Finding): { kind: RepointKind; id: string } | undefined {
  const m = / refers to (.+) (\S+), which does not exist$/.exec(f.message)
  if (m === null) return undefined
  const what = m[1] as string
  const kind: RepointKind | undefined =
    what === 'database' || what === 'schema' || what === 'cluster' ? what : what.includes('role') ? 'role' : undefined
  return kind === undefined ? undefined : { kind, id: m[2] as string }
}

/** Replaces, in place, every reference of `kind` equal to `from` with `to`; returns how many. */
function rewrite(node: JsonValue, kind: RepointKind, from: string, to: JsonObject, inMembership = false): number {
  if (Array.isArray(node)) return node.reduce<number>((n, x) => n + rewrite(x, kind, from, to, inMembership), 0)
  if (!isJsonObject(node)) return 0
  let n = 0
  for (const [field, child] of Object.entries(node)) {
    const holds = FIELDS[kind].has(field) || (kind === 'role' && inMembership && (field === 'key' || field === 'value'))
    if (holds && canonicalJson(child) === from) {
      node[field] = cloneJson(to)
      n++
    } else {
      n += rewrite(child, kind, from, to, inMembership || field === 'membership')
    }
  }
  return n
}

function exists(ctx: RepairContext, kind: RepointKind, id: JsonObject): boolean {
  const field = 'id'
  for (const r of ctx.index.rows(TARGETS[kind])) if (canonicalJson(r.key[field] ?? null) === canonicalJson(id)) return true
  return false
}

function repointRow(ctx: RepairContext, f: Finding, row: CollectionRow, p: Repoint): boolean {
  const from = idFromText(p.from)
  const to = idFromText(p.to)
  if (from === undefined || to === undefined || !exists(ctx, p.kind, to)) {
    throw new UsageError(`--repoint ${p.kind}:${p.from}=${p.to}: ${p.kind} ${p.to} does not exist`, {
      hint: `name an existing ${p.kind} (\`dump -i ${TARGETS[p.kind]}\` lists them)`,
    })
  }
  const key = cloneJson(row.key)
  const value = cloneJson(row.value)
  const count = rewrite(key, p.kind, canonicalJson(from), to) + rewrite(value, p.kind, canonicalJson(from), to)
  if (count === 0) return false
  ctx.add({
    action: 'repoint',
    reason: `${count === 1 ? '1 reference' : `${count} references`} to the missing ${p.kind} ${p.from} now ${count === 1 ? 'names' : 'name'} ${p.kind} ${idText(to)} (--repoint)`,
    answers: [f],
    updates: replaceRow(ctx, row.raw, encodeRow(row.kind, key, value, ctx.version)),
  })
  return true
}

export const referenceRepair: RepairModule = {
  checks: ['referential-integrity'],
  plan(findings, ctx) {
    for (const f of findings) {
      const text = f.rows[0]
      if (text === undefined || ctx.count(text) <= 0n) continue
      const row = ctx.row(text)
      const target = missingTarget(f)
      const p = target === undefined ? undefined : ctx.options.repoint?.find((x) => x.kind === target.kind && x.from === target.id)
      if (row !== undefined && p !== undefined && repointRow(ctx, f, row, p)) continue
      if (ctx.options.removeDangling === true) {
        ctx.add({
          action: 'remove-dangling',
          reason: `removed (--remove-dangling): ${f.message}; whatever refers to it is removed in turn`,
          answers: [f],
          updates: removeRow(ctx, text),
        })
        continue
      }
      ctx.leave(
        f,
        target === undefined
          ? 'choose: --remove-dangling removes the object (and what depends on it)'
          : `choose: --remove-dangling removes the object (and what depends on it), or --repoint ${target.kind}:${target.id}=NEW names an existing ${target.kind} instead`,
      )
    }
  },
}
