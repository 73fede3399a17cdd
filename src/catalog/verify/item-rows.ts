/**
 * Item rows read again for the findings that name them. `verify` keeps only facts of items
 * (`item-facts.ts`); a check that finds something wrong with an item asks for its row, and the
 * row is read again from the store by its lookup key, the one row of the key whose length and
 * hash the facts recorded.
 *
 * The checks are synchronous and the store is not, so a check runs twice when it needs rows: once
 * with {@link collectingItemRows}, which answers every request with a placeholder and notes the
 * item (that run's findings are dropped), then, once the noted rows are read, with the real rows.
 * A catalog whose items are all fine is checked once and reads nothing again.
 */

import { CatalogDebugError } from '../../errors.js'
import { compareCodePoints } from '../../json/lossless-json.js'
import { decodeRow, type CollectionRow } from '../codec/row-codec.js'
import { textHash, type ItemFacts } from './item-facts.js'
import type { RowCount } from './row-checks.js'

/** The decoded row of an item the checks hold facts of. */
export interface ItemRows {
  row(item: ItemFacts): CollectionRow
}

/**
 * Reads the consolidated rows (any multiplicity) of one lookup key: a kind and a canonical key
 * text, or `null` for every row of the kind (rows without a key, such as the epoch).
 */
export type KeyReader = (kind: string, lookup: string | null) => Promise<readonly RowCount[]>

function decodeItem(text: string, version: number): CollectionRow {
  const r = decodeRow(text, version)
  if (!r.ok || r.row.kind === 'Epoch') {
    throw new CatalogDebugError('verify-reread', 'internal', `an item row that decoded no longer does: ${text.slice(0, 200)}`)
  }
  return r.row
}

/** The rows of items whose facts kept their text, and of those read again into `texts` (by place). */
export function itemRowsOf(version: number, texts: ReadonlyMap<number, string> = new Map()): ItemRows {
  return {
    row(item) {
      const text = item.text ?? texts.get(item.seq)
      if (text === undefined) {
        throw new CatalogDebugError('verify-reread', 'internal', `the row of item ${item.gid} was not read again`)
      }
      return decodeItem(text, version)
    },
  }
}

/**
 * Answers with a placeholder row (no fields, no text) and adds the item to `wanted` (by place),
 * unless its facts kept the text.
 */
export function collectingItemRows(version: number, wanted: Map<number, ItemFacts>): ItemRows {
  return {
    row(item) {
      if (item.text !== undefined) return decodeItem(item.text, version)
      wanted.set(item.seq, item)
      return { kind: 'Item', collection: 'item', key: {}, value: {}, raw: '', exact: true, notes: [] }
    },
  }
}

/**
 * The stored texts of `items`, read again by their lookup keys. Throws (internal) when a row is
 * not there: the reads are of the same state (one as-of) the facts were taken from.
 */
export async function readItemTexts(items: Iterable<ItemFacts>, read: KeyReader): Promise<Map<number, string>> {
  const byKey = new Map<string, ItemFacts[]>()
  for (const item of items) {
    const key = item.lookup
    const same = byKey.get(key)
    if (same === undefined) byKey.set(key, [item])
    else same.push(item)
  }
  const out = new Map<number, string>()
  for (const [key, wanted] of byKey) {
    const held = (await read('Item', key)).filter((r) => r.diff > 0n).map((r) => r.data)
    held.sort(compareCodePoints)
    const taken = new Set<number>()
    for (const item of wanted) {
      const i = held.findIndex((t, j) => !taken.has(j) && t.length === item.length && textHash(t) === item.hash)
      if (i < 0) {
        throw new CatalogDebugError('verify-reread', 'internal', `the row of item ${item.gid} is no longer in the catalog`)
      }
      taken.add(i)
      out.set(item.seq, held[i] as string)
    }
  }
  return out
}
