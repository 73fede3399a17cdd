/**
 * A plan as JSON: what `repair -o json` prints and `--plan-out` saves, and what `--apply` reads
 * back. Integers are exact (the lossless codec); row texts are strings holding the stored bytes,
 * so a retraction of a non-canonical row survives the round trip.
 */

import { UsageError } from '../../errors.js'
import { isJsonObject, parseJson, type JsonObject, type JsonValue } from '../../json/lossless-json.js'
import { SEVERITIES, VERIFY_CHECKS, type Finding } from '../verify/findings.js'
import {
  PLAN_FORMAT,
  PLAN_VERSION,
  REPAIR_ACTIONS,
  REPOINT_KINDS,
  type PlannedUpdate,
  type Repair,
  type RepairOptions,
  type RepairPlan,
  type Repoint,
} from './plan.js'

export function findingJson(f: Finding): JsonObject {
  return { check: f.check, severity: f.severity, message: f.message, rows: [...f.rows] }
}

function updatesJson(us: readonly PlannedUpdate[]): JsonValue[] {
  return us.map((u) => ({ data: u.data, diff: u.diff }))
}

/** `database:u1=u2`. */
export function repointText(p: Repoint): string {
  return `${p.kind}:${p.from}=${p.to}`
}

/** The plan as a JSON document (the plan file's format). */
export function planToJson(p: RepairPlan): JsonObject {
  return {
    format: PLAN_FORMAT,
    version: BigInt(PLAN_VERSION),
    organization_id: p.organizationId,
    shard_id: p.shardId,
    catalog_version: BigInt(p.catalogVersion),
    upper: p.upper,
    epoch: p.epoch === undefined ? null : { from: p.epoch.from, to: p.epoch.to },
    options: {
      allow_delete: p.options.allowDelete === true,
      remove_dangling: p.options.removeDangling === true,
      repoint: (p.options.repoint ?? []).map(repointText),
      rename_suffix: p.options.renameSuffix ?? null,
    },
    writer_id: p.writerId,
    idempotency_token: p.idempotencyToken,
    covered: [...p.covered],
    repairs: p.repairs.map((r) => ({
      action: r.action,
      reason: r.reason,
      answers: r.answers.map(findingJson),
      updates: updatesJson(r.updates),
    })),
    not_repaired: p.unrepaired.map((u) => ({ finding: findingJson(u.finding), why: u.why })),
    also_resolved: p.alsoResolved.map(findingJson),
    updates: updatesJson(p.updates),
    after: p.after.map(findingJson),
  }
}

/** Parses `--repoint KIND:OLD=NEW`. Throws {@link UsageError}. */
export function parseRepoint(text: string): Repoint {
  const m = /^([a-z]+):([^=]+)=(.+)$/.exec(text)
  const kind = m?.[1]
  const id = /^(u[0-9]+|s[0-9]+|p)$/
  if (m === null || !REPOINT_KINDS.includes(kind as Repoint['kind']) || !id.test(m[2] as string) || !id.test(m[3] as string)) {
    throw new UsageError(
      `invalid --repoint ${JSON.stringify(text)}: expected KIND:OLD=NEW, KIND one of ${REPOINT_KINDS.join(', ')}, ids like u3, s1 or p`,
    )
  }
  return { kind: kind as Repoint['kind'], from: m[2] as string, to: m[3] as string }
}

