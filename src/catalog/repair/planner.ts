/**
 * Making a repair plan: run the checks, let each finding class's module answer its findings,
 * and repeat on the state the plan has reached until nothing more can be done (a removal can
 * leave what depended on the removed row dangling, which the next round then sees). The plan
 * ends with the epoch bump every debug write carries, and is checked before it is returned:
 * every row it writes decodes exactly with the catalog's version, and `verify` of the state it
 * leads to no longer reports any finding a repair answers.
 */

import { CatalogDebugError, UninitializedError } from '../../errors.js'
import { newIdempotencyToken, newWriterId } from '../../store/ids.js'
import type { ShardStore } from '../../store/shard-store.js'
import { decodeRow, encodeEpochRow, type CollectionRow } from '../codec/row-codec.js'
import { catalogShardIds } from '../catalog-shards.js'
import { isLargeCollection } from '../kinds/collections.js'
import { CATALOG_VERSION } from '../kinds/versions.js'
import type { Finding, VerifyCheck } from '../verify/findings.js'
import { checkState, storeState, type CatalogState, type StateCheck } from '../verify/catalog-state.js'
import type { CatalogIndex } from '../verify/row-checks.js'
import { inspectStore, select } from '../verify/verify.js'
import { canonicalEncodingRepair } from './canonical-encoding.js'
import { decodeRepair } from './decode.js'
import { idAllocatorRepair } from './id-allocators.js'
import { multiplicityRepair } from './multiplicity.js'
import { consolidatePlanned, findingKey, type Repair, type RepairOptions, type RepairPlan, type Unrepaired } from './plan.js'
import { referenceRepair } from './references.js'
import { idText, isWritableRow, type RepairContext, type RepairModule } from './repair-context.js'
import { WorkingState } from './working-state.js'
import { uniqueNameRepair } from './unique-names.js'

/** In order: shapes first (a rewritten row is also re-encoded), then counts, then meaning. */
const MODULES: readonly RepairModule[] = [
  decodeRepair,
  canonicalEncodingRepair,
  multiplicityRepair,
  idAllocatorRepair,
  referenceRepair,
  uniqueNameRepair,
]

/** Rounds of planning; each must make progress, and removals cascade one level per round. */
const MAX_ROUNDS = 8

const STORE_CHECKS: ReadonlySet<VerifyCheck> = new Set(['store-integrity', 'frontiers', 'seqno'])

const DEFAULT_WHY: { readonly [C in VerifyCheck]?: string } = {
  'store-integrity': 'a problem of the store, not of catalog rows: no catalog write repairs it',
  frontiers: 'a problem of the store, not of catalog rows: no catalog write repairs it',
  seqno: 'a problem of the store, not of catalog rows: no catalog write repairs it',
  'user-version': 'no safe fix: the catalog version cannot be inferred; set it with `edit config`',
}

interface PlanSource {
  readonly organizationId: string
  /** The upper the state was read at (the state is the consolidated one at upper − 1). */
  readonly upper: bigint
  /** The catalog's state at upper − 1. */
  readonly base: CatalogState
  /** The checks of `base`, when they were already run (by `verify`'s pass over the store). */
  readonly checked?: StateCheck
  /** Findings about the store itself (verify's store-level checks): listed, never repaired. */
  readonly storeFindings?: readonly Finding[]
}

/**
 * Plans the repair of a catalog, reading it from `store` at one point (the upper `verify` read).
 * Never writes. Throws `NotFoundError` for an absent catalog and {@link UninitializedError}
 * for one that was never written.
 *
 * Memory stays what `verify` needs: each round streams the catalog with the plan's updates laid
 * over it, and the rows a repair needs are read again by their keys.
 */
export async function planRepair(store: ShardStore, organizationId: string, options: RepairOptions = {}): Promise<RepairPlan> {
  const { report, checked } = await inspectStore(store, organizationId)
  try {
    if (report.upper === null) throw new CatalogDebugError('shard-finished', 'failure', `catalog shard ${report.shardId} is finished`)
    if (report.upper === 0n) throw new UninitializedError()
    return await planRepairOf(
      {
        organizationId,
        upper: report.upper,
        base: storeState(store, report.shardId, report.upper - 1n),
        ...(checked === undefined ? {} : { checked }),
        storeFindings: report.findings.filter((f) => STORE_CHECKS.has(f.check)),
      },
      options,
    )
  } finally {
    checked?.index.close()
  }
}

/** The findings of a state, in report order, and what the checks kept of it. */
async function check(state: CatalogState, done?: StateCheck): Promise<{ findings: Finding[]; index: CatalogIndex }> {
  const c = done ?? (await checkState(state))
  return { findings: select(c.findings, {}), index: c.index }
}

