/**
 * What `verify`'s semantic checks need of an `item` row, taken when the row is read so that the
 * row can be dropped: items are most of a large catalog, and a decoded item (its `create_sql`
 * and every nested object) takes several times the space of its stored text, which itself is
 * most of what a fact would otherwise hold.
 *
 * The facts are enough to see that an item is fine; when one is not, the check reads the item's
 * row again (by its key, `item-rows.ts`) and words its finding from the row, exactly as it would
 * have. The facts keep no stored text, only what finds the row again: its lookup key, its length
 * and a hash of it (a key can hold several values, and the hash tells which one is meant).
 */

import { canonicalJson, isJsonObject, type JsonValue } from '../../json/lossless-json.js'
import { rowLookup, type CollectionRow } from '../codec/row-codec.js'
import { uniquenessKey } from '../kinds/collections.js'
import { flatString } from '../flat-string.js'
import { itemSqlEntry, type ItemSqlEntry } from '../sql/index.js'

export interface ItemFacts {
  /** The stored text, kept only when the caller holds every row anyway (`verifyRows`). */
  readonly text: string | undefined
  /**
   * The key's `gid` as canonical JSON, when it is not the usual `{"value":{"User":N}}` of
   * {@link userId} (see {@link itemGid}).
   */
  readonly otherGid: string | undefined
  /**
   * The store's lookup key of the row (`row-lookup.ts`), when it is not `{"gid":GID}` (a key
   * with more fields than the gid); `undefined` in the usual case.
   */
  readonly lookup: string | undefined
  /** The stored text's length and {@link textHash}: which of a key's values the facts are of. */
  readonly length: number
  readonly hash: number
  /**
   * The roles the row names (owner, then each privilege's grantee and grantor), as canonical
   * JSON; `undefined` when one of them is null or absent (the reference check then reads the row).
   * Items that name the same roles share one array.
   */
  readonly roles: readonly string[] | undefined
  /** The `schema_id`, as canonical JSON; `undefined` when null or absent. */
  readonly schema: string | undefined
  /** The item's name (`undefined` when it has none). */
  readonly name: string | undefined
  /**
   * The text two items share when their names clash (`kinds/collections.ts`, `uniquenessKey`),
   * when it is not the usual one made of {@link schema} and {@link name} (see {@link itemUniqueness}).
   */
  readonly otherUniqueness: string | null | undefined
  /** The id the `user` allocator handed out, when the gid is a `User` id. */
  readonly userId: bigint | undefined
  /** What the `item-sql` check needs (`undefined`: the row has no usable id or name). */
  readonly sql: ItemSqlEntry | undefined
}

/** FNV-1a over the UTF-16 code units of `text`: tells apart the values one key holds. */
export function textHash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  // As a signed 32-bit integer, which V8 holds inline (an unsigned one above 2^31 is a heap number).
  return h | 0
}

/** The key's `gid`, as canonical JSON. */
export function itemGid(item: ItemFacts): string {
  return item.otherGid ?? usualGid(item.userId)
}

const usualGid = (id: bigint | undefined): string => `{"value":{"User":${id}}}`

/** The text two items share when their names clash; `null` when the item has none. */
export function itemUniqueness(item: ItemFacts): string | null {
  return item.otherUniqueness === undefined ? usualUniqueness(item.schema, item.name) : item.otherUniqueness
}

// `uniquenessKey` of an item: its `[schema_id, name]` as canonical JSON.
const usualUniqueness = (schema: string | undefined, name: string | undefined): string =>
  `[${schema ?? 'null'},${name === undefined ? 'null' : JSON.stringify(name)}]`

/** The store's lookup key of the item's row (`row-lookup.ts`). */
export function itemLookup(item: ItemFacts): string {
  return item.lookup ?? `{"gid":${itemGid(item)}}`
}

/** Keeps one copy of the texts and role lists many item rows repeat. */
export class FactInterner {
  readonly #texts = new Map<string, string>()
  readonly #roleLists = new Map<string, readonly string[]>()

  text(text: string): string {
    const had = this.#texts.get(text)
    if (had !== undefined) return had
    const flat = flatString(text)
    this.#texts.set(flat, flat)
    return flat
  }

  roles(list: readonly string[]): readonly string[] {
    const key = list.join('\u0000')
    const had = this.#roleLists.get(key)
    if (had !== undefined) return had
    this.#roleLists.set(key, list)
    return list
  }
}

/**
 * The facts of a decoded item row; `keepText` keeps the stored text in the facts.
 */
export function itemFacts(row: CollectionRow, interner: FactInterner, keepText: boolean): ItemFacts {
  const v = isJsonObject(row.value) ? row.value : {}
  const ref = (x: JsonValue | undefined): string | undefined =>
    x === null || x === undefined ? undefined : interner.text(canonicalJson(x))
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
  const unique = uniquenessKey('item', row.value)
  const gid = canonicalJson(key ?? null)
  const userId = tag === 'User' && typeof n === 'bigint' ? n : undefined
  const schema = ref(v.schema_id)
  const kept: readonly string[] | undefined = roles
  // The SQL facts keep no text of the row either: a finding reads the row again.
  const sql = itemSqlEntry({ key: row.key, value: row.value }, (text) => interner.text(text))
  const name = typeof v.name === 'string' ? (sql?.name ?? flatString(v.name)) : undefined
  return {
    text: keepText ? row.raw : undefined,
    otherGid: gid === usualGid(userId) ? undefined : flatString(gid),
    lookup: row.raw.startsWith(`{"key":{"gid":${gid}},"kind":"Item"`) ? undefined : (rowLookup(row.raw)[1] ?? 'null'),
    length: row.raw.length,
    hash: textHash(row.raw),
    roles: kept === undefined ? undefined : interner.roles(kept),
    schema,
    name,
    otherUniqueness: unique === usualUniqueness(schema, name) ? undefined : unique === null ? null : flatString(unique),
    userId,
    sql,
  }
}
