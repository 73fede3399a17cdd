/**
 * What `verify`'s semantic checks need of an `item` row, taken when the row is read so that the
 * decoded row can be dropped: items are most of a large catalog, and a decoded item (its
 * `create_sql` and every nested object) takes several times the space of its stored text.
 *
 * The facts are enough to see that an item is fine; when one is not, the check decodes the
 * stored text again and words its finding from the row, exactly as it would have.
 */

import { canonicalJson, isJsonObject, type JsonValue } from '../../json/lossless-json.js'
import type { CollectionRow } from '../codec/row-codec.js'
import { uniquenessKey } from '../kinds/collections.js'
import { flatString } from '../flat-string.js'
import { itemSqlEntry, type ItemSqlEntry } from '../sql/index.js'

export interface ItemFacts {
  /** The stored text (what findings list, and what is decoded again when a check needs the row). */
  readonly raw: string
  /** The key's `gid`, as canonical JSON. */
  readonly gid: string
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
  /** What the `item-sql` check needs (`undefined`: the row has no usable id or name). */
  readonly sql: ItemSqlEntry | undefined
}

/** The facts of a decoded item row; `intern` keeps one standalone copy of texts many rows repeat. */
export function itemFacts(row: CollectionRow, intern: (text: string) => string): ItemFacts {
  const v = isJsonObject(row.value) ? row.value : {}
  const ref = (x: JsonValue | undefined): string | undefined => (x === null || x === undefined ? undefined : intern(canonicalJson(x)))
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
  const gid = row.key.gid
  const inner =
    isJsonObject(gid ?? null) && isJsonObject((gid as { value?: JsonValue }).value ?? null) ? (gid as { value: object }).value : undefined
  const tag = inner === undefined ? undefined : Object.keys(inner)[0]
  const n = tag === undefined ? undefined : (inner as Record<string, JsonValue>)[tag]
  const unique = uniquenessKey('item', row.value)
  return {
    raw: row.raw,
    gid: flatString(canonicalJson(gid ?? null)),
    roles,
    schema: ref(v.schema_id),
    uniqueness: unique === null ? null : flatString(unique),
    userId: tag === 'User' && typeof n === 'bigint' ? n : undefined,
    sql: itemSqlEntry(row),
  }
}
