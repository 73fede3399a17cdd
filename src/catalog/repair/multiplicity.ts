/**
 * Rows held more than once or a negative number of times, and keys with several values. A row
 * held `n > 1` times is consolidated to one copy. A negative count means the row was retracted
 * more often than it was written: it is brought to zero (absent, as its retractions intended;
 * `edit` puts a value back if one should exist). Several different values for one key are a
 * choice only an operator can make, except for an id allocator, where keeping the highest
 * `next_id` is always safe.
 */

import { encodeRow } from '../codec/row-codec.js'
import { allocatorNextId } from '../verify/id-allocator-checks.js'
import { kindOf, type RepairModule } from './repair-context.js'
import type { PlannedUpdate } from './plan.js'

export const multiplicityRepair: RepairModule = {
  checks: ['multiplicity'],
  plan(findings, ctx) {
    for (const f of findings) {
      if (f.rows.length === 1 && f.message.startsWith('row has multiplicity')) {
        const text = f.rows[0] as string
        const held = ctx.count(text)
        // The epoch is the plan's own bump's business: it retracts every epoch row as held.
        if (held === 0n || held === 1n || kindOf(text) === 'Epoch') continue
        ctx.add({
          action: 'consolidate',
          reason:
            held > 1n
              ? `the row is held ${held} times: consolidated to one copy`
              : `the row's multiplicity is ${held} (retracted more often than written): brought to 0, the row is absent`,
          answers: [f],
          updates: [{ data: text, diff: held > 1n ? 1n - held : -held }],
        })
        continue
      }
      const held = f.rows.filter((t) => ctx.count(t) > 0n)
      if (held.length <= 1) continue
      const allocators = held.map((t) => ctx.row(t)).filter((r) => r !== undefined && r.kind === 'IdAlloc')
      if (allocators.length !== held.length) {
        ctx.leave(f, `${held.length} different values for one key: keep one with \`edit\` (or \`delete\` the key, then \`edit\` it)`)
        continue
      }
      let best = allocators[0]
      for (const r of allocators) if ((allocatorNextId(r!) ?? -1n) > (allocatorNextId(best!) ?? -1n)) best = r
      const next = allocatorNextId(best!)
      if (next === undefined) continue
      const keep = encodeRow('IdAlloc', best!.key, { next_id: next }, ctx.version)
      const updates: PlannedUpdate[] = held.filter((t) => t !== keep).map((t) => ({ data: t, diff: -ctx.count(t) }))
      if (ctx.count(keep) !== 1n) updates.push({ data: keep, diff: 1n - ctx.count(keep) })
      ctx.add({
        action: 'keep-one-value',
        reason: `id allocator ${JSON.stringify(best!.key.name)} has ${held.length} values: the highest next_id (${next}) is kept, which never reuses an id`,
        answers: [f],
        updates,
      })
    }
  },
}