/**
 * Plans the repair of one state of a catalog (see {@link planRepair}). Reads, never writes. Each
 * round's checks keep their state on disk (a scratch database): a round's is dropped once the
 * next round's is made, and the last when the plan is made.
 */
async function planRepairOf(source: PlanSource, options: RepairOptions = {}): Promise<RepairPlan> {
  const held: CatalogIndex[] = []
  const checkHeld = async (state: CatalogState, done?: StateCheck): Promise<{ findings: Finding[]; index: CatalogIndex }> => {
    const c = await check(state, done)
    for (const old of held.splice(0)) old.close()
    held.push(c.index)
    return c
  }
  try {
    return await plan(source, options, checkHeld)
  } finally {
    for (const old of held) old.close()
  }
}

async function plan(
  source: PlanSource,
  options: RepairOptions,
  check: (state: CatalogState, done?: StateCheck) => Promise<{ findings: Finding[]; index: CatalogIndex }>,
): Promise<RepairPlan> {
  const state = new WorkingState(source.base)
  const repairs: Repair[] = []
  let why = new Map<string, string>()
  let version: number = CATALOG_VERSION
  let found: ReadonlySet<string> | undefined
  const seen = new Map<string, Finding>()
  // The checks of the working state as it is, while no repair has changed it since.
  let current: { findings: Finding[]; index: CatalogIndex } | undefined
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const { findings, index } = await check(state.state(), round === 0 ? source.checked : undefined)
    current = { findings, index }
    found ??= new Set(findings.map(findingKey))
    for (const f of findings) if (!seen.has(findingKey(f))) seen.set(findingKey(f), f)
    version = index.version
    const before = repairs.length
    if (findings.some((f) => f.check === 'user-version' && f.severity === 'error')) {
      for (const f of findings)
        why.set(findingKey(f), 'the catalog version is in doubt (see the user-version finding): nothing is rewritten')
      break
    }
    // The modules ask how many times rows are held; the counts are read before they run, and a
    // text they ask about unread has them run again from the same point once it is read.
    await state.fetch(findings.flatMap((f) => f.rows))
    for (;;) {
      const saved = state.save()
      const savedWhy = new Map(why)
      const missing = new Set<string>()
      const count = (text: string): bigint => {
        const n = state.count(text)
        if (n !== undefined) return n
        missing.add(text)
        return 0n
      }
      const ctx: RepairContext = {
        version,
        index,
        options,
        count,
        row: (raw) => heldRow(raw, count(raw), version),
        add: (repair) => {
          if (repair.updates.length === 0) return
          state.apply(repair.updates)
          repairs.push(repair)
        },
        leave: (f, text) => why.set(findingKey(f), text),
      }
      for (const m of MODULES) {
        const mine = findings.filter((f) => m.checks.includes(f.check))
        if (mine.length > 0) m.plan(mine, ctx)
      }
      if (missing.size === 0) break
      state.restore(saved)
      repairs.length = before
      why = savedWhy
      await state.fetch(missing)
    }
    if (repairs.length === before) break
    current = undefined
  }

  current ??= await check(state.state())
  const epoch = await bumpEpoch(state, repairs, current)
  // Without a write, the last round's findings are the answer; with one, check the state it leads to.
  const after = epoch === undefined ? current.findings : (await check(state.state())).findings
  const original = consolidatePlanned(repairs.flatMap((r) => r.updates))
  for (const u of original) {
    if (u.diff > 0n && !isWritableRow(u.data, version)) {
      throw new CatalogDebugError(
        'repair-plan-invalid',
        'internal',
        `a planned row does not decode as a catalog v${version} row: ${u.data.slice(0, 200)}`,
      )
    }
  }
  const remaining = new Set(after.map(findingKey))
  const alsoResolved = attributeResolved(repairs, seen, remaining)
  for (const r of repairs) {
    for (const f of r.answers) {
      if (remaining.has(findingKey(f))) {
        throw new CatalogDebugError(
          'repair-plan-invalid',
          'internal',
          `the plan's ${r.action} does not clear the finding it answers: ${f.message}`,
        )
      }
    }
  }
  // A finding the catalog did not have before is one the plan's own repairs cause: say so.
  const unrepaired: Unrepaired[] = [...(source.storeFindings ?? []), ...after].map((f) => {
    const reason = why.get(findingKey(f)) ?? DEFAULT_WHY[f.check] ?? 'no safe fix'
    const caused = found !== undefined && !found.has(findingKey(f)) && !STORE_CHECKS.has(f.check)
    return { finding: f, why: caused ? `caused by this plan's repairs; ${reason}` : reason }
  })
  // A check is covered when the plan answers its findings and leaves none of them.
  const left = new Set(after.map((f) => f.check))
  const covered = [...new Set(repairs.flatMap((r) => r.answers.map((f) => f.check)))].filter((c) => !left.has(c))
  return {
    organizationId: source.organizationId,
    shardId: catalogShardIds(source.organizationId).catalog,
    catalogVersion: version,
    upper: source.upper,
    ...(epoch === undefined ? {} : { epoch }),
    options,
    writerId: newWriterId(),
    idempotencyToken: newIdempotencyToken(),
    repairs,
    unrepaired,
    updates: original,
    alsoResolved,
    after: [...(source.storeFindings ?? []), ...after],
    covered,
  }
}

