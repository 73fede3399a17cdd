/**
 * Rows not stored in canonical JSON: a retraction written by this tool (canonical) would not
 * cancel them. The fix retracts the stored bytes and inserts the canonical form, when that form
 * decodes exactly (else the row is the decode repair's business).
 */

import { canonicalJson, parseJson } from '../../json/lossless-json.js'
import { isWritableRow, replaceRow, type RepairModule } from './repair-context.js'

export const canonicalEncodingRepair: RepairModule = {
  checks: ['canonical-encoding'],
  plan(findings, ctx) {
    for (const f of findings) {
      const text = f.rows[0]
      if (text === undefined || ctx.count(text) <= 0n) continue
      let canonical: string
      try {
        canonical = canonicalJson(parseJson(text))
      } catch {
        continue
      }
      if (!isWritableRow(canonical, ctx.version)) {
        ctx.leave(f, `the row's canonical form does not decode as a catalog v${ctx.version} row either (see its decode finding)`)
        continue
      }
      ctx.add({
        action: 're-encode',
        reason: 'the stored bytes are not canonical JSON: retracted as stored, inserted again canonically (same content)',
        answers: [f],
        updates: replaceRow(ctx, text, canonical),
      })
    }
  },
}
