/**
 * `find`: objects of every kind whose name, full name or id contains a text (case-insensitive).
 * The objects are read from the on-disk index in id order and the matches written to a result
 * table beside it, so a search that matches most of a large catalog holds none of it in memory.
 */
import type { CatalogObjects, ObjectHead } from './catalog-objects.js'
import type { ObjectRef } from './describe.js'
import type { KindSpec } from './resolve.js'

/** Matches read back a page at a time. */
const PAGE = 500

/** What a search found: how many, and the matches (read afresh on each call, in the order found). */
export interface FoundObjects {
  readonly count: number
  refs(): Iterable<ObjectRef>
}

/** Every object matching `text`, kind by kind, each kind in id order; `kinds` narrows the search. */
export function findObjects(objects: CatalogObjects, text: string, kinds: readonly KindSpec[] = []): FoundObjects {
  const needle = text.toLowerCase()
  const wanted = (o: ObjectHead): boolean =>
    kinds.length === 0 ||
    kinds.some((k) => k.kind === o.kind && (k.itemType === undefined || (o.kind === 'item' && k.itemType === o.itemType)))
  const index = objects.index
  index.exec(
    'DROP TABLE IF EXISTS found; CREATE TABLE found (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, item INTEGER NOT NULL, item_type TEXT)',
  )
  let count = 0
  for (const o of objects.scan({ all: true })) {
    if (!wanted(o)) continue
    const name = objects.fullName(o)
    if (![o.id, o.name, name].some((s) => s.toLowerCase().includes(needle))) continue
    count++
    index.run(
      'INSERT INTO found VALUES (?, ?, ?, ?, ?, ?)',
      count,
      o.kind,
      o.id,
      name,
      o.kind === 'item' ? 1 : 0,
      o.kind === 'item' ? o.itemType : null,
    )
  }
  return {
    count,
    *refs() {
      for (let after = 0; after < count; after += PAGE) {
        for (const r of index.rows('SELECT kind, id, name, item, item_type FROM found WHERE seq > ? ORDER BY seq LIMIT ?', after, PAGE)) {
          const ref = { kind: r.kind as ObjectRef['kind'], id: r.id as string, name: r.name as string }
          yield r.item === 1 ? { ...ref, itemType: (r.item_type as string | null) ?? null } : ref
        }
      }
    },
  }
}
