/**
 * Rows Materialize cannot decode with the catalog's version. A row that decodes exactly as
 * another catalog version's row has a known shape: an older one is carried forward by the
 * upgrade migrations (`src/catalog/upgrade/`), a newer one is read with the catalog version's
 * schema (dropping what that version does not have, which the reason names). A row no version
 * decodes has no known shape: it is removed, and only with `--allow-delete`.
 */

import { decodeRow, encodeDecodedRow, encodeRow } from '../codec/row-codec.js'
import { CATALOG_VERSIONS } from '../kinds/versions.js'
import { MIGRATION_STEPS } from '../upgrade/run-upgrades.js'
import type { JsonValue } from '../../json/lossless-json.js'
import type { OldRow } from '../upgrade/migration.js'
import { isWritableRow, removeRow, replaceRow, type RepairModule } from './repair-context.js'

interface Reshaped {
  readonly from: number
  readonly text: string
  readonly notes: readonly string[]
}

/** The row rewritten in catalog `version`'s shape, from the nearest version that decodes it exactly. */
export function reshape(text: string, version: number): Reshaped | undefined {
  const others = CATALOG_VERSIONS.filter((v) => v !== version).sort((a, b) => Math.abs(a - version) - Math.abs(b - version) || a - b)
  for (const from of others) {
    const r = decodeRow(text, from, { strict: true })
    if (!r.ok || r.row.kind === 'Epoch') continue
    let rewritten: string | undefined
    let notes: readonly string[] = []
    if (from < version) {
      let value: JsonValue | undefined = r.row.value
      for (const step of MIGRATION_STEPS) {
        if (value === undefined || step.from < from || step.to > version || !step.reads.includes(r.row.kind)) continue
        const old: OldRow = { kind: r.row.kind, key: r.row.key, value, text }
        const action = step
          .migrate([old])
          .find((a) => (a.action === 'update' && a.before === old) || (a.action === 'delete' && a.row === old))
        if (action?.action === 'delete') value = undefined
        else if (action?.action === 'update') value = action.after
      }
      if (value === undefined) continue
      try {
        rewritten = encodeRow(r.row.kind, r.row.key, value, version)
      } catch {
        continue
      }
    } else {
      const lenient = decodeRow(text, version)
      if (!lenient.ok) continue
      rewritten = encodeDecodedRow(lenient.row, version)
      notes = lenient.row.notes
    }
    if (isWritableRow(rewritten, version)) return { from, text: rewritten, notes }
  }
  return undefined
}

export const decodeRepair: RepairModule = {
  checks: ['decode'],
  plan(findings, ctx) {
    for (const f of findings) {
      const text = f.rows[0]
      if (text === undefined || ctx.count(text) <= 0n) continue
      const shape = reshape(text, ctx.version)
      if (shape !== undefined) {
        const dropped = shape.notes.length === 0 ? '' : ` (${shape.notes.join('; ')})`
        ctx.add({
          action: 'rewrite-shape',
          reason: `the row decodes exactly as a catalog v${shape.from} row: rewritten in the v${ctx.version} shape${
            shape.from < ctx.version ? ` by the migrations v${shape.from} → v${ctx.version}` : ''
          }${dropped}`,
          answers: [f],
          updates: replaceRow(ctx, text, shape.text),
        })
      } else if (ctx.options.allowDelete === true) {
        ctx.add({
          action: 'remove-undecodable',
          reason: `no catalog version (42–47) decodes the row exactly: removed (--allow-delete)`,
          answers: [f],
          updates: removeRow(ctx, text),
        })
      } else {
        ctx.leave(
          f,
          'no catalog version (42–47) decodes this row exactly, so there is no shape to rewrite it to; remove it with --allow-delete',
        )
      }
    }
  },
}
