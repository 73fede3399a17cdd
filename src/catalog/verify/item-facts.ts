/**
 * What `verify`'s semantic checks need of an `item` row, taken when the row is read so that the
 * row can be dropped. The facts go to the scratch database (`item-table.ts`), not the heap: items
 * are most of a large catalog. A check reads them back one at a time, as {@link ItemFacts}.
 *
 * The facts are enough to see that an item is fine; when one is not, the check reads the item's
 * row again (by its key, `item-rows.ts`) and words its finding from the row, exactly as it would
 * have. The facts keep no stored text (unless the caller holds every row anyway), only what finds
 * the row again: its lookup key, its length and a hash of it (a key can hold several values, and
 * the hash tells which one is meant).
 */

import { canonicalJson, isJsonObject, type JsonValue } from '../../json/lossless-json.js'
import { rowLookup, type CollectionRow } from '../codec/row-codec.js'
import { uniquenessKey } from '../kinds/collections.js'
import { itemSqlEntry, type ItemSqlEntry } from '../sql/index.js'

export interface ItemFacts {
  /** The item's place among the items, in the order read (the table's row id). */
  readonly seq: number
  /** The stored text, kept only when the caller holds every row anyway (`verifyRows`). */
  readonly text: string | undefined
  /** The key's `gid`, as canonical JSON. */
  readonly gid: string
  /** The store's lookup key of the row (`row-lookup.ts`). */
  readonly lookup: string
  /** The stored text's length and {@link textHash}: which of a key's values the facts are of. */
  readonly length: number
  readonly hash: number
  /**
   * The roles the row names (owner, then each privilege's grantee and grantor), as canonical
   * JSON; `undefined` when one of them is null or absent (the reference check then reads the row).
   */
  readonly roles: readonly string[] | undefined
  /** The `schema_id`, as canonical JSON; `undefined` when null or absent. */
  readonly schema: string | undefined
  /** The text two items share when their names clash (`kinds/collections.ts`, `uniquenessKey`). */
  readonly uniqueness: string | null
  /** The id the `user` allocator handed out, when the gid is a `User` id. */
  readonly userId: bigint | undefined
}

/** The facts of an item as taken from its row: also what the `item-sql` check needs (kept apart). */
export interface NewItemFacts extends Omit<ItemFacts, 'seq'> {
  /** `undefined`: the row has no usable id or name. */
  readonly sql: ItemSqlEntry | undefined
}

/** FNV-1a over the UTF-16 code units of `text`: tells apart the values one key holds. */
export function textHash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h | 0
}

/** The facts of a decoded item row (but its place); `keepText` keeps the stored text in them. */
export function itemFacts(row: CollectionRow, keepText: boolean): NewItemFacts {
  const v = isJsonObject(row.value) ? row.value : {}
  const ref = (x: JsonValue | undefined): string | undefined => (x === null || x === undefined ? undefined : canonicalJson(x))
  let roles: string[] | undefined = []
  const role = (x: JsonValue | undefined): void => {
    const text = ref(x)
    if (text === undefined) roles = undefined
    else roles?.push(text)
  }
  role(v.owner_id)
  if (Array.isArray(v.privileges)) {
    for (const p of v.privileges) {
      if (!isJsonObject(p)) continue
      role(p.grantee)
      role(p.grantor)
    }
  }
  const key = row.key.gid
  const inner =
    isJsonObject(key ?? null) && isJsonObject((key as { value?: JsonValue }).value ?? null) ? (key as { value: object }).value : undefined
  const tag = inner === undefined ? undefined : Object.keys(inner)[0]
  const n = tag === undefined ? undefined : (inner as Record<string, JsonValue>)[tag]
  const gid = canonicalJson(key ?? null)
  const kept: readonly string[] | undefined = roles
  return {
    text: keepText ? row.raw : undefined,
    gid,
    lookup: row.raw.startsWith(`{"key":{"gid":${gid}},"kind":"Item"`) ? `{"gid":${gid}}` : (rowLookup(row.raw)[1] ?? 'null'),
    length: row.raw.length,
    hash: textHash(row.raw),
    roles: kept,
    schema: ref(v.schema_id),
    uniqueness: uniquenessKey('item', row.value),
    userId: tag === 'User' && typeof n === 'bigint' ? n : undefined,
    // The SQL facts keep no text of the row either: a finding reads the row again.
    sql: itemSqlEntry({ key: row.key, value: row.value }),
  }
}
