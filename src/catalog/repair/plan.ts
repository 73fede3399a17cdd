/**
 * The repair plan model: what `repair` proposes and `repair --apply` writes.
 *
 * A plan is made against one state of one catalog (its upper and epoch) and holds the exact
 * updates of the write: retractions carry the stored text, byte for byte, so they cancel exactly
 * what is stored (even a non-canonical row); insertions are canonical rows of the catalog's
 * version. Every repair says which finding it answers and why; findings without a safe fix are
 * listed with the reason. Applying a plan is one compare-and-append at the plan's upper, with the
 * epoch bump and the plan's own writer id and idempotency token, so a retried commit is recognised.
 */

import type { Finding, VerifyCheck } from '../verify/findings.js'

/** What a repair does, one per kind of fix. */
export const REPAIR_ACTIONS = [
  'rewrite-shape',
  'remove-undecodable',
  're-encode',
  'consolidate',
  'keep-one-value',
  'raise-id-allocator',
  'insert-id-allocator',
  'remove-dangling',
  'repoint',
  'rename',
  'bump-epoch',
] as const
export type RepairAction = (typeof REPAIR_ACTIONS)[number]

/** One update of a plan: a stored row's text and the change of its multiplicity. */
export interface PlannedUpdate {
  readonly data: string
  readonly diff: bigint
}

/** One repair: the updates that answer a finding (none, for the epoch bump every write carries). */
export interface Repair {
  readonly action: RepairAction
  /** Why these updates: one line, naming the objects and values. */
  readonly reason: string
  /** The findings this repair answers (usually one; none for the plan's own epoch bump). */
  readonly answers: readonly Finding[]
  readonly updates: readonly PlannedUpdate[]
}

/** A finding the plan leaves as it is, and why (no safe fix, or a fix that needs an option). */
export interface Unrepaired {
  readonly finding: Finding
  readonly why: string
}

/** The choices an operator makes; a plan records them. */
export interface RepairOptions {
  /** Remove rows no catalog version can decode. */
  readonly allowDelete?: boolean
  /** Remove an object that refers to a missing one, and (in later rounds) what depends on it. */
  readonly removeDangling?: boolean
  /** Re-point references to a missing object at an existing one. */
  readonly repoint?: readonly Repoint[]
  /** Rename all but the oldest of objects sharing a name, with this suffix. */
  readonly renameSuffix?: string
}

/** `--repoint KIND:OLD=NEW`: references of `kind` to the missing `from` now name `to`. */
export interface Repoint {
  readonly kind: RepointKind
  /** Display ids (`u3`, `s1`, `p`). */
  readonly from: string
  readonly to: string
}

export const REPOINT_KINDS = ['database', 'schema', 'cluster', 'role'] as const
export type RepointKind = (typeof REPOINT_KINDS)[number]

export const PLAN_FORMAT = 'catalog-debug-repair-plan'
export const PLAN_VERSION = 1

export interface RepairPlan {
  readonly organizationId: string
  readonly shardId: string
  /** The catalog version whose schemas the plan's rows are written with. */
  readonly catalogVersion: number
  /** The catalog's upper the plan was made at: applying it expects exactly this upper. */
  readonly upper: bigint
  /** The epoch bump of the write (absent when there is nothing to write). */
  readonly epoch?: { readonly from: bigint; readonly to: bigint }
  readonly options: RepairOptions
  /** The writer and idempotency token the write commits as, so a retried commit is recognised. */
  readonly writerId: string
  readonly idempotencyToken: string
  readonly repairs: readonly Repair[]
  readonly unrepaired: readonly Unrepaired[]
  /** The write: every repair's updates and the epoch bump, consolidated, in (data, diff) order. */
  readonly updates: readonly PlannedUpdate[]
  /** Findings the plan clears without a repair of their own (a consequence of several repairs). */
  readonly alsoResolved: readonly Finding[]
  /** What `verify` would still report once the plan is applied (the unrepaired findings' rows). */
  readonly after: readonly Finding[]
  /** The checks whose findings the plan answers, all of them: `verify` reports none afterwards. */
  readonly covered: readonly VerifyCheck[]
}

/**
 * One line saying what a plan does, recorded as the reason of its write when the operator gives
 * none: `repair: raise-id-allocator, consolidate (answers 2 findings: id-allocators, multiplicity)`.
 */
export function describePlan(plan: RepairPlan): string {
  const actions = [...new Set(plan.repairs.map((r) => r.action).filter((a) => a !== 'bump-epoch'))]
  const answered = plan.repairs.flatMap((r) => r.answers)
  const checks = [...new Set(answered.map((f) => f.check))]
  return `repair: ${actions.join(', ') || 'bump-epoch'} (answers ${answered.length} finding${answered.length === 1 ? '' : 's'}${
    checks.length === 0 ? '' : `: ${checks.join(', ')}`
  })`
}

/** Sums updates per row text, drops zeros, sorts by text then diff: the form a plan stores. */
export function consolidatePlanned(updates: Iterable<PlannedUpdate>): PlannedUpdate[] {
  const sums = new Map<string, bigint>()
  for (const u of updates) sums.set(u.data, (sums.get(u.data) ?? 0n) + u.diff)
  const out: PlannedUpdate[] = []
  for (const [data, diff] of sums) if (diff !== 0n) out.push({ data, diff })
  return out.sort((a, b) => (a.data < b.data ? -1 : a.data > b.data ? 1 : 0))
}

/** The identity of a finding (same check, message and rows), to follow it across rounds. */
export function findingKey(f: Finding): string {
  return `${f.check}\u0000${f.message}\u0000${f.rows.join('\u0000')}`
}
