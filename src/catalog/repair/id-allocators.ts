/**
 * Id allocators behind an id in use: raised to one above the highest id in use (never lowered).
 * A missing allocator is inserted at one above the highest id in use (1 when none is).
 */

import { cloneJson } from '../upgrade/migration.js'
import { encodeRow } from '../codec/row-codec.js'
import { isJsonObject, type JsonObject } from '../../json/lossless-json.js'
import { allocatorNextId, allocatorStatus } from '../verify/id-allocator-checks.js'
import { itemRowsOf } from '../verify/item-rows.js'
import { replaceRow, type RepairModule } from './repair-context.js'

export const idAllocatorRepair: RepairModule = {
  checks: ['id-allocators'],
  plan(findings, ctx) {
    // Only the allocators' own rows and the ids in use are read here, never an item's row.
    const statuses = allocatorStatus(ctx.index, itemRowsOf(ctx.version))
    for (const f of findings) {
      const s = statuses.find((x) => f.message.startsWith(`id allocator ${JSON.stringify(x.name)} `))
      if (s === undefined) continue
      const max = s.max
      const next = max === undefined ? 1n : max + 1n
      if (s.row === undefined) {
        ctx.add({
          action: 'insert-id-allocator',
          reason: `id allocator ${JSON.stringify(s.name)} is missing: inserted with next_id ${next} (${
            max === undefined ? 'no id of it is in use' : `one above the highest id in use, ${max}`
          })`,
          answers: [f],
          updates: [{ data: encodeRow('IdAlloc', { name: s.name }, { next_id: next }, ctx.version), diff: 1n }],
        })
        continue
      }
      const current = allocatorNextId(s.row)
      if (current === undefined || max === undefined || max < current || ctx.count(s.row.raw) <= 0n) continue
      const value: JsonObject = isJsonObject(s.row.value) ? cloneJson(s.row.value) : {}
      value.next_id = next
      ctx.add({
        action: 'raise-id-allocator',
        reason: `id allocator ${JSON.stringify(s.name)} raised from next_id ${current} to ${next}, one above the highest id in use (${max})`,
        answers: [f],
        updates: replaceRow(ctx, s.row.raw, encodeRow('IdAlloc', s.row.key, value, ctx.version)),
      })
    }
  },
}