class Fields {
  constructor(
    readonly o: JsonObject,
    readonly at: string,
  ) {}
  bad(field: string, expected: string): never {
    throw new UsageError(`invalid repair plan: ${this.at}${field}: expected ${expected}`)
  }
  str(f: string): string {
    const v = this.o[f]
    return typeof v === 'string' ? v : this.bad(f, 'a string')
  }
  int(f: string): bigint {
    const v = this.o[f]
    return typeof v === 'bigint' ? v : this.bad(f, 'an integer')
  }
  bool(f: string): boolean {
    const v = this.o[f]
    return typeof v === 'boolean' ? v : this.bad(f, 'true or false')
  }
  obj(f: string): Fields {
    const v = this.o[f]
    return isJsonObject(v ?? null) ? new Fields(v as JsonObject, `${this.at}${f}.`) : this.bad(f, 'an object')
  }
  list(f: string): Fields[] {
    const v = this.o[f]
    if (!Array.isArray(v)) return this.bad(f, 'an array')
    return v.map((x, i) => (isJsonObject(x) ? new Fields(x, `${this.at}${f}[${i}].`) : this.bad(`${f}[${i}]`, 'an object')))
  }
  strings(f: string): string[] {
    const v = this.o[f]
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return this.bad(f, 'an array of strings')
    return v as string[]
  }
}

function parseFinding(f: Fields): Finding {
  const check = f.str('check')
  const severity = f.str('severity')
  if (!(VERIFY_CHECKS as readonly string[]).includes(check)) f.bad('check', `one of ${VERIFY_CHECKS.join(', ')}`)
  if (!(SEVERITIES as readonly string[]).includes(severity)) f.bad('severity', 'error or warning')
  return { check: check as Finding['check'], severity: severity as Finding['severity'], message: f.str('message'), rows: f.strings('rows') }
}

function parseUpdates(list: Fields[]): PlannedUpdate[] {
  return list.map((u) => {
    const diff = u.int('diff')
    if (diff === 0n) u.bad('diff', 'a non-zero integer')
    return { data: u.str('data'), diff }
  })
}

/** Reads a plan file's text. Throws {@link UsageError} naming the field for anything malformed. */
export function parsePlan(text: string): RepairPlan {
  let doc: JsonValue
  try {
    doc = parseJson(text)
  } catch (err) {
    throw new UsageError(`invalid repair plan: ${err instanceof Error ? err.message : String(err)}`)
  }
  if (!isJsonObject(doc)) throw new UsageError('invalid repair plan: expected a JSON object')
  const p = new Fields(doc, '')
  if (p.str('format') !== PLAN_FORMAT) p.bad('format', JSON.stringify(PLAN_FORMAT))
  if (p.int('version') !== BigInt(PLAN_VERSION)) p.bad('version', String(PLAN_VERSION))
  const o = p.obj('options')
  const suffix = o.o.rename_suffix
  const options: RepairOptions = {
    allowDelete: o.bool('allow_delete'),
    removeDangling: o.bool('remove_dangling'),
    repoint: o.strings('repoint').map(parseRepoint),
    ...(typeof suffix === 'string' ? { renameSuffix: suffix } : {}),
  }
  const epoch = doc.epoch === null ? undefined : p.obj('epoch')
  const repairs: Repair[] = p.list('repairs').map((r) => {
    const action = r.str('action')
    if (!(REPAIR_ACTIONS as readonly string[]).includes(action)) r.bad('action', `one of ${REPAIR_ACTIONS.join(', ')}`)
    return {
      action: action as Repair['action'],
      reason: r.str('reason'),
      answers: r.list('answers').map(parseFinding),
      updates: parseUpdates(r.list('updates')),
    }
  })
  return {
    organizationId: p.str('organization_id'),
    shardId: p.str('shard_id'),
    catalogVersion: Number(p.int('catalog_version')),
    upper: p.int('upper'),
    ...(epoch === undefined ? {} : { epoch: { from: epoch.int('from'), to: epoch.int('to') } }),
    options,
    writerId: p.str('writer_id'),
    idempotencyToken: p.str('idempotency_token'),
    covered: p.strings('covered') as RepairPlan['covered'],
    repairs,
    unrepaired: p.list('not_repaired').map((u) => ({ finding: parseFinding(u.obj('finding')), why: u.str('why') })),
    alsoResolved: p.list('also_resolved').map(parseFinding),
    updates: parseUpdates(p.list('updates')),
    after: p.list('after').map(parseFinding),
  }
}
