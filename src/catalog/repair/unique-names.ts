/**
 * Names used by several objects where Materialize requires them unique. With `--rename-suffix S`
 * the first object by id keeps its name and each other one becomes `NAME` + S (+ 2, 3, … if that
 * is taken too). Items are never renamed (their `create_sql` names them), nor databases and schemas
 * that hold items (the items' `create_sql` names those too).
 */

import { canonicalJson, isJsonObject, type JsonObject } from '../../json/lossless-json.js'
import { encodeRow, sortKeyOrder, type CollectionRow } from '../codec/row-codec.js'
import { uniquenessKey } from '../kinds/collections.js'
import { cloneJson } from '../upgrade/migration.js'
import { idText, replaceRow, type RepairContext, type RepairModule } from './repair-context.js'

function holdsItems(ctx: RepairContext, row: CollectionRow): boolean {
  // An item's facts hold its schema_id as canonical JSON (absent when null); they are on disk.
  const inSchema = (schemaId: string) => ctx.index.items.inSchema(schemaId)
  if (row.collection === 'schema') return inSchema(canonicalJson(row.key.id ?? null))
  if (row.collection !== 'database') return false
  const id = canonicalJson(row.key.id ?? null)
  for (const s of ctx.index.rows('schema')) {
    if (isJsonObject(s.value) && canonicalJson(s.value.database_id ?? null) === id && inSchema(canonicalJson(s.key.id ?? null))) return true
  }
  return false
}

export const uniqueNameRepair: RepairModule = {
  checks: ['unique-names'],
  plan(findings, ctx) {
    const suffix = ctx.options.renameSuffix
    const taken = new Set<string>()
    for (const f of findings) {
      const rows = f.rows.filter((t) => ctx.count(t) > 0n).map((t) => ctx.row(t))
      if (rows.length < 2 || rows.some((r) => r === undefined)) continue
      const group = (rows as CollectionRow[]).sort((a, b) => sortKeyOrder(a.kind, ctx.version)(a.key, b.key))
      const first = group[0] as CollectionRow
      if (first.collection === 'item') {
        ctx.leave(f, 'items are not renamed here: their create_sql names them; rename one with `edit` (name and create_sql together)')
        continue
      }
      if (suffix === undefined) {
        ctx.leave(f, `rename all but ${idText(first.key.id)} with --rename-suffix SUFFIX (e.g. --rename-suffix _dup)`)
        continue
      }
      const blocked = group.slice(1).filter((r) => holdsItems(ctx, r))
      if (blocked.length > 0) {
        ctx.leave(f, `${blocked.map((r) => idText(r.key.id)).join(', ')} hold items whose create_sql names them: rename by hand`)
        continue
      }
      for (const r of ctx.index.rows(first.collection)) taken.add(`${first.collection} ${uniquenessKey(first.collection, r.value)}`)
      const updates = []
      const renamed: string[] = []
      for (const r of group.slice(1)) {
        const value = cloneJson(r.value) as JsonObject
        const base = `${String(value.name)}${suffix}`
        let n = 1
        do value.name = n === 1 ? base : `${base}${n}`
        while (taken.has(`${first.collection} ${uniquenessKey(first.collection, value)}`) && n++ < 1000)
        taken.add(`${first.collection} ${uniquenessKey(first.collection, value)}`)
        renamed.push(`${idText(r.key.id)} → ${JSON.stringify(value.name)}`)
        updates.push(...replaceRow(ctx, r.raw, encodeRow(r.kind, r.key, value, ctx.version)))
      }
      ctx.add({
        action: 'rename',
        reason: `${idText(first.key.id)} keeps the name ${JSON.stringify(String((first.value as JsonObject).name))}; renamed with suffix ${JSON.stringify(suffix)}: ${renamed.join(', ')}`,
        answers: [f],
        updates,
      })
    }
  },
}