/**
 * Findings the plan resolved without a repair naming them (a row rewritten once answers each of
 * its dangling references; a re-encoded row also ends a key's second value) are credited to the
 * first repair that retracts one of their rows.
 */
function attributeResolved(repairs: Repair[], seen: ReadonlyMap<string, Finding>, remaining: ReadonlySet<string>): Finding[] {
  const answered = new Set(repairs.flatMap((r) => r.answers.map(findingKey)))
  const unattributed: Finding[] = []
  for (const [key, f] of seen) {
    if (answered.has(key) || remaining.has(key)) continue
    let i = repairs.findIndex((r) => r.updates.some((u) => u.diff < 0n && f.rows.includes(u.data)))
    // A reference to an object a repair (re)inserts, e.g. replicas of a cluster whose row did not decode.
    if (i < 0) i = repairs.findIndex((r) => r.updates.some((u) => u.diff > 0n && mentionsKeyOf(f.message, u.data)))
    if (i < 0) {
      unattributed.push(f)
      continue
    }
    const r = repairs[i] as Repair
    repairs[i] = { ...r, answers: [...r.answers, f] }
  }
  return unattributed
}

/** Whether `message` names the object whose row `data` is (`… cluster u1, which does not exist`). */
function mentionsKeyOf(message: string, data: string): boolean {
  const r = decodeRow(data)
  if (!r.ok || r.row.kind === 'Epoch') return false
  const id = idText(r.row.key.id ?? r.row.key.gid)
  return id !== 'null' && new RegExp(`\\b${id} which does not exist|\\b${id}, which does not exist`).test(message)
}

/**
 * The epoch bump every write carries (it fences out running writers, as `edit` does): retract
 * every epoch row as held, insert the largest epoch + 1. It answers the epoch findings (several
 * epoch rows, one held several times), which it resolves. Nothing to repair: no bump, no write.
 */
async function bumpEpoch(
  state: WorkingState,
  repairs: Repair[],
  current: { findings: readonly Finding[]; index: CatalogIndex },
): Promise<{ from: bigint; to: bigint } | undefined> {
  const epochRows = current.index.epochRows
  const answers = current.findings.filter(
    (f) =>
      (f.check === 'epoch' && f.rows.length > 0) ||
      (f.check === 'multiplicity' && f.rows.length === 1 && epochRows.some((r) => r.data === f.rows[0])),
  )
  if (repairs.length === 0 && answers.length === 0) return undefined
  let from: bigint | undefined
  for (const r of epochRows) {
    const d = decodeRow(r.data)
    if (r.diff > 0n && d.ok && d.row.kind === 'Epoch' && (from === undefined || d.row.epoch > from)) from = d.row.epoch
  }
  if (from === undefined) throw new UninitializedError()
  const to = from + 1n > 0n ? from + 1n : 1n
  const updates = [...epochRows.map((r) => ({ data: r.data, diff: -r.diff })), { data: encodeEpochRow(to), diff: 1n }]
  state.apply(updates)
  repairs.push({
    action: 'bump-epoch',
    reason:
      answers.length === 0
        ? `epoch ${from} → ${to}: fences out running writers, as every debug write does`
        : `epoch ${from} → ${to}, replacing every epoch row: fences out running writers and leaves exactly one epoch`,
    answers,
    updates,
  })
  return { from, to }
}

/** The decoded row of a held text, as the checks kept it: not an epoch, not of a large collection. */
function heldRow(raw: string, held: bigint, version: number): CollectionRow | undefined {
  if (held <= 0n) return undefined
  const r = decodeRow(raw, version)
  return r.ok && r.row.kind !== 'Epoch' && !isLargeCollection(r.row.collection) ? r.row : undefined
}
