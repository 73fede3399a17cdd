/**
 * Rows not stored in canonical JSON: a retraction written by this tool (canonical) would not
 * cancel them. The fix retracts the stored bytes and inserts the canonical form, only when the
 * stored text decodes exactly as it is (no duplicate key, no unknown or missing field), so the
 * canonical form says the same thing; anything else is the decode repair's business.
 */

import { decodeRow, encodeDecodedRow } from '../codec/row-codec.js'
import { isWritableRow, replaceRow, type RepairModule } from './repair-context.js'

export const canonicalEncodingRepair: RepairModule = {
  checks: ['canonical-encoding'],
  plan(findings, ctx) {
    for (const f of findings) {
      const text = f.rows[0]
      if (text === undefined || ctx.count(text) <= 0n) continue
      const decoded = decodeRow(text, ctx.version)
      const canonical = decoded.ok && decoded.row.exact ? encodeDecodedRow(decoded.row, ctx.version) : undefined
      if (canonical === undefined || !isWritableRow(canonical, ctx.version)) {
        ctx.leave(
          f,
          `the row does not decode exactly as a catalog v${ctx.version} row, so its content is in doubt (see its decode finding)`,
        )
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
