/**
 * What a repair module works with: the catalog as the plan has left it so far (the working
 * state, `working-state.ts`: row text → multiplicity), what the checks kept of that state, the
 * operator's options, and where to put what it decides (a repair, or why a finding is left as it
 * is).
 *
 * Modules see the working state, not the original: when one repair already took care of a row
 * (an undecodable row rewritten also stops being non-canonical), the next module finds the row
 * gone and proposes nothing more for it.
 */

import { canonicalJson, isJsonObject, parseJson, type JsonObject, type JsonValue } from '../../json/lossless-json.js'
import type { CollectionRow } from '../codec/row-codec.js'
import { decodeRow } from '../codec/row-codec.js'
import type { Finding, VerifyCheck } from '../verify/findings.js'
import type { CatalogIndex } from '../verify/row-checks.js'
import type { PlannedUpdate, Repair, RepairOptions } from './plan.js'

export interface RepairContext {
  /** The catalog version the rows are decoded and written with. */
  readonly version: number
  /**
   * What the checks kept of the working state this round: the decoded rows of the small
   * collections, facts of the items, ids of the large collections.
   */
  readonly index: CatalogIndex
  readonly options: RepairOptions
  /** How many times the working state holds this row text. */
  count(text: string): bigint
  /** A decoded row of this round by its stored text (held, decodes, not of a large collection). */
  row(raw: string): CollectionRow | undefined
  /** Records a repair and applies its updates to the working state. */
  add(repair: Repair): void
  /** Says why a finding is left as it is (kept if the finding is still there when planning ends). */
  leave(finding: Finding, why: string): void
}

/** One finding class: the checks whose findings it answers, and how. */
export interface RepairModule {
  readonly checks: readonly VerifyCheck[]
  plan(findings: readonly Finding[], ctx: RepairContext): void
}

/** The updates that replace every copy of `text` with one copy of `replacement` (unless already held). */
export function replaceRow(ctx: RepairContext, text: string, replacement: string): PlannedUpdate[] {
  if (replacement === text) {
    const held = ctx.count(text)
    return held === 1n ? [] : [{ data: text, diff: 1n - held }]
  }
  const out = removeRow(ctx, text)
  if (ctx.count(replacement) === 0n) out.push({ data: replacement, diff: 1n })
  return out
}

/** The updates that remove every copy of `text`. */
export function removeRow(ctx: RepairContext, text: string): PlannedUpdate[] {
  const held = ctx.count(text)
  return held === 0n ? [] : [{ data: text, diff: -held }]
}

/** The `kind` tag of a stored row, if it has one. */
export function kindOf(text: string): string | undefined {
  try {
    const doc = parseJson(text)
    return isJsonObject(doc) && typeof doc.kind === 'string' ? doc.kind : undefined
  } catch {
    return undefined
  }
}

/** Decodes a display id (`u3`, `s1`, `p`) into the stored id form `{"value":{"User":3}}`. */
export function idFromText(text: string): JsonObject | undefined {
  if (text === 'p') return { value: { Public: {} } }
  const m = /^([us])([0-9]{1,20})$/.exec(text)
  if (m === null) return undefined
  return { value: { [m[1] === 'u' ? 'User' : 'System']: BigInt(m[2] as string) } }
}

/** Display form of a stored id (`u3`, `s1`, `p`), or its JSON. */
export function idText(id: JsonValue | undefined): string {
  const inner = isJsonObject(id ?? null) ? (id as JsonObject).value : undefined
  if (isJsonObject(inner ?? null)) {
    const [tag] = Object.keys(inner as JsonObject)
    const n = (inner as JsonObject)[tag as string]
    if (tag === 'Public') return 'p'
    if ((tag === 'User' || tag === 'System') && typeof n === 'bigint') return `${tag === 'User' ? 'u' : 's'}${n}`
  }
  return canonicalJson(id ?? null)
}

/** Whether `text` decodes exactly (and is canonical) as a catalog `version` row. */
export function isWritableRow(text: string, version: number): boolean {
  const r = decodeRow(text, version, { strict: true })
  if (!r.ok) return false
  try {
    return canonicalJson(parseJson(text)) === text
  } catch {
    return false
  }
}
