/** `find`: objects of every kind whose name, full name or id contains a text (case-insensitive). */
import type { CatalogObjects } from './catalog-objects.js'
import { objectRef, type ObjectRef } from './describe.js'
import type { KindSpec } from './resolve.js'

/** Every object matching `text`, kind by kind, each kind in id order; `kinds` narrows the search. */
export function findObjects(objects: CatalogObjects, text: string, kinds: readonly KindSpec[] = []): ObjectRef[] {
  const needle = text.toLowerCase()
  const wanted = (o: { kind: string; itemType?: string | null }): boolean =>
    kinds.length === 0 || kinds.some((k) => k.kind === o.kind && (k.itemType === undefined || k.itemType === o.itemType))
  return objects
    .all()
    .filter((o) => wanted(o) && [o.id, o.name, objects.fullName(o)].some((s) => s.toLowerCase().includes(needle)))
    .map((o) => objectRef(objects, o))
}
