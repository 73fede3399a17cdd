/** `unique-names`: names are unique where Materialize's transaction makes them unique. */

import type { CollectionRow } from '../codec/row-codec.js'
import { COLLECTIONS, uniquenessKey, type CollectionName } from '../kinds/collections.js'
import { finding, type Finding } from './findings.js'
import { idText, nameOf, obj, rowsOf } from './ids.js'
import { itemUniqueness, type ItemFacts } from './item-facts.js'
import type { ItemRows } from './item-rows.js'
import type { CatalogIndex } from './row-checks.js'

const RULE_LABELS: { readonly [C in CollectionName]?: string } = {
  database: 'database',
  schema: 'schema',
  item: 'item',
  role: 'role',
  compute_instance: 'cluster',
  compute_replicas: 'cluster replica',
}

/** Name uniqueness per Materialize's transaction rules. */
export function checkUniqueNames(c: CatalogIndex, rows: ItemRows): Finding[] {
  const out: Finding[] = []
  for (const { name: collection, uniqueness: rule } of COLLECTIONS) {
    if (rule === undefined) continue
    // Rows by the text they share when their names clash; items as facts, read again if they clash.
    const groups = new Map<string, (CollectionRow | ItemFacts)[]>()
    const add = (k: string | null, r: CollectionRow | ItemFacts): void => {
      if (k === null) return
      const g = groups.get(k)
      if (g === undefined) groups.set(k, [r])
      else g.push(r)
    }
    if (collection === 'item') for (const item of c.items) add(itemUniqueness(item), item)
    else for (const r of rowsOf(c, collection)) add(uniquenessKey(collection, r.value), r)
    const field = collection === 'item' ? 'gid' : 'id'
    for (const members of groups.values()) {
      if (members.length < 2) continue
      const g = members.map((r) => ('kind' in r ? r : rows.row(r)))
      const first = g[0] as CollectionRow
      const v = obj(first.value) ?? {}
      const scope = rule.fields
        .filter((f) => f !== 'name')
        .map((f) => ` in ${f.replace(/_id$/, '')} ${v[f] === null ? '(none)' : idText(v[f])}`)
        .join('')
      out.push(
        finding(
          'unique-names',
          'error',
          `${rule.description} ${nameOf(first)}${scope} is used by ${g.length} ${RULE_LABELS[collection] ?? collection}s: ${g.map((r) => idText(r.key[field])).join(', ')}`,
          g.map((r) => r.raw),
        ),
      )
    }
  }
  return out
}
